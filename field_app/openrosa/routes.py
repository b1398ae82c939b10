"""``/openrosa/{slug}``: the server URL an ODK Collect user enters (OpenRosa Form List and Submission APIs).

Collect lists the consultation's current form, downloads it, its media manifest and the files it
lists (choice lists read from CSV files), probes the submission URL with HEAD and posts each finished
interview as multipart with ``xml_submission_file``. Enketo Express makes the same requests from its
server (``formList?formID=``, HEAD on the form list and the submission URL first, without then with
credentials); :mod:`field_app.openrosa.server_routes` is the one address listing every consultation.
A submission is stored by :class:`field_app.sync.SyncService`, exactly as a tablet sync item, so
idempotency (the instanceID is the response UUID), validation, corrections and the coordinators'
reconciliation are the same whichever app collected it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
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
from field_app.openrosa.xform import XForm, cached_xform
from field_app.schemas import ItemResult, SyncItem
from field_app.sync import Collector, SyncService, assigned_consultations
from survey.questionnaire.model import Questionnaire
from survey.store.errors import NotFoundError
from survey.store.models import Consultation, Device, QuestionnaireVersion, User
from survey.store.services.attachments import (
    UPLOAD_BODY_CEILING,
    AttachmentRefusedError,
    AttachmentService,
    Checked,
    Upload,
    check,
)
from survey.store.services.consultations import ConsultationService, load_questionnaire

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


def server_form_id(consultation: Consultation, form_id: str) -> str:
    """The form id the server-level list gives: ``slug.form_id``, unique across consultations.

    Two consultations may well use the same XLSForm (same ``form_id``); Collect keys its forms by id
    and version, so at the one address that lists them all each id names its consultation. Slugs
    hold no dot, so the first dot always ends the slug.
    """
    return f"{consultation.slug}.{form_id}"


def submitted_version(
    session: Session, consultation: Consultation, instance: Instance
) -> QuestionnaireVersion:
    """The stored version an instance names by form id and version number, or InstanceError.

    The id may be the form's own (the consultation's address) or its server-level ``slug.form_id``.
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
    if version is None or instance.form_id not in (
        version.form_id,
        server_form_id(consultation, version.form_id),
    ):
        raise InstanceError(
            f"version: form '{instance.form_id[:100]}' version '{instance.version[:20]}' "
            f"is not a form of '{consultation.slug}'"
        )
    return version


def base_of(request: Request[Any, Any, Any]) -> str:
    # Beside the form list itself, so an app user's key (field_app.openrosa.key_routes) stays in the URL.
    return str(request.base_url).rstrip("/") + request.url.path.rsplit("/", 1)[0]


def accept_length(request: Request[Any, Any, Any]) -> dict[str, str]:
    """What one submission may weigh: Collect splits a larger one over several posts (``*isIncomplete*``)."""
    return {"X-OpenRosa-Accept-Content-Length": str(UPLOAD_BODY_CEILING)}


def _parts(data: dict[str, Any]) -> dict[str, UploadFile]:
    """The attachment parts of a submission by file name (Collect names each part after its file)."""
    found: dict[str, UploadFile] = {}
    for key, value in data.items():
        for part in value if isinstance(value, list) else [value]:
            if key != FORM_FIELD and isinstance(part, UploadFile):
                found[key] = found.get(key) or part
                if part.filename:
                    found.setdefault(part.filename, part)
    return found


def attached_files(
    form: Questionnaire, answers: dict[str, object], data: dict[str, Any], max_bytes: int
) -> list[Checked]:
    """The files this post carries for the instance's photo, recording and file answers, checked.

    Only a file an answer names is read; one missing here may come in a later post of the same
    interview (``*isIncomplete*``). A file refused raises InstanceError naming the question.
    """
    parts = _parts(data)
    checked = []
    for question in (q for q in form.questions if q.type.is_attachment):
        name = answers.get(question.name)
        part = parts.get(name) if isinstance(name, str) else None
        if part is None:
            continue
        part.file.seek(0)
        upload = Upload(question.name, str(name), part.file.read(max_bytes + 1))
        try:
            checked.append(check(question, upload, max_bytes))
        except AttachmentRefusedError as exc:
            raise InstanceError(f"{question.name}: {exc.message('en')}") from None
    return checked


def _refusal(result: ItemResult) -> str:
    if result.errors:
        return "; ".join(f"{e.field}: {e.message}" for e in result.errors)
    return result.detail or result.status


def list_entry(xform: XForm, form_id: str, download: str, manifest: str) -> str:
    return (
        f"<xform><formID>{escape(form_id)}</formID><name>{escape(xform.title)}</name>"
        f"<version>{escape(xform.version)}</version><hash>{xform.md5}</hash>"
        f"<downloadUrl>{escape(download)}</downloadUrl><manifestUrl>{escape(manifest)}</manifestUrl></xform>"
    )


def form_list_document(entries: list[str]) -> Response[str]:
    return xml_document(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xforms xmlns="http://openrosa.org/xforms/xformsList">{"".join(entries)}</xforms>'
    )


def _manifest(xform: XForm, media_prefix: str) -> Response[str]:
    files = "".join(
        f"<mediaFile><filename>{escape(m.name)}</filename><hash>{m.md5}</hash>"
        f"<downloadUrl>{escape(media_prefix + quote(m.name))}</downloadUrl></mediaFile>"
        for m in xform.media
    )
    return xml_document(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest xmlns="http://openrosa.org/xforms/xformsManifest">{files}</manifest>'
    )


def current_xform(session: Session, consultation: Consultation, form_id: str | None = None) -> XForm:
    version = ConsultationService(session).current_version(consultation)
    return cached_xform(version, form_id=form_id)


