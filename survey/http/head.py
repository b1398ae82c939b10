"""``HEAD`` answered wherever ``GET`` is: the same status and headers, no body.

Litestar routes a HEAD only to handlers declared for it, so link checkers, monitors and caches got
405 on every page. The app runs a HEAD request as its GET and drops the body on the way out
(``Content-Length`` still says how long the GET's body is, as HTTP requires). A path with no GET
answers 405 as before. The static file routers answer HEAD themselves and are left alone.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["head_as_get"]

_OWN_HEAD = ("/static/web/", "/static/analyst/")


def head_as_get(app: ASGIApp) -> ASGIApp:
    """Wrap the whole app (routing included), so a HEAD reaches the GET handler of its path."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD" or scope["path"].startswith(_OWN_HEAD):
            await app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await app({**scope, "method": "GET"}, receive, without_body)  # type: ignore[arg-type]

    return wrapped
