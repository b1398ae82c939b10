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

from typing import Annotated, Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter

from field_app.openrosa.responses import (
    OPENROSA_EXCEPTION_HANDLERS,
    VERSION_HEADERS,
    openrosa_message,
    xml_document,
)
from field_app.openrosa.service import DeviceOf, Locate, OpenRosaService, server_form_id
from field_app.openrosa.xform import XForm
from survey.http.deps import provide_service
from survey.store.errors import NotFoundError
from survey.store.models import User
from survey.store.services.attachments import UPLOAD_BODY_CEILING

FORM_FIELD = "xml_submission_file"


def provide_interviewer(
    request: Request[Any, Any, Any], openrosa_service: NamedDependency[OpenRosaService]
) -> User:
    return openrosa_service.interviewer(request)


def provide_device_of(
    openrosa_service: NamedDependency[OpenRosaService], user: NamedDependency[User]
) -> DeviceOf:
    """The device a submission is attributed to, looked up only once the submission is readable."""
    return lambda: openrosa_service.collect_device(user)


CALLER_DEPENDENCIES = {
    "openrosa_service": provide_service(OpenRosaService),
    "user": Provide(provide_interviewer, sync_to_thread=True),
    "device_of": Provide(provide_device_of, sync_to_thread=False),
}
"""Who calls (Basic credentials or an app user's key) and the device a submission is attributed to:
the same for one consultation's URL and the server-wide one (:mod:`field_app.openrosa.server_routes`)."""


def base_of(request: Request[Any, Any, Any]) -> str:
    # Beside the form list itself, so an app user's key (field_app.openrosa.key_routes) stays in the URL.
    return str(request.base_url).rstrip("/") + request.url.path.rsplit("/", 1)[0]


def accept_length(request: Request[Any, Any, Any]) -> dict[str, str]:
    """What one submission may weigh: Collect splits a larger one over several posts (``*isIncomplete*``)."""
    return {"X-OpenRosa-Accept-Content-Length": str(UPLOAD_BODY_CEILING)}


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


def store_submission(
    request: Request[Any, Any, Any],
    service: OpenRosaService,
    user: User,
    device_of: DeviceOf,
    data: dict[str, Any],
    locate: Locate,
) -> Response[str]:
    """Store one interview (:meth:`OpenRosaService.submit`) and answer as Collect expects.

    ``locate`` finds the consultation and version the instance belongs to (by the address's
    consultation, or by the form id at the server-level address).
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
    files = {key: value for key, value in data.items() if key != FORM_FIELD}
    max_bytes = request.app.state.settings.max_attachment_bytes
    outcome = service.submit(document, files, user, device_of, locate, max_attachment_bytes=max_bytes)
    nature = "submit_success" if outcome.received else ""
    return openrosa_message(outcome.message, outcome.status, nature=nature, headers=accept_length(request))


class OpenRosaController(Controller):
    """Form list, form download, manifest and media, and submission for one consultation."""

    path = "/openrosa/{slug:str}"
    tags = ["openrosa"]  # noqa: RUF012
    exception_handlers = OPENROSA_EXCEPTION_HANDLERS
    dependencies = CALLER_DEPENDENCIES
    include_in_schema = False

    @get("/formList", sync_to_thread=True)
    def form_list(
        self,
        request: Request[Any, Any, Any],
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        slug: FromPath[str],
        form_id: Annotated[str | None, QueryParameter(name="formID", max_length=400)] = None,
    ) -> Response[str]:
        """The consultation's current form, for an interviewer it is assigned to.

        ``?formID=`` (Enketo asks for one form so) lists only the form of that id, or nothing.
        """
        xform = openrosa_service.current_xform(openrosa_service.assigned_to(user, slug))
        prefix = base_of(request)
        entry = list_entry(xform, xform.form_id, f"{prefix}/form.xml", f"{prefix}/manifest")
        return form_list_document([entry] if form_id in (None, xform.form_id) else [])

    @get("/form.xml", sync_to_thread=True)
    def form(
        self,
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        slug: FromPath[str],
        form_id: Annotated[str | None, QueryParameter(name="formID", max_length=400)] = None,
    ) -> Response[str]:
        """The current version's XForm, the one the form list names (Collect keeps what it downloaded).

        ``?formID=slug.form_id`` is the server-level list's link: the same form under that id.
        """
        consultation = openrosa_service.assigned_to(user, slug)
        xform = openrosa_service.current_xform(consultation)
        if form_id is not None and form_id != xform.form_id:
            if form_id != server_form_id(consultation, xform.form_id):
                raise NotFoundError(f"formID: '{form_id[:100]}' is not a form of '{slug}'")
            xform = openrosa_service.current_xform(consultation, form_id)
        return xml_document(xform.xml)

    @get("/manifest", sync_to_thread=True)
    def manifest(
        self,
        request: Request[Any, Any, Any],
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """The form's media files (choice lists read from files), each with its md5 and address."""
        xform = openrosa_service.current_xform(openrosa_service.assigned_to(user, slug))
        return _manifest(xform, base_of(request) + "/media/")

    @get("/media/{name:str}", sync_to_thread=True)
    def media(
        self,
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        slug: FromPath[str],
        name: FromPath[str],
    ) -> Response[bytes]:
        """One media file the manifest lists, byte for byte what its md5 describes."""
        found = openrosa_service.current_xform(openrosa_service.assigned_to(user, slug)).media_file(name)
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
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[None]:
        """Collect's HEAD probe before posting: credentials checked, the accepted body size told.

        Declared as GET: the app answers every HEAD with its path's GET handler (:mod:`survey.http.head`).
        """
        openrosa_service.assigned_to(user, slug)
        return Response(None, status_code=204, headers={**VERSION_HEADERS, **accept_length(request)})

    @post("/submission", sync_to_thread=True, status_code=201, request_max_body_size=UPLOAD_BODY_CEILING)
    def submit(
        self,
        request: Request[Any, Any, Any],
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        device_of: NamedDependency[DeviceOf],
        slug: FromPath[str],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[str]:
        """Store one interview of this consultation (see :func:`store_submission`)."""
        locate = openrosa_service.in_consultation(openrosa_service.assigned_to(user, slug))
        return store_submission(request, openrosa_service, user, device_of, data, locate)
