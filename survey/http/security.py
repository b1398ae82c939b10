"""Security headers on every response: a strict CSP (no inline script, no third-party origin).

Pages that show staff data or a respondent's saved answers also get ``Cache-Control: no-store``, so
a shared computer's cache or the back button after sign-out shows nothing; production adds HSTS.
"""

from __future__ import annotations

from collections.abc import Callable
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
# Staff pages and APIs, the tablets' API and the citizen questionnaire (which shows saved answers).
PRIVATE_PREFIXES = ("/analyst", "/field/coordinator", "/field/api", "/c/")
_NOT_PRIVATE = ("/analyst/static",)
HSTS = "max-age=31536000; includeSubDomains"
# Encoded once: this runs on every response, the online submissions' hot path included.
_STRICT = [(name.encode(), value.encode()) for name, value in HEADERS.items()]
_NO_STORE = (b"cache-control", b"no-store")
_HSTS = (b"strict-transport-security", HSTS.encode())


async def refuse_nul_in_path(request: Request[Any, Any, Any]) -> None:
    """A NUL in a path (``/c/%00``) names nothing, and PostgreSQL cannot even compare it: 404 first.

    Async on purpose: Litestar runs a plain function hook in a worker thread, a hop on every request.
    """
    if "\x00" in request.scope["path"]:
        raise NotFoundException("no such page")


def security_headers(*, hsts: bool) -> Callable[[ASGIApp], ASGIApp]:
    """The middleware adding the headers above to every HTTP response; ``hsts`` in production only
    (a development server on plain HTTP would otherwise lock browsers out of it for a year)."""
    defaults = [*_STRICT, _HSTS] if hsts else _STRICT
    private = [*defaults, _NO_STORE]

    def middleware(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            path = scope["path"]
            wanted = (
                private
                if path.startswith(PRIVATE_PREFIXES) and not path.startswith(_NOT_PRIVATE)
                else defaults
            )

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", ()))
                    present = {bytes(name).lower() for name, _ in headers}
                    if _NO_STORE in wanted:
                        headers = [(n, v) for n, v in headers if bytes(n).lower() != b"cache-control"]
                        present.discard(b"cache-control")
                    headers.extend(item for item in wanted if item[0] not in present)
                    message["headers"] = headers
                await send(message)

            await app(scope, receive, send_with_headers)

        return wrapped

    return middleware


security_headers_middleware = security_headers(hsts=False)
