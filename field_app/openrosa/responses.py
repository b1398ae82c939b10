"""OpenRosa's XML bodies and headers, and the handlers that turn every error into one.

ODK Collect shows the ``<message>`` of an OpenRosa response to the interviewer, so a refusal says in
a sentence what is wrong (naming the field) instead of a JSON body Collect would not read. Every
response carries ``X-OpenRosa-Version: 1.0`` as the Form List and Form Submission APIs require.
"""

from __future__ import annotations

import logging
from typing import Any
from xml.sax.saxutils import escape

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from survey.http.errors import store_error_handler
from survey.store.errors import StoreError

log = logging.getLogger("field_app.openrosa")
VERSION_HEADERS = {"X-OpenRosa-Version": "1.0"}
XML = "text/xml; charset=utf-8"
_RESPONSE_NS = "http://openrosa.org/http/response"


def openrosa_message(
    text: str, status: int, *, nature: str = "", headers: dict[str, str] | None = None
) -> Response[str]:
    """An ``<OpenRosaResponse>`` with one message; Collect shows the text as it is."""
    attribute = f' nature="{escape(nature)}"' if nature else ""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{_RESPONSE_NS}">'
        f"<message{attribute}>{escape(text)}</message></OpenRosaResponse>"
    )
    return Response(body, status_code=status, media_type=XML, headers={**VERSION_HEADERS, **(headers or {})})


def xml_document(body: str, status: int = 200) -> Response[str]:
    """An XML document (form list, form, manifest) with the OpenRosa version header."""
    return Response(body, status_code=status, media_type=XML, headers=VERSION_HEADERS)


def _http(_request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
    headers = {
        k: v for k, v in (exc.headers or {}).items() if k.lower() in ("www-authenticate", "retry-after")
    }
    return openrosa_message(str(exc.detail), exc.status_code, headers=headers)


def _store(request: Request[Any, Any, Any], exc: StoreError) -> Response[str]:
    status = store_error_handler(request, exc).status_code  # the platform's one mapping of store errors
    headers = {"WWW-Authenticate": 'Basic realm="openrosa"'} if status == 401 else None
    return openrosa_message(str(exc), status or 400, headers=headers)


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    log.exception("openrosa request failed: %s %s", request.method, request.url.path)
    return openrosa_message("The server could not handle this request; try again later.", 500)


OPENROSA_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    StoreError: _store,
    HTTPException: _http,
    Exception: _internal,
}
MEDIA_TYPE = MediaType.XML
