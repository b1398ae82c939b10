"""Stable machine-readable codes on every error the field API returns.

The tablet shows the interviewer a sentence in their own language (FR/NL/EN), so it cannot rely on
the English ``detail``: every JSON error of ``/field/api`` also carries ``"code"`` (for example
``"device_revoked"``), while ``status_code`` and ``detail`` stay as the rest of the platform sends
them (``detail`` is kept for support staff and logs). The app-wide handlers still build the body;
these wrappers only add the code, so the two never drift apart.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.types import ExceptionHandlersMap

from survey.http.errors import http_error_handler, internal_error_handler, store_error_handler
from survey.store.errors import AuthError, StoreError

# A code for errors that do not name their own, by HTTP status.
BY_STATUS: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    422: "invalid_request",
    429: "too_many_requests",
    500: "server_error",
}


class TokenMissing(NotAuthorizedException):
    """No ``Authorization: Bearer`` header: the tablet has no session (log in again online)."""

    error_code = "token_missing"


class DeviceUnknown(NotAuthorizedException):
    """A token the server does not know (database reset, or the tablet was registered elsewhere)."""

    error_code = "device_unknown"


class DeviceRevoked(PermissionDeniedException):
    """An administrator revoked this tablet; nothing is uploaded and the tablet keeps its data."""

    error_code = "device_revoked"


class InterviewerDisabled(PermissionDeniedException):
    """The tablet's interviewer account was deactivated."""

    error_code = "interviewer_disabled"


class NotAssigned(NotFoundException):
    """A consultation or questionnaire version that is not (or no longer) assigned to this interviewer."""

    error_code = "not_assigned"


class LoginFailedError(AuthError):
    """Wrong credentials, an inactive account, or an account that is not an interviewer."""

    error_code = "login_failed"


class BatchTooLargeError(StoreError):
    """More items than one sync request may carry (the tablet sends smaller batches)."""

    error_code = "batch_too_large"


def error_code(exc: Exception, status: int | None) -> str:
    """The exception's own code, else one derived from the HTTP status."""
    own = getattr(type(exc), "error_code", None)
    return own if isinstance(own, str) else BY_STATUS.get(status or 500, "error")


def _coded(response: Response[Any], exc: Exception) -> Response[Any]:
    if isinstance(response.content, dict):
        response.content["code"] = error_code(exc, response.status_code)
    return response


def _store(request: Request[Any, Any, Any], exc: StoreError) -> Response[Any]:
    return _coded(store_error_handler(request, exc), exc)


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return _coded(http_error_handler(request, exc), exc)


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return _coded(internal_error_handler(request, exc), exc)


FIELD_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    StoreError: _store,
    HTTPException: _http,
    Exception: _internal,
}
