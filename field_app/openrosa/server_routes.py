"""``/openrosa``: one server address for every consultation an interviewer is assigned to.

Why: an interviewer who collects for three consultations should not reconfigure Collect (or keep
three Collect projects) to switch between them. At this address the form list holds the current
form of every assigned consultation and the submission URL takes any of them: an instance is routed
by its form id and version. Each form is listed as ``slug.form_id``
(:func:`~field_app.openrosa.service.server_form_id`), since two consultations may use the same
XLSForm; its download, manifest and media links are the consultation's own routes. An instance
whose id is a plain ``form_id`` (a form downloaded from a consultation's own address) is routed when
exactly one assigned consultation has that form and version. A form of a consultation the
interviewer is not assigned to is refused (403), whether or not it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter

from field_app.openrosa.responses import OPENROSA_EXCEPTION_HANDLERS, VERSION_HEADERS
from field_app.openrosa.routes import (
    CALLER_DEPENDENCIES,
    accept_length,
    base_of,
    form_list_document,
    list_entry,
    store_submission,
)
from field_app.openrosa.service import DeviceOf, OpenRosaService, server_form_id
from field_app.openrosa.xform import cached_xform
from survey.store.models import Consultation, User
from survey.store.services.attachments import UPLOAD_BODY_CEILING

ConsultationUrl = Callable[[str], str]


def provide_assigned(
    openrosa_service: NamedDependency[OpenRosaService], user: NamedDependency[User]
) -> list[Consultation]:
    """Every consultation the interviewer is assigned to."""
    return openrosa_service.assigned(user)


def provide_consultation_url(request: Request[Any, Any, Any]) -> ConsultationUrl:
    """A consultation's own address beside this one: ``…/openrosa`` → ``…/openrosa/SLUG``."""
    return lambda slug: f"{base_of(request)}/{slug}"


class ServerOpenRosaController(Controller):
    """The form list of every assigned consultation, and one submission URL for all of them."""

    path = "/openrosa"
    tags = ["openrosa"]  # noqa: RUF012
    exception_handlers = OPENROSA_EXCEPTION_HANDLERS
    dependencies = {  # noqa: RUF012
        **CALLER_DEPENDENCIES,
        "assigned": Provide(provide_assigned, sync_to_thread=True),
        "consultation_url": Provide(provide_consultation_url, sync_to_thread=False),
    }
    include_in_schema = False

    @get("/formList", sync_to_thread=True)
    def form_list(
        self,
        openrosa_service: NamedDependency[OpenRosaService],
        assigned: NamedDependency[list[Consultation]],
        consultation_url: NamedDependency[ConsultationUrl],
        form_id: Annotated[str | None, QueryParameter(name="formID", max_length=400)] = None,
    ) -> Response[str]:
        """The current form of each assigned consultation as ``slug.form_id`` (``?formID=``: that one only)."""
        entries = []
        for consultation in assigned:
            version = openrosa_service.current_version(consultation)
            listed_id = server_form_id(consultation, version.form_id)
            if form_id not in (None, listed_id):
                continue
            xform = cached_xform(version, listed_id)  # the id is in the XForm, so in its hash
            own = consultation_url(consultation.slug)
            download = f"{own}/form.xml?formID={quote(listed_id, safe='')}"
            entries.append(list_entry(xform, listed_id, download, f"{own}/manifest"))
        return form_list_document(entries)

    @get("/submission", sync_to_thread=True, status_code=204)
    def probe(
        self, request: Request[Any, Any, Any], assigned: NamedDependency[list[Consultation]]
    ) -> Response[None]:
        """The HEAD probe (declared as GET, see :mod:`survey.http.head`): credentials and body size."""
        return Response(None, status_code=204, headers={**VERSION_HEADERS, **accept_length(request)})

    @post("/submission", sync_to_thread=True, status_code=201, request_max_body_size=UPLOAD_BODY_CEILING)
    def submit(
        self,
        request: Request[Any, Any, Any],
        openrosa_service: NamedDependency[OpenRosaService],
        user: NamedDependency[User],
        device_of: NamedDependency[DeviceOf],
        assigned: NamedDependency[list[Consultation]],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[str]:
        """Store one interview of any assigned consultation, routed by its form id and version."""
        locate = openrosa_service.by_form(assigned)
        return store_submission(request, openrosa_service, user, device_of, data, locate)
