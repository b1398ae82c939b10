"""The field JSON API: tablet endpoints (Bearer device token) and supervisor endpoints (HTTP Basic)."""

from __future__ import annotations

import secrets
from typing import Annotated

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import Body, FromPath
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.auth import (
    bearer_token,
    device_for_token,
    login_interviewer,
    register_device,
    revoke_device,
    staff_from_basic,
)
from field_app.coordinator import provide_coordinator
from field_app.errors import FIELD_EXCEPTION_HANDLERS, BatchTooLargeError, NotAssigned
from field_app.openapi import DEVICE_RESPONSES, LOGIN_RESPONSES, SYNC_RESPONSES
from field_app.planning import assign, set_quotas
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
    SupervisorCodeRequest,
    SyncRequest,
    SyncResponse,
    VersionDocument,
)
from field_app.supervisor import hashes as supervisor_hashes
from field_app.supervisor import set_code
from field_app.sync import Collector, SyncService, assigned_consultations, record_manifest
from survey.http.login_throttle import limiter_of
from survey.http.params import PathId
from survey.http.ratelimit import client_address
from survey.questionnaire.messages import tablet_questionnaire
from survey.store.errors import NotFoundError
from survey.store.models import Consultation, Device, QuestionnaireVersion, Role, User, utcnow
from survey.store.services import grants
from survey.store.services.audit import record
from survey.store.services.consultations import ConsultationService
from survey.store.tokens import hash_token

LIMITER_KEY = "field_login_limiter"
ADMIN_LIMITER_KEY = "field_admin_basic_limiter"  # supervisors' HTTP Basic credentials, checked per request


def provide_device(request: Request, db_session: NamedDependency[Session]) -> Device:
    """The calling tablet, from its bearer token (401 unknown, 403 revoked)."""
    return device_for_token(db_session, bearer_token(request))


def provide_admin(request: Request, db_session: NamedDependency[Session]) -> User:
    return staff_from_basic(db_session, request, {Role.ADMIN}, limiter_of(request, ADMIN_LIMITER_KEY))


def provide_planner(request: Request, db_session: NamedDependency[Session]) -> User:
    limiter = limiter_of(request, ADMIN_LIMITER_KEY)
    return staff_from_basic(db_session, request, {Role.ADMIN, Role.ANALYST}, limiter)


def _infos(session: Session, consultations: list[Consultation]) -> list[ConsultationInfo]:
    service = ConsultationService(session)
    codes = supervisor_hashes(session, [c.id for c in consultations])
    infos = []
    for c in consultations:
        if c.status != "open":  # drafts and closed ones are not offered; sync still takes what tablets hold
            continue
        try:
            v = service.current_version(c)
        except NotFoundError:
            continue
        infos.append(
            ConsultationInfo(
                slug=c.slug, title=c.title, status=c.status, version_id=v.id, version_number=v.number,
                content_hash=v.content_hash, supervisor=codes.get(c.id),
            )
        )  # fmt: skip
    return infos


def _assigned(session: Session, device: Device, slug: str) -> Consultation:
    """The consultation if the tablet's interviewer may collect for it (their assignment is their grant)."""
    consultation, user = ConsultationService(session).find(slug), session.get(User, device.user_id)
    if (
        consultation is not None
        and user is not None
        and grants.may(session, user, consultation.id, Role.INTERVIEWER)
    ):
        return consultation
    raise NotAssigned(f"consultation '{slug}' is not assigned to this interviewer")


