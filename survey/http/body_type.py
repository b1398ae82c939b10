"""A request body is read only in the encoding its handler declares: JSON APIs refuse anything else with 415.

Why: Litestar decodes a JSON handler's body as JSON whatever the ``Content-Type`` says. A body sent
as ``text/plain`` is a "simple" cross-site request that any web page can make its visitors' browsers
send without a CORS preflight, so answers could be submitted from thousands of addresses, past the
per-client rate limit. Requiring ``application/json`` (or ``application/*+json``) forces a preflight,
which fails unless the origin is listed in ``SURVEY_CORS_ORIGINS``. Form handlers likewise take only
form encodings. The rule is read off each handler's declared body, so a new route is covered at once.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.handlers import HTTPRouteHandler
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE

__all__ = ["declared_encoding", "is_json_type", "refuse_undeclared_body_type"]

_FORM_TYPES = frozenset({RequestEncodingType.URL_ENCODED.value, RequestEncodingType.MULTI_PART.value})


class UnsupportedMediaType(HTTPException):
    """The body's content type is not the one the route reads."""

    status_code = HTTP_415_UNSUPPORTED_MEDIA_TYPE


def is_json_type(content_type: str) -> bool:
    """``application/json`` or a ``+json`` type such as ``application/merge-patch+json``, any parameters."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def declared_encoding(handler: HTTPRouteHandler) -> str | None:
    """The encoding the handler's ``data`` parameter is declared with, None if it reads no body that way."""
    parameter = handler.parsed_fn_signature.parameters.get("data")
    if parameter is None:
        return None
    media = getattr(parameter.kwarg_definition, "media_type", None) or RequestEncodingType.JSON
    return str(getattr(media, "value", media))


async def refuse_undeclared_body_type(request: Request[Any, Any, Any]) -> None:
    """415 when a body arrives in another encoding than the handler reads, naming the one it wants."""
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler):
        return
    wanted = declared_encoding(handler)
    if wanted is None:
        return
    given = request.headers.get("content-type", "")
    if (
        not given
        and request.headers.get("content-length", "0") == "0"
        and "transfer-encoding" not in request.headers
    ):
        return  # no body at all: the handler says which one it needs
    if wanted == RequestEncodingType.JSON.value:
        if not is_json_type(given):
            raise UnsupportedMediaType(
                f"send the body as application/json (got {given or 'no Content-Type'})"
            )
    elif wanted in _FORM_TYPES and given.split(";", 1)[0].strip().lower() not in _FORM_TYPES:
        raise UnsupportedMediaType(f"send the form as {wanted} (got {given or 'no Content-Type'})")
