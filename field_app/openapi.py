"""OpenAPI documentation of the field API's answers: what each error's ``code`` is and looks like.

Kept apart from the handlers so that ``api.py`` reads as behaviour; the examples are the bodies a
client really gets (``status_code`` and ``detail`` as everywhere in the platform, plus ``code``).
"""

from __future__ import annotations

from typing import Any

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

from field_app.auth import REVOKED_MESSAGE
from field_app.schemas import FieldErrorBody, SyncResponse

EXAMPLE_UUID = "0b8f6c3e-3f4b-4a7e-9d55-6c1d2f1e8a10"


def _error(status: int, code: str, detail: str, summary: str) -> Example:
    return Example(summary=summary, value={"status_code": status, "detail": detail, "code": code})


def _spec(description: str, *examples: Example) -> ResponseSpec:
    return ResponseSpec(FieldErrorBody, description=description, examples=list(examples))


_DEVICE: dict[int, ResponseSpec] = {
    401: _spec(
        "No device token, or one the server does not know: log in again online",
        _error(401, "token_missing", "missing device token (Authorization: Bearer ...)", "No token"),
        _error(401, "device_unknown", "unknown device token: log in again while online", "Unknown token"),
    ),
    403: _spec(
        "The tablet was revoked or its interviewer disabled; nothing is uploaded, the tablet keeps its data",
        _error(403, "device_revoked", REVOKED_MESSAGE.format(id=7), "Revoked tablet"),
        _error(403, "interviewer_disabled", "the interviewer account of this tablet is disabled", "Disabled account"),
    ),
    500: _spec(
        "Unexpected error: nothing was stored by this request, send it again",
        _error(500, "server_error", "Internal server error (reference 3f2a9c1b7d4e). Your request was not "
               "completed; please try again.", "Server error"),
    ),
}  # fmt: skip

DEVICE_RESPONSES: dict[int, ResponseSpec] = {
    **_DEVICE,
    404: _spec(
        "Not assigned to this tablet's interviewer",
        _error(404, "not_assigned", "no questionnaire version 12 for this interviewer", "Not assigned"),
    ),
}

_SYNC_OK: dict[str, Any] = {
    "results": [
        {"uuid": EXAMPLE_UUID, "status": "stored", "detail": "", "errors": [], "code": ""},
        {"uuid": "5d1e2b9a-0c7f-4e43-8a21-2b6f0e9c4d17", "status": "conflict", "code": "different_content",
         "detail": "response 5d1e2b9a-0c7f-4e43-8a21-2b6f0e9c4d17 was already received with different content",
         "errors": []},
        {"uuid": "9a7c3f10-6b2d-4f8e-b1a5-3e0d7c9f2a64", "status": "invalid", "code": "invalid_answers",
         "detail": "age: Between 16 and 120",
         "errors": [{"field": "age", "code": "constraint", "message": "Between 16 and 120"}]},
    ],
    "manifest_entries": 3,
    "server_time": "2026-11-23T10:00:00Z",
}  # fmt: skip

SYNC_RESPONSES: dict[int, ResponseSpec] = {
    **_DEVICE,
    200: ResponseSpec(
        SyncResponse,
        description="One result per item, in order; ``code`` says why an item was refused",
        examples=[Example(summary="Stored, conflicting and invalid items", value=_SYNC_OK)],
    ),
    400: _spec(
        "Too many items in one request",
        _error(400, "batch_too_large", "at most 500 items per batch", "Batch too large"),
    ),
    413: _spec(
        "Request body too large: send fewer items per request",
        _error(413, "body_too_large", "Request Entity Too Large", "Body too large"),
    ),
    422: _spec(
        "The body is JSON of the wrong shape",
        _error(422, "invalid_request", "items: Expected `array`, got `object`", "Wrong shape"),
    ),
}

LOGIN_RESPONSES: dict[int, ResponseSpec] = {
    401: _spec(
        "Wrong credentials, inactive account, or not an interviewer",
        _error(401, "login_failed", "unknown user or wrong password", "Login failed"),
    ),
    429: _spec(
        "Too many failed attempts; see Retry-After",
        _error(429, "too_many_attempts", "Too many failed login attempts. Wait 15 minute(s) before trying "
               "again, or ask your supervisor to check the account.", "Throttled"),
    ),
}  # fmt: skip