class FieldApiController(Controller):
    """``/field/api``: what a tablet calls; every error body carries a stable ``code``."""

    path = "/field/api"
    tags = ["field"]  # noqa: RUF012
    exception_handlers = FIELD_EXCEPTION_HANDLERS
    dependencies = {"device": Provide(provide_device, sync_to_thread=True)}  # noqa: RUF012

    @post("/login", status_code=200, sync_to_thread=True, summary="Register this tablet",
          responses=LOGIN_RESPONSES)  # fmt: skip
    def login(
        self, request: Request, db_session: NamedDependency[Session], data: Annotated[LoginRequest, Body()]
    ) -> LoginResponse:
        """Interviewer credentials → a new device and its token (only the token's SHA-256 is kept).

        Failed attempts are throttled per account and per client (429 with Retry-After).
        """
        with limiter_of(request, LIMITER_KEY).attempt(data.username, client_address(request)):
            user = login_interviewer(db_session, data.username, data.password)
        device, token = register_device(db_session, user, data.device_label)
        consultations = _infos(db_session, assigned_consultations(db_session, user.id))
        return LoginResponse(token, device.id, user.id, user.username, user.display_name, consultations)

    @post("/logout", status_code=204, sync_to_thread=True, summary="Sign this tablet out",
          responses=DEVICE_RESPONSES)  # fmt: skip
    def logout(self, db_session: NamedDependency[Session], device: NamedDependency[Device]) -> None:
        """End this device token for good: any copy of it gets 401 afterwards.

        The tablet calls it when the interviewer signs out (which it refuses while anything is
        unsent). The token's hash is replaced by one of a secret nobody holds, so the token becomes
        unknown (401), and the device row is marked revoked for the coordinators' list.
        """
        device.token_hash = hash_token(secrets.token_urlsafe(32))
        if device.revoked_at is None:
            device.revoked_at = utcnow()
        user = db_session.get(User, device.user_id)
        record(
            db_session, actor=user.username if user else "", actor_id=device.user_id, action="sign_out",
            entity="device", entity_id=device.id,
        )  # fmt: skip

    @get("/consultations", sync_to_thread=True, summary="Assigned consultations and current versions",
         responses=DEVICE_RESPONSES)  # fmt: skip
    def consultations(
        self, db_session: NamedDependency[Session], device: NamedDependency[Device]
    ) -> list[ConsultationInfo]:
        return _infos(db_session, assigned_consultations(db_session, device.user_id))

    @get("/versions/{version_id:int}", sync_to_thread=True, summary="Download a questionnaire version",
         responses=DEVICE_RESPONSES)  # fmt: skip
    def version(
        self,
        db_session: NamedDependency[Session],
        device: NamedDependency[Device],
        version_id: FromPath[PathId],
    ) -> VersionDocument:
        version = db_session.get(QuestionnaireVersion, version_id)
        allowed = {c.id: c.slug for c in assigned_consultations(db_session, device.user_id)}
        if version is None or version.consultation_id not in allowed:
            raise NotAssigned(f"no questionnaire version {version_id} for this interviewer")
        return VersionDocument(
            version.id,
            allowed[version.consultation_id],
            version.number,
            version.content_hash,
            tablet_questionnaire(version.content),
        )

    @post("/sync", status_code=200, sync_to_thread=True, summary="Upload a batch of interviews",
          responses=SYNC_RESPONSES)  # fmt: skip
    def sync(
        self,
        db_session: NamedDependency[Session],
        device: NamedDependency[Device],
        data: Annotated[SyncRequest, Body()],
    ) -> SyncResponse:
        """Per-item results; safe to repeat: a UUID already stored with the same content is a duplicate.

        Refused items and refused requests carry a stable ``code`` (``different_content``,
        ``device_revoked``…) that the tablet translates; ``detail`` stays English for support.
        """
        if len(data.items) > MAX_BATCH:
            raise BatchTooLargeError(f"at most {MAX_BATCH} items per batch")
        results = SyncService(db_session, Collector(device.id, device.user_id)).apply(data.items)
        entries = None
        if data.manifest is not None:
            entries = record_manifest(
                db_session, device.id, data.manifest, append=data.manifest_append, unfinished=data.unfinished
            )
        return SyncResponse(results=results, manifest_entries=entries, server_time=utcnow())

    @get("/consultations/{slug:str}/quotas", sync_to_thread=True, summary="Quota targets and progress",
         responses=DEVICE_RESPONSES)  # fmt: skip
    def quotas(
        self, db_session: NamedDependency[Session], device: NamedDependency[Device], slug: FromPath[str]
    ) -> list[QuotaCell]:
        return quota_cells(db_session, _assigned(db_session, device, slug))


