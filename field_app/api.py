"""The field JSON API: tablet endpoints (Bearer device token) and supervisor endpoints (HTTP Basic)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import Body, FromPath

from field_app.attachments import TabletFiles
from field_app.auth import provide_admin, provide_coordinator, provide_device, provide_planner
from field_app.errors import FIELD_EXCEPTION_HANDLERS, BatchTooLargeError
from field_app.openapi import DEVICE_RESPONSES, LOGIN_RESPONSES, SYNC_RESPONSES
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
from field_app.service import FieldService
from survey.http.deps import provide_service
from survey.http.login_throttle import limiter_of
from survey.http.params import PathId
from survey.http.ratelimit import client_address
from survey.store.models import Device, User
from survey.store.services.attachments import UPLOAD_BODY_CEILING

LIMITER_KEY = "field_login_limiter"


async def raw_body(request: Request) -> bytes:
    """A request's body as sent (a file), not decoded as JSON."""
    return await request.body()


class FieldApiController(Controller):
    """``/field/api``: what a tablet calls; every error body carries a stable ``code``."""

    path = "/field/api"
    tags = ["field"]  # noqa: RUF012
    exception_handlers = FIELD_EXCEPTION_HANDLERS
    dependencies = {  # noqa: RUF012
        "device": Provide(provide_device, sync_to_thread=True),
        "field_service": provide_service(FieldService),
    }

    @post("/login", status_code=200, sync_to_thread=True, summary="Register this tablet",
          responses=LOGIN_RESPONSES)  # fmt: skip
    def login(
        self,
        request: Request,
        field_service: NamedDependency[FieldService],
        data: Annotated[LoginRequest, Body()],
    ) -> LoginResponse:
        """Interviewer credentials → a new device and its token (only the token's SHA-256 is kept).

        Failed attempts are throttled per account and per client (429 with Retry-After).
        """
        with limiter_of(request, LIMITER_KEY).attempt(data.username, client_address(request)):
            user = field_service.interviewer(data.username, data.password)
        return field_service.register(user, data.device_label)

    @post("/logout", status_code=204, sync_to_thread=True, summary="Sign this tablet out",
          responses=DEVICE_RESPONSES)  # fmt: skip
    def logout(self, field_service: NamedDependency[FieldService], device: NamedDependency[Device]) -> None:
        """End this device token for good: any copy of it gets 401 afterwards.

        The tablet calls it when the interviewer signs out (which it refuses while anything is
        unsent). The token's hash is replaced by one of a secret nobody holds, so the token becomes
        unknown (401), and the device row is marked revoked for the coordinators' list.
        """
        field_service.logout(device)

    @get("/consultations", sync_to_thread=True, summary="Assigned consultations and current versions",
         responses=DEVICE_RESPONSES)  # fmt: skip
    def consultations(
        self, field_service: NamedDependency[FieldService], device: NamedDependency[Device]
    ) -> list[ConsultationInfo]:
        return field_service.assigned(device)

    @get("/versions/{version_id:int}", sync_to_thread=True, summary="Download a questionnaire version",
         responses=DEVICE_RESPONSES)  # fmt: skip
    def version(
        self,
        field_service: NamedDependency[FieldService],
        device: NamedDependency[Device],
        version_id: FromPath[PathId],
    ) -> VersionDocument:
        return field_service.version(device, version_id)

    @post("/sync", status_code=200, sync_to_thread=True, summary="Upload a batch of interviews",
          responses=SYNC_RESPONSES)  # fmt: skip
    def sync(
        self,
        field_service: NamedDependency[FieldService],
        device: NamedDependency[Device],
        data: Annotated[SyncRequest, Body()],
    ) -> SyncResponse:
        """Per-item results; safe to repeat: a UUID already stored with the same content is a duplicate.

        Refused items and refused requests carry a stable ``code`` (``different_content``,
        ``device_revoked``…) that the tablet translates; ``detail`` stays English for support.
        """
        if len(data.items) > MAX_BATCH:
            raise BatchTooLargeError(f"at most {MAX_BATCH} items per batch")
        return field_service.sync(device, data)

    @put("/attachments/{uuid:str}/{question:str}", status_code=200, sync_to_thread=True,
         summary="Upload one photo, recording or file of a synced interview", responses=DEVICE_RESPONSES,
         request_max_body_size=UPLOAD_BODY_CEILING,
         dependencies={"tablet_files": provide_service(TabletFiles), "raw_body": Provide(raw_body)})  # fmt: skip
    def attachment(
        self, request: Request, tablet_files: NamedDependency[TabletFiles], device: NamedDependency[Device],
        uuid: FromPath[str], question: FromPath[str], raw_body: NamedDependency[bytes],
    ) -> dict[str, bool]:  # fmt: skip
        """The raw bytes of the file the interview's answer names (``X-File-Name``, URL-encoded).

        Safe to repeat: the same bytes again are acknowledged (``stored: false``) and kept once.
        """
        filename = unquote(request.headers.get("x-file-name", ""))
        limit = request.app.state.settings.max_attachment_bytes
        return {"stored": tablet_files.attach(device, uuid, question, filename, raw_body, limit)}

    @get("/consultations/{slug:str}/quotas", sync_to_thread=True, summary="Quota targets and progress",
         responses=DEVICE_RESPONSES)  # fmt: skip
    def quotas(
        self,
        field_service: NamedDependency[FieldService],
        device: NamedDependency[Device],
        slug: FromPath[str],
    ) -> list[QuotaCell]:
        return field_service.quotas_for(device, slug)