Locate = Callable[[Instance], tuple[Consultation, QuestionnaireVersion]]


def store_submission(
    request: Request[Any, Any, Any],
    session: Session,
    user: User,
    device_of: DeviceOf,
    data: dict[str, Any],
    locate: Locate,
) -> Response[str]:
    """Store one interview: 201 the first time, 202 when the same instance is sent again.

    ``locate`` finds the consultation and version the instance belongs to (by the address's
    consultation, or by the form id at the server-level address), raising InstanceError or a
    store error (its OpenRosa message) when it belongs to none the user may fill.
    """
    upload = data.get(FORM_FIELD)
    if not isinstance(upload, UploadFile):
        return openrosa_message(f"{FORM_FIELD}: missing (multipart file part)", 400)
    xml_limit = request.app.state.settings.max_body_bytes  # the route admits files; the XML stays small
    document = upload.file.read(xml_limit + 1)
    if len(document) > xml_limit:
        return openrosa_message(
            f"{FORM_FIELD}: larger than {xml_limit} bytes", 413, headers=accept_length(request)
        )
    try:
        instance = read_instance(document)
        consultation, version = locate(instance)
        form = load_questionnaire(version)
        answers = answers_of(instance, form)
        files = attached_files(form, answers, data, request.app.state.settings.max_attachment_bytes)
    except InstanceError as exc:
        return openrosa_message(str(exc), 400, headers=accept_length(request))
    device = device_of()
    item = SyncItem(
        uuid=instance.uuid, consultation=consultation.slug, version_id=version.id, mode="field",
        language=form.default_language, answers=answers, replaces_uuid=instance.deprecated_uuid,
    )  # fmt: skip
    result = SyncService(session, Collector(device.id, user.id)).apply([item])[0]
    status = _STATUS.get(result.status, 400)
    if status in (201, 202):  # a resent or split interview brings files the first post lacked; kept once
        keeper = AttachmentService(session)
        kept = [keeper.keep(consultation.id, instance.uuid, file, replace=False) for file in files]
        status = 201 if any(kept) else status
    if status == 201:
        return openrosa_message(
            "Interview received.", 201, nature="submit_success", headers=accept_length(request)
        )
    if status == 202:
        return openrosa_message(
            "This interview was already received; nothing changed.", 202, nature="submit_success",
            headers=accept_length(request),
        )  # fmt: skip
    if result.code == "different_content":
        return openrosa_message(
            f"{_refusal(result)}: the version received first stays stored; this one was kept for "
            "your coordinator to review",
            409, headers=accept_length(request),
        )  # fmt: skip
    return openrosa_message(_refusal(result), status, headers=accept_length(request))


class OpenRosaController(Controller):
    """Form list, form download, manifest and media, and submission for one consultation."""

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
        form_id: Annotated[str | None, QueryParameter(name="formID", max_length=400)] = None,
    ) -> Response[str]:
        """The consultation's current form, for an interviewer it is assigned to.

        ``?formID=`` (Enketo asks for one form so) lists only the form of that id, or nothing.
        """
        xform = current_xform(db_session, _assigned(db_session, user, slug))
        prefix = base_of(request)
        entry = list_entry(xform, xform.form_id, f"{prefix}/form.xml", f"{prefix}/manifest")
        return form_list_document([entry] if form_id in (None, xform.form_id) else [])

    @get("/form.xml", sync_to_thread=True)
    def form(
        self,
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        slug: FromPath[str],
        form_id: Annotated[str | None, QueryParameter(name="formID", max_length=400)] = None,
    ) -> Response[str]:
        """The current version's XForm, the one the form list names (Collect keeps what it downloaded).

        ``?formID=slug.form_id`` is the server-level list's link: the same form under that id.
        """
        consultation = _assigned(db_session, user, slug)
        xform = current_xform(db_session, consultation)
        if form_id is not None and form_id != xform.form_id:
            if form_id != server_form_id(consultation, xform.form_id):
                raise NotFoundError(f"formID: '{form_id[:100]}' is not a form of '{slug}'")
            xform = current_xform(db_session, consultation, form_id)
        return xml_document(xform.xml)

    @get("/manifest", sync_to_thread=True)
    def manifest(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """The form's media files (choice lists read from files), each with its md5 and address."""
        xform = current_xform(db_session, _assigned(db_session, user, slug))
        return _manifest(xform, base_of(request) + "/media/")

    @get("/media/{name:str}", sync_to_thread=True)
    def media(
        self,
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        slug: FromPath[str],
        name: FromPath[str],
    ) -> Response[bytes]:
        """One media file the manifest lists, byte for byte what its md5 describes."""
        found = current_xform(db_session, _assigned(db_session, user, slug)).media_file(name)
        if found is None:
            raise NotFoundError(f"media: the form of '{slug}' has no file '{name[:100]}'")
        return Response(
            found.content, media_type=found.media_type,
            headers={**VERSION_HEADERS, "Content-Disposition": f'attachment; filename="{found.name}"'},
        )  # fmt: skip

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
        return Response(None, status_code=204, headers={**VERSION_HEADERS, **accept_length(request)})

    @post("/submission", sync_to_thread=True, status_code=201, request_max_body_size=UPLOAD_BODY_CEILING)
    def submit(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        user: NamedDependency[User],
        device_of: NamedDependency[DeviceOf],
        slug: FromPath[str],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[str]:
        """Store one interview of this consultation (see :func:`store_submission`)."""
        consultation = _assigned(db_session, user, slug)

        def locate(instance: Instance) -> tuple[Consultation, QuestionnaireVersion]:
            return consultation, submitted_version(db_session, consultation, instance)

        return store_submission(request, db_session, user, device_of, data, locate)
