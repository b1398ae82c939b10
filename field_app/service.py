"""What the field API's and the coordinators' handlers ask of the store.

The handlers in :mod:`field_app.api` receive a :class:`FieldService` (dependency
``field_service``), those in :mod:`field_app.coordinator` a :class:`CoordinatorService`, the
adaptive-quota ones an :class:`AdaptiveService`, and never the session: each method here is one request's data work, built
from the field data modules (devices, planning, reports, supervisor codes, sync) and the store's
services, and returns the API's own documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.adaptive import AdaptiveStatus, switch_off, switch_on
from field_app.adaptive import status as adaptive_status
from field_app.auth import login_interviewer
from field_app.errors import NotAssigned
from field_app.reports import contact_counts, quota_cells, reconciliation, reconciliations
from field_app.schemas import (
    AssignmentRequest,
    ConsultationInfo,
    DeviceInfo,
    ExportFile,
    LoginResponse,
    QuotaCell,
    Reconciliation,
    SyncRequest,
    SyncResponse,
    VersionDocument,
)
from field_app.supervisor import hashes as supervisor_hashes
from field_app.supervisor import set_code
from field_app.sync import Collector, SyncService, record_manifest
from survey.analyst.services import Context, load_context
from survey.questionnaire.messages import tablet_questionnaire
from survey.store.errors import NotFoundError
from survey.store.models import Consultation, Device, FieldQuota, QuestionnaireVersion, Role, User, utcnow
from survey.store.services import field_devices, grants
from survey.store.services.audit import record
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign, assigned_consultations, interviewer_named
from survey.store.services.field_devices import register_device, revoke_device, visible_devices
from survey.store.services.field_quotas import set_quotas


class FieldService:
    """The tablets' and the supervisors' requests against the store."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.consultations = ConsultationService(session)

    def interviewer(self, username: str, password: str) -> User:
        """The interviewer behind these credentials, or LoginFailedError whatever the reason."""
        return login_interviewer(self.session, username, password)

    def register(self, user: User, device_label: str) -> LoginResponse:
        """A new device for a signed-in interviewer: its token (shown once) and their consultations."""
        device, token = register_device(self.session, user, device_label)
        infos = self.infos(assigned_consultations(self.session, user.id))
        return LoginResponse(token, device.id, user.id, user.username, user.display_name, infos)

    def logout(self, device: Device) -> None:
        """End this tablet's token for good (see ``field_devices.end_token``)."""
        field_devices.end_token(self.session, device)

    def assigned(self, device: Device) -> list[ConsultationInfo]:
        """The open consultations the tablet's interviewer collects for, with their current versions."""
        return self.infos(assigned_consultations(self.session, device.user_id))

    def infos(self, consultations: list[Consultation]) -> list[ConsultationInfo]:
        """What a tablet is told about these consultations: open ones with a version, and their
        supervisor unlock code's hash."""
        codes = supervisor_hashes(self.session, [c.id for c in consultations])
        infos = []
        for c in consultations:
            if (
                c.status != "open"
            ):  # drafts and closed ones are not offered; sync still takes what tablets hold
                continue
            try:
                v = self.consultations.current_version(c)
            except NotFoundError:
                continue
            infos.append(
                ConsultationInfo(
                    slug=c.slug, title=c.title, status=c.status, version_id=v.id, version_number=v.number,
                    content_hash=v.content_hash, supervisor=codes.get(c.id),
                )
            )  # fmt: skip
        return infos

    def version(self, device: Device, version_id: int) -> VersionDocument:
        """A questionnaire version of a consultation the tablet's interviewer is assigned to."""
        version = self.session.get(QuestionnaireVersion, version_id)
        allowed = {c.id: c.slug for c in assigned_consultations(self.session, device.user_id)}
        if version is None or version.consultation_id not in allowed:
            raise NotAssigned(f"no questionnaire version {version_id} for this interviewer")
        return VersionDocument(
            version.id,
            allowed[version.consultation_id],
            version.number,
            version.content_hash,
            tablet_questionnaire(version.content),
        )

    def sync(self, device: Device, data: SyncRequest) -> SyncResponse:
        """Store a batch of interviews (per-item results) and the tablet's manifest when sent."""
        results = SyncService(self.session, Collector(device.id, device.user_id)).apply(data.items)
        entries = None
        if data.manifest is not None:
            entries = record_manifest(
                self.session,
                device.id,
                data.manifest,
                append=data.manifest_append,
                unfinished=data.unfinished,
            )
        return SyncResponse(results=results, manifest_entries=entries, server_time=utcnow())

    def quotas_for(self, device: Device, slug: str) -> list[QuotaCell]:
        """Quota targets and progress of a consultation the tablet's interviewer may collect for."""
        consultation, user = self.consultations.find(slug), self.session.get(User, device.user_id)
        if (
            consultation is None
            or user is None
            or not grants.may(self.session, user, consultation.id, Role.INTERVIEWER)
        ):
            raise NotAssigned(f"consultation '{slug}' is not assigned to this interviewer")
        return quota_cells(self.session, consultation)

    def devices(self) -> list[DeviceInfo]:
        """Every registered tablet."""
        return [
            DeviceInfo(d.id, d.label, u, d.created_at, d.last_seen_at, d.revoked_at)
            for d, u in field_devices.devices_with_owners(self.session)
        ]

    def revoke(self, device_id: int, admin: User) -> DeviceInfo:
        """Revoke a tablet (idempotent) and describe it."""
        device = revoke_device(self.session, device_id, actor=admin.username, actor_id=admin.id)
        return DeviceInfo(
            device.id, device.label, field_devices.owner_name(self.session, device), device.created_at,
            device.last_seen_at, device.revoked_at,
        )  # fmt: skip

    def reconciliation(self, device_id: int) -> Reconciliation:
        """The tablet's manifest against the store."""
        return reconciliation(self.session, device_id)

    def import_export(self, data: ExportFile, admin: User) -> SyncResponse:
        """A tablet's export file, stored with sync's idempotency and audited."""
        device = field_devices.device_of(self.session, data.device_id, data.interviewer_id)
        if device is None:
            raise NotFoundError(f"device {data.device_id} of interviewer {data.interviewer_id} not found")
        results = SyncService(self.session, Collector(device.id, device.user_id)).apply(data.items)
        record(
            self.session, actor=admin.username, actor_id=admin.id, action="import_field_export",
            entity="device", entity_id=device.id, details={"items": len(data.items)},
        )  # fmt: skip
        return SyncResponse(results=results, server_time=utcnow())

    def assign(self, data: AssignmentRequest, admin: User) -> None:
        """Assign an interviewer to a consultation (idempotent)."""
        user = interviewer_named(self.session, data.username)
        if user is None:
            raise NotFoundError(f"no interviewer '{data.username}'")
        assign(self.session, user, self.consultations.get(data.consultation), actor=admin.username)

    def set_quotas(self, slug: str, cells: list[QuotaCell], admin: User) -> list[QuotaCell]:
        """Replace the consultation's quota cells; their targets and progress afterwards."""
        consultation = self.consultations.get(slug)
        set_quotas(self.session, consultation, cells, actor=admin.username)
        return quota_cells(self.session, consultation)

    def set_supervisor_code(self, slug: str, code: str, admin: User) -> None:
        """Set or rotate the consultation's supervisor unlock code."""
        set_code(self.session, self.consultations.get(slug), code, actor=admin.username)

    def contacts(self, slug: str) -> dict[str, int]:
        """Refusals and not-at-home counts of the consultation."""
        return contact_counts(self.session, self.consultations.get(slug))


