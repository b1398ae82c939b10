"""The OpenAPI document states every status an operation can answer, those of the edge included.

Handlers document what they decide (201, 409, …); the checks every request passes first can also
answer: 400 (unreadable query or body, text the policy refuses), 401 and 403 (staff and tablet
routes), 404 (a path naming nothing), 413, 415 and 422 (request bodies), 429 (rate limits and sign-in
throttles), 503 (the database briefly unavailable). Clients, and schemathesis in the tests, read them
all from ``/schema/openapi.json``; each is the same JSON error body.
"""

from __future__ import annotations

import copy
from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

__all__ = ["DocumentedJson", "with_edge_errors"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status_code", "detail"],
    "properties": {
        "status_code": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "stable error code (field API)"},
        "errors": {
            "type": "array",
            "items": {"type": "object"},
            "description": "one entry per field at fault",
        },
    },
}
_WHY = {
    "400": "Unreadable query or body, or text the input policy refuses (named)",
    "401": "Not signed in (staff session, HTTP Basic or tablet token)",
    "403": "Signed in without the role or device the route needs",
    "404": "Nothing of that name or id here",
    "413": "Request body too large",
    "415": "The body is not sent as application/json",
    "422": "A field's value is refused (each named)",
    "429": "Too many requests or failed sign-ins; see Retry-After",
    "503": "The store is briefly unavailable; see Retry-After",
}
_SIGNED_IN = ("/field/api/", "/analyst/api/")
_OPEN = ("/field/api/login",)
_THROTTLED = ("/api/consultations/{slug}/responses", "/field/api/login", "/field/api/admin", "/analyst/api/")


def _statuses(path: str, operation: dict[str, Any]) -> list[str]:
    codes = ["400", "503"]
    if "{" in path:
        codes.append("404")
    if operation.get("requestBody"):
        codes += ["404", "413", "415", "422"]
    if path.startswith(_SIGNED_IN) and not path.startswith(_OPEN):
        codes += ["401", "403", "404", "422"]
    if path.startswith(_THROTTLED):
        codes.append("429")
    return codes


def with_edge_errors(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the OpenAPI document with the edge's error statuses added where missing."""
    document = copy.deepcopy(document)
    document.setdefault("components", {}).setdefault("schemas", {})["EdgeError"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/EdgeError"}
    for path, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete") or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for code in _statuses(path, operation):
                responses.setdefault(
                    code, {"description": _WHY[code], "content": {"application/json": {"schema": ref}}}
                )
    return document


class DocumentedJson(JsonRenderPlugin):
    """``/schema/openapi.json`` with the edge's statuses (see :func:`with_edge_errors`)."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, with_edge_errors(openapi_schema))
