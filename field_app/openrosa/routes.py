"""``/openrosa/{slug}``: the server URL an ODK Collect user enters (OpenRosa Form List and Submission APIs).

Collect lists the consultation's current form, downloads it and its (empty) media manifest, probes the
submission URL with HEAD and posts each finished interview as multipart with ``xml_submission_file``.
A submission is stored by :class:`field_app.sync.SyncService`, exactly as a tablet sync item, so
idempotency (the instanceID is the response UUID), validation, corrections and the coordinators'
reconciliation are the same whichever app collected it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from xml.sax.saxutils import escape

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.errors import NotAssigned
from field_app.openrosa.auth import collect_device, interviewer
from field_app.openrosa.instance import Instance, InstanceError, answers_of, read_instance
from field_app.openrosa.responses import (
    OPENROSA_EXCEPTION_HANDLERS,
    VERSION_HEADERS,
    openrosa_message,
    xml_document,
)
from field_app.openrosa.xform import build_xform
from field_app.schemas import ItemResult, SyncItem
from field_app.sync import Collector, SyncService, assigned_consultations
from survey.questionnaire.model import Questionnaire
from survey.store.models import Consultation, Device, QuestionnaireVersion, User
from survey.store.services.consultations import ConsultationService

FORM_FIELD = "xml_submission_file"
_STATUS = {"stored": 201, "duplicate": 202, "conflict": 409}
_NUMBER = re.compile(r"[0-9]{1,9}")
DeviceOf = Callable[[], Device]


def provide_interviewer(request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> User:
    return interviewer(db_session, request)


def provide_device_of(db_session: NamedDependency[Session], user: NamedDependency[User]) -> DeviceOf:
    """The device a submission is attributed to, looked up only once the submission is readable."""
    return lambda: collect_device(db_session, user)


def _assigned(session: Session, user: User, slug: str) -> Consultation:
    for consultation in assigned_consultations(session, user.id):
        if consultation.slug == slug:
            return consultation
    raise NotAssigned(f"consultation '{slug}' is not assigned to {user.username}")


def _submitted_version(
    session: Session, consultation: Consultation, instance: Instance
) -> QuestionnaireVersion:
    """The stored version an instance names by form id and version number, or InstanceError.

    Only plain ASCII numbers of at most nine digits are looked up: ``int()`` accepts other digits
    ("²" fails inside it) and a longer number overflows the database's integer column.
    """
    number = int(instance.version) if _NUMBER.fullmatch(instance.version) else None
    version = None
    if number is not None:
        version = session.scalar(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.consultation_id == consultation.id, QuestionnaireVersion.number == number
            )
        )
    if version is None or version.form_id != instance.form_id:
        raise InstanceError(
            f"version: form '{instance.form_id[:100]}' version '{instance.version[:20]}' "
            f"is not a form of '{consultation.slug}'"
        )
    return version


def _form_url(request: Request[Any, Any, Any], slug: str, leaf: str) -> str:
    # Beside the form list itself, so an app user's key (field_app.openrosa.key_routes) stays in the URL.
    return str(request.base_url).rstrip("/") + request.url.path.rsplit("/", 1)[0] + f"/{leaf}"


def _accept_length(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"X-OpenRosa-Accept-Content-Length": str(request.app.request_max_body_size or 0)}


def _refusal(result: ItemResult) -> str:
    if result.errors:
        return "; ".join(f"{e.field}: {e.message}" for e in result.errors)
    return result.detail or result.status


class OpenRosaController(Controller):
    """Form list, form download, manifest, and submission for one consultation."""

    path = "/openrosa/{slug:str}"
    tags = ["openrosa"]  # noqa: RUF012
    exception_handlers = OPENROSA_EXCEPTION_HANDLERS
    dependencies = {  # noqa: RUF012
        "user": Provide(provide_interviewer, sync_to_thread=True),
        "device_of": Provide(provide_device_of, sync_to_thread=False),
    }
    include_in_schema = False

    @get("/formList", sync_to_thread=True)
    def form_list(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """The consultation's current form, for an interviewer it is assigned to."""
        consultation = _assigned(db_session, user, slug)
        version = ConsultationService(db_session).current_version(consultation)
        xform = build_xform(version)
        item = (
            f"<xform><formID>{escape(xform.form_id)}</formID><name>{escape(xform.title)}</name>"
            f"<version>{escape(xform.version)}</version><hash>{xform.md5}</hash>"
            f"<downloadUrl>{escape(_form_url(request, slug, 'form.xml'))}</downloadUrl>"
            f"<manifestUrl>{escape(_form_url(request, slug, 'manifest'))}</manifestUrl></xform>"
        )
        return xml_document(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="http://openrosa.org/xforms/xformsList">{item}</xforms>'
        )

    @get("/form.xml", sync_to_thread=True)
    def form(
        self, db_session: NamedDependency[Session], user: NamedDependency[User], slug: FromPath[str]
    ) -> Response[str]:
        """The current version's XForm, the one the form list names (Collect keeps what it downloaded)."""
        consultation = _assigned(db_session, user, slug)
        return xml_document(build_xform(ConsultationService(db_session).current_version(consultation)).xml)

    @get("/manifest", sync_to_thread=True)
    def manifest(
        self, db_session: NamedDependency[Session], user: NamedDependency[User], slug: FromPath[str]
    ) -> Response[str]:
        """No media files: choice lists read from files are already inside the XForm."""
        _assigned(db_session, user, slug)
        return xml_document(
            '<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="http://openrosa.org/xforms/xformsManifest"/>'
        )

    @get("/submission", sync_to_thread=True, status_code=204)
    def probe(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[None]:
        """Collect's HEAD probe before posting: credentials checked, the accepted body size told.

        Declared as GET: the app answers every HEAD with its path's GET handler (:mod:`survey.http.head`).
        """
        _assigned(db_session, user, slug)
        return Response(None, status_code=204, headers={**VERSION_HEADERS, **_accept_length(request)})

    @post("/submission", sync_to_thread=True, status_code=201)
    def submit(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        device_of: NamedDependency[DeviceOf],
        slug: FromPath[str],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[str]:
        """Store one interview: 201 the first time, 202 when the same instance is sent again."""
        consultation = _assigned(db_session, user, slug)
        upload = data.get(FORM_FIELD)
        if not isinstance(upload, UploadFile):
            return openrosa_message(f"{FORM_FIELD}: missing (multipart file part)", 400)
        try:
            instance = read_instance(upload.file.read())
            version = _submitted_version(db_session, consultation, instance)
            form = Questionnaire.from_dict(version.content)
            answers = answers_of(instance, form)
        except InstanceError as exc:
            return openrosa_message(str(exc), 400, headers=_accept_length(request))
        device = device_of()
        item = SyncItem(
            uuid=instance.uuid, consultation=slug, version_id=version.id, mode="field",
            language=form.default_language, answers=answers, replaces_uuid=instance.deprecated_uuid,
        )  # fmt: skip
        result = SyncService(db_session, Collector(device.id, user.id)).apply([item])[0]
        status = _STATUS.get(result.status, 400)
        if status == 201:
            return openrosa_message(
                "Interview received.", 201, nature="submit_success", headers=_accept_length(request)
            )
        if status == 202:
            return openrosa_message(
                "This interview was already received; nothing changed.", 202, nature="submit_success",
                headers=_accept_length(request),
            )  # fmt: skip
        return openrosa_message(_refusal(result), status, headers=_accept_length(request))