@dataclass(frozen=True)
class QuotaPanel:
    """One consultation's quota cells on the coordinators' overview, with its adaptive plan if any."""

    consultation: Consultation
    cells: list[QuotaCell]
    adaptive: AdaptiveStatus | None


class CoordinatorService:
    """What the coordinators' pages read: tablets the viewer may supervise, quotas they coordinate."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def reconciliations(self, viewer: User) -> list[Reconciliation]:
        """Manifest against store for every tablet ``viewer`` may supervise, by device id."""
        return reconciliations(self.session, visible_devices(self.session, viewer))

    def reconciliation(self, device_id: int) -> Reconciliation:
        """One tablet's manifest against the store."""
        return reconciliation(self.session, device_id)

    def quota_panels(self, viewer: User) -> list[QuotaPanel]:
        """Consultations with quotas that ``viewer`` coordinates, oldest first (adaptive quotas are
        re-planned before they are read, :func:`field_app.reports.quota_cells`)."""
        granted = [c.id for c in grants.consultations_for(self.session, viewer, Role(viewer.role))]
        consultations = self.session.scalars(
            select(Consultation)
            .where(Consultation.id.in_(select(FieldQuota.consultation_id)), Consultation.id.in_(granted))
            .order_by(Consultation.id)
        )
        panels = []
        for consultation in consultations:
            cells = quota_cells(self.session, consultation)
            panels.append(QuotaPanel(consultation, cells, adaptive_status(self.session, consultation)))
        return panels

    def coordinated(self, viewer: User) -> list[Consultation]:
        """The consultations ``viewer`` coordinates, oldest first: the overview links to their app users."""
        return grants.consultations_for(self.session, viewer, Role(viewer.role))


@dataclass(frozen=True)
class AdaptiveView:
    """What the workbench's adaptive-quota page shows: the analysis context, the setting, the quotas."""

    context: Context
    state: AdaptiveStatus | None
    quotas: list[QuotaCell]


class AdaptiveService:
    """Adaptive quotas of one consultation, as the workbench page and the supervisors' API change them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def view(self, slug: str) -> AdaptiveView:
        """The analysis context, the setting (plan brought up to date first) and the quotas."""
        context = load_context(self.session, slug)
        state = adaptive_status(self.session, context.consultation)
        return AdaptiveView(context, state, quota_cells(self.session, context.consultation))

    def switch_on(self, slug: str, cells: str, budget: int, *, actor: str) -> None:
        """Plan ``budget`` interviews over ``cells``; a refused plan (StoreError) changes nothing."""
        consultation = ConsultationService(self.session).get(slug)
        with self.session.begin_nested():
            switch_on(self.session, consultation, cells, budget, actor=actor)

    def switch_off(self, slug: str, *, actor: str) -> bool:
        """Switch off; False when it was off already. The quotas stay as last planned."""
        return switch_off(self.session, ConsultationService(self.session).get(slug), actor=actor)

    def payload(self, slug: str) -> dict[str, object]:
        """The setting and the quotas as the supervisors' JSON API returns them."""
        consultation = ConsultationService(self.session).get(slug)
        found = adaptive_status(self.session, consultation)
        return {
            "consultation": slug,
            "adaptive": found.to_dict() if found else None,
            "quotas": [
                {"variable": q.variable, "category": q.category, "target": q.target, "done": q.done,
                 "over": max(q.done - q.target, 0), "labels": q.labels}
                for q in quota_cells(self.session, consultation)
            ],
        }  # fmt: skip
