"""The field JSON API: tablet endpoints (Bearer device token) and supervisor endpoints (HTTP Basic)."""

from __future__ import annotations

from litestar import Controller, Request, get, post, put
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from field_app.auth import (
    bearer_token,
    device_for_token,
    login_interviewer,
    register_device,
    revoke_device,
    staff_from_basic,
)
from field_app.models import FieldAssignment, FieldQuota
from field_app.reports import contact_counts, quota_cells, reconciliation
from field_app.schemas import (
    MAX_BATCH,
    AssignmentRequest,
    ConsultationInfo,
    DeviceInfo,
    ExportFile,
    LoginRequest,
    LoginResponse,
    QuotaCell,
    Reconciliation,
    SyncRequest,
    SyncResponse,
    VersionDocument,
)
from field_app.sync import Collector, SyncService, assigned_consultations, record_manifest
from survey.questionnaire.model import QuestionType
from survey.store.errors import NotFoundError, StoreError
from survey.store.models import Consultation, Device, QuestionnaireVersion, Role, User, utcnow
from survey.store.services.audit import record
from survey.store.services.consultations import ConsultationService, load_questionnaire


def provide_device(request: Request, db_session: Session) -> Device:
    """The calling tablet, from its bearer token (401 unknown, 403 revoked)."""
    return device_for_token(db_session, bearer_token(request))


def provide_admin(request: Request, db_session: Session) -> User:
    return staff_from_basic(db_session, request, {Role.ADMIN})


def provide_planner(request: Request, db_session: Session) -> User:
    return staff_from_basic(db_session, request, {Role.ADMIN, Role.ANALYST})


def _infos(session: Session, consultations: list[Consultation]) -> list[ConsultationInfo]:
    service = ConsultationService(session)
    infos = []
    for c in consultations:
        try:
            v = service.current_version(c)
        except NotFoundError:
            continue
        infos.append(ConsultationInfo(c.slug, c.title, c.status, v.id, v.number, v.content_hash))
    return infos


def _assigned(session: Session, device: Device, slug: str) -> Consultation:
    for consultation in assigned_consultations(session, device.user_id):
        if consultation.slug == slug:
            return consultation
    raise NotFoundException(f"consultation '{slug}' is not assigned to this interviewer")


class FieldApiController(Controller):
    """``/field/api``: what a tablet calls."""

    path = "/field/api"
    tags = ["field"]  # noqa: RUF012
    dependencies = {"device": Provide(provide_device, sync_to_thread=True)}  # noqa: RUF012

    @post("/login", status_code=200, sync_to_thread=True, summary="Register this tablet")
    def login(self, db_session: Session, data: LoginRequest) -> LoginResponse:
        """Interviewer credentials → a new device and its token (only the token's SHA-256 is kept)."""
        user = login_interviewer(db_session, data.username, data.password)
        device, token = register_device(db_session, user, data.device_label)
        consultations = _infos(db_session, assigned_consultations(db_session, user.id))
        return LoginResponse(token, device.id, user.id, user.username, user.display_name, consultations)

    @get("/consultations", sync_to_thread=True, summary="Assigned consultations and current versions")
    def consultations(self, db_session: Session, device: Device) -> list[ConsultationInfo]:
        return _infos(db_session, assigned_consultations(db_session, device.user_id))

    @get("/versions/{version_id:int}", sync_to_thread=True, summary="Download a questionnaire version")
    def version(self, db_session: Session, device: Device, version_id: int) -> VersionDocument:
        version = db_session.get(QuestionnaireVersion, version_id)
        allowed = {c.id: c.slug for c in assigned_consultations(db_session, device.user_id)}
        if version is None or version.consultation_id not in allowed:
            raise NotFoundException(f"no questionnaire version {version_id} for this interviewer")
        return VersionDocument(
            version.id,
            allowed[version.consultation_id],
            version.number,
            version.content_hash,
            version.content,
        )

    @post("/sync", status_code=200, sync_to_thread=True, summary="Upload a batch of interviews")
    def sync(self, db_session: Session, device: Device, data: SyncRequest) -> SyncResponse:
        """Per-item results; safe to repeat: a UUID already stored with the same content is a duplicate."""
        if len(data.items) > MAX_BATCH:
            raise StoreError(f"at most {MAX_BATCH} items per batch")
        results = SyncService(db_session, Collector(device.id, device.user_id)).apply(data.items)
        entries = None
        if data.manifest is not None:
            entries = record_manifest(db_session, device.id, data.manifest, append=data.manifest_append)
        return SyncResponse(results=results, manifest_entries=entries, server_time=utcnow())

    @get("/consultations/{slug:str}/quotas", sync_to_thread=True, summary="Quota targets and progress")
    def quotas(self, db_session: Session, device: Device, slug: str) -> list[QuotaCell]:
        return quota_cells(db_session, _assigned(db_session, device, slug))


