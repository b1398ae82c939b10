"""Security headers on every response: a strict CSP (no inline script, no third-party origin)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "geolocation=(), camera=(), microphone=()",
    "cross-origin-opener-policy": "same-origin",
}
# The OpenAPI viewer loads its own scripts; it gets the default headers minus the strict CSP.
_RELAXED_PREFIXES = ("/schema",)
# Encoded once: this runs on every response, the online submissions' hot path included.
_STRICT = [(name.encode(), value.encode()) for name, value in HEADERS.items()]
_RELAXED = [(name, value) for name, value in _STRICT if name != b"content-security-policy"]


async def refuse_nul_in_path(request: Request[Any, Any, Any]) -> None:
    """A NUL in a path (``/c/%00``) names nothing, and PostgreSQL cannot even compare it: 404 first.

    Async on purpose: Litestar runs a plain function hook in a worker thread, a hop on every request.
    """
    if "\x00" in request.scope["path"]:
        raise NotFoundException("no such page")


def security_headers_middleware(app: ASGIApp) -> ASGIApp:
    """Wrap the app so every HTTP response carries the headers above."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        defaults = _RELAXED if scope["path"].startswith(_RELAXED_PREFIXES) else _STRICT

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in headers}
                headers.extend(item for item in defaults if item[0] not in present)
                message["headers"] = headers
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
