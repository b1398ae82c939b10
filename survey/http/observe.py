"""Every request gets an id, returned in ``X-Request-ID`` and put on each log line written meanwhile,
and is counted in the metrics by route template, status and duration.

Why an id: a citizen who says "it failed" can read the id from the response (or the error page's
reference) and support finds the log lines, without the platform storing who they are. An id a
proxy already set (``X-Request-ID``, 8 to 64 letters, digits, ``.``, ``_`` or ``-``) is kept, so
the proxy's and the app's logs line up; anything else is replaced.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from survey.metrics import UNMATCHED, observe_request

HEADER = b"x-request-id"
_VALID = re.compile(rb"^[A-Za-z0-9._-]{8,64}$")
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == HEADER and _VALID.match(value):
            return value.decode()
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to a log record that has none (records outside requests pass as is)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def install_log_filter() -> None:
    """Put the filter on every handler of the root logger (once), where the JSON formatter reads it."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())


def observed(app: ASGIApp) -> ASGIApp:
    """Wrap the whole app (routing included, so unmatched paths are counted and get an id too)."""
    install_log_filter()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, request_id.encode())]}
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            route = scope.get("path_template") or UNMATCHED
            observe_request(
                str(scope.get("method", "GET")), str(route), status, time.perf_counter() - started
            )
            current_request_id.reset(token)

    return wrapped