class FieldAdminController(Controller):
    """``/field/api/admin``: supervisors' endpoints (HTTP Basic, admin or analyst as stated)."""

    path = "/field/api/admin"
    tags = ["field admin"]  # noqa: RUF012

    @get("/devices", sync_to_thread=True, summary="Registered devices",
         dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def devices(self, db_session: Session, admin: User) -> list[DeviceInfo]:
        rows = db_session.execute(
            select(Device, User.username).join(User, User.id == Device.user_id).order_by(Device.id)
        ).all()
        return [DeviceInfo(d.id, d.label, u, d.created_at, d.last_seen_at, d.revoked_at) for d, u in rows]

    @post("/devices/{device_id:int}/revoke", status_code=200, sync_to_thread=True, summary="Revoke a device",
          dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def revoke(self, db_session: Session, admin: User, device_id: int) -> DeviceInfo:
        device = revoke_device(db_session, device_id, actor=admin.username, actor_id=admin.id)
        user = db_session.get(User, device.user_id)
        return DeviceInfo(
            device.id, device.label, user.username if user else "", device.created_at,
            device.last_seen_at, device.revoked_at,
        )  # fmt: skip

    @get("/devices/{device_id:int}/reconciliation", sync_to_thread=True, summary="Manifest vs store",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def reconcile(self, db_session: Session, admin: User, device_id: int) -> Reconciliation:
        return reconciliation(db_session, device_id)

    @post("/import", status_code=200, sync_to_thread=True, summary="Import a tablet export file",
          dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def import_export(self, db_session: Session, admin: User, data: ExportFile) -> SyncResponse:
        """Same idempotency as sync: importing twice, or after the tablet synced, stores nothing new."""
        device = db_session.get(Device, data.device_id)
        if device is None or device.user_id != data.interviewer_id:
            raise NotFoundError(f"device {data.device_id} of interviewer {data.interviewer_id} not found")
        results = SyncService(db_session, Collector(device.id, device.user_id)).apply(data.items)
        record(
            db_session, actor=admin.username, actor_id=admin.id, action="import_field_export",
            entity="device", entity_id=device.id, details={"items": len(data.items)},
        )  # fmt: skip
        return SyncResponse(results=results, server_time=utcnow())

    @put("/assignments", status_code=200, sync_to_thread=True, summary="Assign a consultation",
         dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def assign(self, db_session: Session, admin: User, data: AssignmentRequest) -> AssignmentRequest:
        user = db_session.scalar(select(User).where(User.username == data.username))
        if user is None or user.role != Role.INTERVIEWER.value:
            raise NotFoundError(f"no interviewer '{data.username}'")
        assign(db_session, user, ConsultationService(db_session).get(data.consultation), actor=admin.username)
        return data

    @put("/consultations/{slug:str}/quotas", status_code=200, sync_to_thread=True, summary="Set quotas",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def set_quotas(
        self, db_session: Session, admin: User, slug: str, data: list[QuotaCell]
    ) -> list[QuotaCell]:
        """Replace all cells; each must name a single-choice question and one of its choices."""
        consultation = ConsultationService(db_session).get(slug)
        set_quotas(db_session, consultation, data, actor=admin.username)
        return quota_cells(db_session, consultation)

    @get("/consultations/{slug:str}/contacts", sync_to_thread=True, summary="Refusals / not at home",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def contacts(self, db_session: Session, admin: User, slug: str) -> dict[str, int]:
        return contact_counts(db_session, ConsultationService(db_session).get(slug))


def assign(session: Session, user: User, consultation: Consultation, *, actor: str) -> None:
    """Idempotent: assigning twice keeps one row."""
    exists = session.scalar(
        select(FieldAssignment.id).where(
            FieldAssignment.user_id == user.id, FieldAssignment.consultation_id == consultation.id
        )
    )
    if exists is None:
        session.add(FieldAssignment(user_id=user.id, consultation_id=consultation.id))
        session.flush()
        record(session, actor=actor, action="assign", entity="consultation", entity_id=consultation.id,
               details={"interviewer": user.username})  # fmt: skip


def set_quotas(session: Session, consultation: Consultation, cells: list[QuotaCell], *, actor: str) -> None:
    """Check cells against the current questionnaire, then replace the consultation's quotas."""
    questionnaire = load_questionnaire(ConsultationService(session).current_version(consultation))
    choices = {
        q.name: {c.name for c in questionnaire.choices_for(q)}
        for q in questionnaire.questions
        if q.type is QuestionType.SELECT_ONE
    }
    problems = [
        f"{c.variable}={c.category}: not a choice of a single-choice question"
        for c in cells
        if c.category not in choices.get(c.variable, set())
    ] + [f"{c.variable}={c.category}: target must be >= 0" for c in cells if c.target < 0]
    if problems:
        raise StoreError("; ".join(problems))
    session.execute(delete(FieldQuota).where(FieldQuota.consultation_id == consultation.id))
    session.add_all(
        FieldQuota(consultation_id=consultation.id, variable=c.variable, category=c.category, target=c.target)
        for c in cells
    )
    session.flush()
    record(session, actor=actor, action="set_quotas", entity="consultation", entity_id=consultation.id,
           details={"cells": len(cells)})  # fmt: skip
