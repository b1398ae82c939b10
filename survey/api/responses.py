"""``POST /api/consultations/{slug}/responses``: one complete online response, stored exactly once.

The client generates the UUID and may retry as often as it likes: the first arrival is stored
(201), a replay with the same content gets the same acknowledgement (200), the same UUID with other
content is refused (409) and never replaces what was stored. Invalid answers get a 422 that names
every field and why, in the response's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from anyio import to_thread
from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath
from litestar.response import Response
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from survey.http import ratelimit
from survey.http.i18n import SUPPORTED
from survey.http.params import BodyId
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validation import FieldError
from survey.store.errors import InvalidAnswersError
from survey.store.models import Mode, QuestionnaireVersion
from survey.store.services.intake import OnlineTargets, StaleTargetError, submit_alone
from survey.store.services.responses import (
    Ack,
    AckStatus,
    Submission,
    normalise_uuid,
    prepare,
)

EXAMPLE_UUID = "0b8f6c3e-3f4b-4a7e-9d55-6c1d2f1e8a10"
# An online client's clock may be off by hours, not by centuries: 0001-01-01 or year 2999 is a bug or a probe.
EARLIEST_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(days=1)


class ResponseIn(msgspec.Struct, forbid_unknown_fields=True):
    """A complete response as the browser (or any online client) sends it."""

    uuid: str
    version_id: BodyId
    language: str
    answers: dict[str, Any]
    easy_read: bool = False
    started_at: dt.datetime | None = None
    invitation_code: str | None = None


class AckOut(msgspec.Struct):
    """The acknowledgement: identical for the first arrival and every replay (only ``status`` differs)."""

    uuid: str
    status: str
    response_id: int
    received_at: dt.datetime


class FieldProblem(msgspec.Struct):
    field: str
    code: str
    message: str


class InvalidOut(msgspec.Struct):
    status_code: int
    detail: str
    errors: list[FieldProblem]


class ErrorOut(msgspec.Struct):
    status_code: int
    detail: str


_REQUEST_EXAMPLE = Example(
    summary="A complete response in French",
    value={
        "uuid": EXAMPLE_UUID, "version_id": 1, "language": "fr", "easy_read": False,
        "answers": {"sex": "F", "age_group": "25-34", "municipality": "ixelles", "merge_why_not": ["cost"]},
    },
)  # fmt: skip
_ACK_EXAMPLE = {"uuid": EXAMPLE_UUID, "response_id": 42, "received_at": "2026-11-23T10:00:00Z"}


class ResponseController(Controller):
    """Idempotent submission of online responses."""

    path = "/api/consultations"
    tags = ["responses"]  # noqa: RUF012

    @post(
        "/{slug:str}/responses",
        summary="Submit a complete response (idempotent on its UUID)",
        description=(
            "Retry safely with the same UUID: 201 the first time, 200 with the same acknowledgement "
            "afterwards. The same UUID with different content is refused with 409. Bodies larger than "
            "the server's limit get 413. An invitation-only consultation needs `invitation_code` (one "
            "code, one response; 403 otherwise)."
        ),
        status_code=HTTP_201_CREATED,
        responses={
            200: ResponseSpec(AckOut, description="Already stored: same acknowledgement",
                              examples=[Example(value={**_ACK_EXAMPLE, "status": "duplicate"})]),
            201: ResponseSpec(AckOut, description="Stored now",
                              examples=[Example(value={**_ACK_EXAMPLE, "status": "stored"})]),
            403: ResponseSpec(ErrorOut, description="Invitation-only consultation: code missing, unknown or used",
                              examples=[Example(value={"status_code": 403,
                                                       "detail": "this invitation code has already been used"})]),
            404: ResponseSpec(ErrorOut, description="Unknown consultation or version"),
            409: ResponseSpec(ErrorOut, description="Same UUID already received with other content",
                              examples=[Example(value={"status_code": 409, "detail": "response … was already "
                                                       "received with different content"})]),
            413: ResponseSpec(ErrorOut, description="Request body too large"),
            422: ResponseSpec(InvalidOut, description="Invalid answers: every field and why", examples=[
                Example(value={"status_code": 422, "detail": "trust_region: A number from 0 to 10.",
                               "errors": [{"field": "trust_region", "code": "constraint",
                                           "message": "A number from 0 to 10."}]})]),
            429: ResponseSpec(ErrorOut, description="Too many submissions from this client; retry later"),
        },
    )  # fmt: skip
    async def submit_response(
        self,
        request: Request,
        state: State,
        slug: FromPath[str],
        data: Annotated[ResponseIn, Body(examples=[_REQUEST_EXAMPLE])],
    ) -> Response[AckOut]:
        if not ratelimit.API.hit(ratelimit.client_address(request)):
            raise HTTPException(status_code=429, detail="Too many submissions; retry in a minute.")
        targets: OnlineTargets = state.online_targets
        target = await targets.get(slug, data.version_id)
        if target.invitation_only:
            # Recruited panels are small; their code is claimed in the same transaction as the response.
            targets.forget(slug, data.version_id)
            ack = await to_thread.run_sync(_submit_alone, state, slug, data)
        else:
            prepared = prepare(_submission(target.version, target.questionnaire, data))
            try:
                ack = await state.submission_batcher.store(prepared, target)
            except StaleTargetError:
                targets.forget(slug, data.version_id)
                ack = await to_thread.run_sync(_submit_alone, state, slug, data)
        code = HTTP_201_CREATED if ack.status is AckStatus.STORED else HTTP_200_OK
        # SQLite hands timestamps back naive: they are UTC, say so, so both arrivals read the same.
        received = ack.received_at if ack.received_at.tzinfo else ack.received_at.replace(tzinfo=dt.UTC)
        return Response(AckOut(ack.uuid, ack.status.value, ack.response_id, received), status_code=code)


def _submission(version: QuestionnaireVersion, questionnaire: Questionnaire, data: ResponseIn) -> Submission:
    """The submission to store, or InvalidAnswersError naming every envelope field that is wrong."""
    problems = []
    try:
        normalise_uuid(data.uuid)
    except ValueError:
        problems.append(FieldError("uuid", "uuid", "Not a UUID."))
    if data.language not in (*SUPPORTED, *questionnaire.languages):
        problems.append(FieldError("language", "language", f"Unsupported language '{data.language}'."))
    if data.started_at is not None and not _plausible_start(data.started_at):
        problems.append(FieldError("started_at", "out_of_range", "Not a time between 2000 and now."))
    if problems:
        raise InvalidAnswersError(problems)
    return Submission(
        uuid=data.uuid, version=version, mode=Mode.ONLINE, language=data.language, answers=data.answers,
        easy_read=data.easy_read, started_at=data.started_at,
    )  # fmt: skip


def _plausible_start(started: dt.datetime) -> bool:
    """A start time between 2000 and a day from now; one without a zone is read as UTC."""
    aware = started if started.tzinfo else started.replace(tzinfo=dt.UTC)
    try:
        return EARLIEST_START <= aware <= dt.datetime.now(dt.UTC) + CLOCK_SKEW
    except OverflowError:
        return False


def _submit_alone(state: State, slug: str, data: ResponseIn) -> Ack:
    """One response in its own transaction, everything looked up afresh (see ``intake.submit_alone``)."""
    return submit_alone(
        state.session_factory,
        slug,
        data.version_id,
        data.invitation_code,
        lambda version, questionnaire: _submission(version, questionnaire, data),
    )
