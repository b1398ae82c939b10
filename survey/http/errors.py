"""Map domain errors to HTTP once; nothing ever shows a traceback to a user."""

from __future__ import annotations

import logging
import re
import uuid

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from sqlalchemy.exc import OperationalError

from survey.http.error_pages import error_page, wants_html
from survey.http.observe import current_request_id
from survey.store.errors import (
    AuthError,
    ConflictError,
    ImmutableError,
    InvalidAnswersError,
    InvitationError,
    NotFoundError,
    StoreError,
    TargetsInvalidError,
    UnavailableError,
)
from weighting import WeightingError

DatabaseUnavailable = OperationalError
"""What SQLAlchemy raises for a database busy past its timeout or unreachable: the app answers 503
(named here so that the app, whose module serves a route, imports no SQLAlchemy itself)."""

log = logging.getLogger("survey.web")
_BACKTICKED = re.compile(r"`([^`]+)`")

_STATUS: dict[type[StoreError], int] = {
    NotFoundError: HTTP_404_NOT_FOUND,
    ConflictError: HTTP_409_CONFLICT,
    ImmutableError: HTTP_409_CONFLICT,
    InvalidAnswersError: HTTP_422_UNPROCESSABLE_ENTITY,
    TargetsInvalidError: HTTP_422_UNPROCESSABLE_ENTITY,
    AuthError: HTTP_401_UNAUTHORIZED,
    InvitationError: HTTP_403_FORBIDDEN,
    UnavailableError: HTTP_503_SERVICE_UNAVAILABLE,
}


def store_error_handler(_request: Request, exc: StoreError) -> Response:
    """Domain errors: a status and a message that names what is wrong."""
    status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)
    if wants_html(_request):
        return error_page(
            _request, status, headers={"Retry-After": "5"} if isinstance(exc, UnavailableError) else None
        )
    body: dict[str, object] = {"status_code": status, "detail": str(exc)}
    if isinstance(exc, InvalidAnswersError):
        body["errors"] = [{"field": e.question, "code": e.code, "message": e.message} for e in exc.errors]
    if isinstance(exc, TargetsInvalidError):
        body["errors"] = exc.problems
    headers = {"Retry-After": "5"} if isinstance(exc, UnavailableError) else None
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def weighting_error_handler(_request: Request, exc: WeightingError) -> Response:
    """A weighting the analyst asked for cannot be done (bad bounds, no convergence): 422, never a 500.

    ``code`` and ``values`` let a script react to the kind of problem without parsing the sentence.
    """
    values = {key: value.item() if hasattr(value, "item") else value for key, value in exc.values.items()}
    body = {
        "status_code": HTTP_422_UNPROCESSABLE_ENTITY,
        "detail": str(exc),
        "code": exc.code,
        "values": values,
    }
    return Response(body, status_code=HTTP_422_UNPROCESSABLE_ENTITY, media_type=MediaType.JSON)


def nesting_error_handler(request: Request, exc: RecursionError) -> Response:
    """JSON nested a thousand levels deep exhausts the decoder's stack: the client's fault, a 400.

    Any other recursion is a bug of ours and stays a 500 with a reference in the log.
    """
    if "deserializ" not in str(exc):
        return internal_error_handler(request, exc)
    log.warning("request refused: nested too deeply", exc_info=exc, extra={"path": request.url.path})
    body = {"status_code": HTTP_400_BAD_REQUEST, "detail": "the request body is nested too deeply"}
    return Response(body, status_code=HTTP_400_BAD_REQUEST, media_type=MediaType.JSON)


def _body_problems(exc: ValidationException) -> list[dict[str, str]] | None:
    """A well-formed JSON body of the wrong shape, as field problems; None for anything else.

    msgspec names the offending key, or ``data`` with the field in backticks when the whole object is
    at fault (missing or unknown field); the client gets the field's name either way.
    """
    extra = exc.extra if isinstance(exc.extra, list) else []
    if not extra or not all(isinstance(e, dict) and e.get("source") == "body" for e in extra):
        return None
    problems = []
    for item in extra:
        message = str(item.get("message", ""))
        field = str(item.get("key") or "")
        named = _BACKTICKED.search(message)
        if field in ("", "data") and named:
            field = named.group(1)
        problems.append(
            {"field": field or "body", "code": str(item.get("code") or "schema"), "message": message}
        )
    return problems


def http_error_handler(_request: Request, exc: HTTPException) -> Response:
    """Framework errors (404, 405, 413, validation): keep the status, plain message.

    A body that parses but has the wrong shape is a 422 listing each field, like invalid answers, so
    clients handle one kind of "fix these fields" reply; unparseable JSON stays a 400.
    """
    if exc.status_code >= HTTP_400_BAD_REQUEST and wants_html(_request):
        return error_page(_request, exc.status_code, headers=exc.headers)
    body: dict[str, object] = {"status_code": exc.status_code, "detail": exc.detail}
    status = exc.status_code
    if isinstance(exc, ValidationException) and exc.extra:
        problems = _body_problems(exc)
        body["errors"] = problems if problems is not None else exc.extra
        if problems is not None:
            status = HTTP_422_UNPROCESSABLE_ENTITY
            body["status_code"] = status
            body["detail"] = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=exc.headers)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    """Anything unexpected: log it with a reference, tell the user only the reference."""
    reference = current_request_id.get() or uuid.uuid4().hex[:12]  # the X-Request-ID of the response
    log.error("unhandled error", exc_info=exc, extra={"path": request.url.path, "request_id": reference})
    if wants_html(request):
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR, reference=reference)
    body = {
        "status_code": HTTP_500_INTERNAL_SERVER_ERROR,
        "detail": f"Internal server error (reference {reference}). Your request was not completed; please try again.",
    }
    return Response(body, status_code=HTTP_500_INTERNAL_SERVER_ERROR, media_type=MediaType.JSON)