class FieldAdminController(Controller):
    """``/field/api/admin``: supervisors' endpoints (HTTP Basic, admin or analyst as stated)."""

    path = "/field/api/admin"
    tags = ["field admin"]  # noqa: RUF012
    exception_handlers = FIELD_EXCEPTION_HANDLERS

    @get("/devices", sync_to_thread=True, summary="Registered devices",
         dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def devices(self, db_session: NamedDependency[Session], admin: NamedDependency[User]) -> list[DeviceInfo]:
        rows = db_session.execute(
            select(Device, User.username).join(User, User.id == Device.user_id).order_by(Device.id)
        ).all()
        return [DeviceInfo(d.id, d.label, u, d.created_at, d.last_seen_at, d.revoked_at) for d, u in rows]

    @post("/devices/{device_id:int}/revoke", status_code=200, sync_to_thread=True, summary="Revoke a device",
          dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def revoke(
        self, db_session: NamedDependency[Session], admin: NamedDependency[User], device_id: FromPath[PathId]
    ) -> DeviceInfo:
        device = revoke_device(db_session, device_id, actor=admin.username, actor_id=admin.id)
        user = db_session.get(User, device.user_id)
        return DeviceInfo(
            device.id, device.label, user.username if user else "", device.created_at,
            device.last_seen_at, device.revoked_at,
        )  # fmt: skip

    @get("/devices/{device_id:int}/reconciliation", sync_to_thread=True, summary="Manifest vs store",
         dependencies={"admin": Provide(provide_coordinator, sync_to_thread=True)})  # fmt: skip
    def reconcile(
        self, db_session: NamedDependency[Session], admin: NamedDependency[User], device_id: FromPath[PathId]
    ) -> Reconciliation:
        """Admins and coordinators only (the HTML view is ``/field/coordinator``)."""
        return reconciliation(db_session, device_id)

    @post("/import", status_code=200, sync_to_thread=True, summary="Import a tablet export file",
          dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def import_export(
        self,
        db_session: NamedDependency[Session],
        admin: NamedDependency[User],
        data: Annotated[ExportFile, Body()],
    ) -> SyncResponse:
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
    def assign(
        self,
        db_session: NamedDependency[Session],
        admin: NamedDependency[User],
        data: Annotated[AssignmentRequest, Body()],
    ) -> AssignmentRequest:
        user = db_session.scalar(select(User).where(User.username == data.username))
        if user is None or user.role != Role.INTERVIEWER.value:
            raise NotFoundError(f"no interviewer '{data.username}'")
        assign(db_session, user, ConsultationService(db_session).get(data.consultation), actor=admin.username)
        return data

    @put("/consultations/{slug:str}/quotas", status_code=200, sync_to_thread=True, summary="Set quotas",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def set_quotas(
        self,
        db_session: NamedDependency[Session],
        admin: NamedDependency[User],
        slug: FromPath[str],
        data: Annotated[list[QuotaCell], Body()],
    ) -> list[QuotaCell]:
        """Replace all cells; a cell names single-choice questions and one choice of each.

        A crossed cell joins them with ":" as weighting targets do: ``age_group:education`` =
        ``18-24:low``.
        """
        consultation = ConsultationService(db_session).get(slug)
        set_quotas(db_session, consultation, data, actor=admin.username)
        return quota_cells(db_session, consultation)

    @put("/consultations/{slug:str}/supervisor-code", status_code=204, sync_to_thread=True,
         summary="Set or rotate the supervisor unlock code",
         dependencies={"admin": Provide(provide_coordinator, sync_to_thread=True)})  # fmt: skip
    def supervisor_code(
        self,
        db_session: NamedDependency[Session],
        admin: NamedDependency[User],
        slug: FromPath[str],
        data: Annotated[SupervisorCodeRequest, Body()],
    ) -> None:
        """Admins and coordinators; tablets get its hash (never the code) at their next sync."""
        set_code(db_session, ConsultationService(db_session).get(slug), data.code, actor=admin.username)

    @get("/consultations/{slug:str}/contacts", sync_to_thread=True, summary="Refusals / not at home",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def contacts(
        self, db_session: NamedDependency[Session], admin: NamedDependency[User], slug: FromPath[str]
    ) -> dict[str, int]:
        return contact_counts(db_session, ConsultationService(db_session).get(slug))