class FieldAdminController(Controller):
    """``/field/api/admin``: supervisors' endpoints (HTTP Basic, admin or analyst as stated)."""

    path = "/field/api/admin"
    tags = ["field admin"]  # noqa: RUF012
    exception_handlers = FIELD_EXCEPTION_HANDLERS
    dependencies = {"field_service": provide_service(FieldService)}  # noqa: RUF012

    @get("/devices", sync_to_thread=True, summary="Registered devices",
         dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def devices(
        self, field_service: NamedDependency[FieldService], admin: NamedDependency[User]
    ) -> list[DeviceInfo]:
        return field_service.devices()

    @post("/devices/{device_id:int}/revoke", status_code=200, sync_to_thread=True, summary="Revoke a device",
          dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def revoke(
        self,
        field_service: NamedDependency[FieldService],
        admin: NamedDependency[User],
        device_id: FromPath[PathId],
    ) -> DeviceInfo:
        return field_service.revoke(device_id, admin)

    @get("/devices/{device_id:int}/reconciliation", sync_to_thread=True, summary="Manifest vs store",
         dependencies={"admin": Provide(provide_coordinator, sync_to_thread=True)})  # fmt: skip
    def reconcile(
        self,
        field_service: NamedDependency[FieldService],
        admin: NamedDependency[User],
        device_id: FromPath[PathId],
    ) -> Reconciliation:
        """Admins and coordinators only (the HTML view is ``/field/coordinator``)."""
        return field_service.reconciliation(device_id)

    @post("/import", status_code=200, sync_to_thread=True, summary="Import a tablet export file",
          dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def import_export(
        self,
        field_service: NamedDependency[FieldService],
        admin: NamedDependency[User],
        data: Annotated[ExportFile, Body()],
    ) -> SyncResponse:
        """Same idempotency as sync: importing twice, or after the tablet synced, stores nothing new."""
        return field_service.import_export(data, admin)

    @put("/assignments", status_code=200, sync_to_thread=True, summary="Assign a consultation",
         dependencies={"admin": Provide(provide_admin, sync_to_thread=True)})  # fmt: skip
    def assign(
        self,
        field_service: NamedDependency[FieldService],
        admin: NamedDependency[User],
        data: Annotated[AssignmentRequest, Body()],
    ) -> AssignmentRequest:
        field_service.assign(data, admin)
        return data

    @put("/consultations/{slug:str}/quotas", status_code=200, sync_to_thread=True, summary="Set quotas",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def set_quotas(
        self,
        field_service: NamedDependency[FieldService],
        admin: NamedDependency[User],
        slug: FromPath[str],
        data: Annotated[list[QuotaCell], Body()],
    ) -> list[QuotaCell]:
        """Replace all cells; a cell names single-choice questions and one choice of each.

        A crossed cell joins them with ":" as weighting targets do: ``age_group:education`` =
        ``18-24:low``.
        """
        return field_service.set_quotas(slug, data, admin)

    @put("/consultations/{slug:str}/supervisor-code", status_code=204, sync_to_thread=True,
         summary="Set or rotate the supervisor unlock code",
         dependencies={"admin": Provide(provide_coordinator, sync_to_thread=True)})  # fmt: skip
    def supervisor_code(
        self,
        field_service: NamedDependency[FieldService],
        admin: NamedDependency[User],
        slug: FromPath[str],
        data: Annotated[SupervisorCodeRequest, Body()],
    ) -> None:
        """Admins and coordinators; tablets get its hash (never the code) at their next sync."""
        field_service.set_supervisor_code(slug, data.code, admin)

    @get("/consultations/{slug:str}/contacts", sync_to_thread=True, summary="Refusals / not at home",
         dependencies={"admin": Provide(provide_planner, sync_to_thread=True)})  # fmt: skip
    def contacts(
        self, field_service: NamedDependency[FieldService], admin: NamedDependency[User], slug: FromPath[str]
    ) -> dict[str, int]:
        return field_service.contacts(slug)
