"""Storing responses exactly once, whatever the number of retries.

A client (browser, tablet, paper entry) generates the response UUID. The first arrival stores
it; a later arrival with the same UUID and the same content is acknowledged as a duplicate and
stores nothing; the same UUID with different content is a conflict and is refused, so a retry can
never silently replace what was stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid as uuid_lib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from survey.questionnaire.validation import Answer as AnswerValue
from survey.questionnaire.validation import validate
from survey.store.errors import ConflictError, InvalidAnswersError, StoreError
from survey.store.models import Answer, Mode, QuestionnaireVersion, Response, ResponseStatus, utcnow
from survey.store.services.consultations import load_questionnaire


class AckStatus(StrEnum):
    """What happened to a submission: stored now, or already stored before."""

    STORED = "stored"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Ack:
    """The acknowledgement a client keeps: same UUID, same answer, whatever the retry."""

    uuid: str
    status: AckStatus
    response_id: int
    received_at: dt.datetime


@dataclass(frozen=True)
class Submission:
    """A response as a client sends it; answers are raw and get validated here."""

    uuid: str
    version: QuestionnaireVersion
    mode: Mode
    language: str
    answers: Mapping[str, object]
    status: ResponseStatus = ResponseStatus.COMPLETE
    easy_read: bool = False
    interviewer_id: int | None = None
    device_id: int | None = None
    paper_form_number: str | None = None
    replaces_uuid: str | None = None
    started_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None


def normalise_uuid(value: str) -> str:
    """Canonical lower-case UUID text, or ValueError for anything else."""
    return str(uuid_lib.UUID(str(value)))


def content_hash(version_hash: str, mode: str, language: str, answers: Mapping[str, AnswerValue]) -> str:
    """Hash of what makes a response what it is (not when it arrived), to tell replays from conflicts."""
    payload = {"v": version_hash, "m": mode, "l": language, "a": answers}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _answer_rows(response_id: int, answers: Mapping[str, AnswerValue]) -> list[dict[str, object]]:
    """Plain rows for one bulk INSERT: an ORM object per answer would be the slowest part of a submit."""
    rows: list[dict[str, object]] = []

    def row(question: str, position: int, text: str | None, number: float | None) -> dict[str, object]:
        return {"response_id": response_id, "question": question, "position": position,
                "value_text": text, "value_number": number}  # fmt: skip

    for question, value in answers.items():
        if isinstance(value, list):
            rows.extend(row(question, i, v, None) for i, v in enumerate(value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            rows.append(row(question, 0, None, float(value)))
        else:
            rows.append(row(question, 0, str(value), None))
    return rows


_IN_CHUNK = 1000  # bound the IN list: SQLite caps bound parameters per statement
# Core tables for the bulk path: the ORM's bulk INSERT leaves out None values and so splits the
# rows into one statement per run of same-shaped rows (text and number answers alternate).
_RESPONSES = cast("Table", Response.__table__)
_ANSWERS = cast("Table", Answer.__table__)
_ANSWER_COLUMNS = ("response_id", "question", "position", "value_text", "value_number")
_COPY_ANSWERS = f"COPY answers ({', '.join(_ANSWER_COLUMNS)}) FROM STDIN"


def _insert_ignoring_duplicates(session: Session, row: dict[str, object]) -> ReturningInsert[Any]:
    """INSERT of one response that yields its id, or no row when the UUID is already stored."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(_RESPONSES).values(row).on_conflict_do_nothing(index_elements=["uuid"])
    return statement.returning(_RESPONSES.c.id)


@dataclass(frozen=True)
class _Prepared:
    """A validated submission ready to insert: its row, clean answers and content hash."""

    uuid: str
    digest: str
    answers: Mapping[str, AnswerValue]
    row: dict[str, object]
    received_at: dt.datetime


@dataclass(frozen=True)
class _Known(Ack):
    """An already stored response, with the hash a replay must match."""

    digest: str


@dataclass(frozen=True)
class _Pending:
    """A repeat, inside one batch, of a UUID whose first occurrence is about to be inserted."""

    first: _Prepared
    digest: str


def _conflict(uuid: str) -> ConflictError:
    return ConflictError(f"response {uuid} was already received with different content")


def _replay_of(known: Ack, digest: str) -> Ack | StoreError:
    if isinstance(known, _Known) and known.digest != digest:
        return _conflict(known.uuid)
    return Ack(known.uuid, AckStatus.DUPLICATE, known.response_id, known.received_at)


def _settle(outcome: Ack | StoreError | _Prepared | _Pending, stored: dict[str, Ack]) -> Ack | StoreError:
    """The final outcome of one position of the batch once the inserts are done."""
    if isinstance(outcome, _Prepared):
        return stored[outcome.uuid]
    if isinstance(outcome, _Pending):
        if outcome.first.digest != outcome.digest:
            return _conflict(outcome.first.uuid)
        ack = stored[outcome.first.uuid]
        return Ack(ack.uuid, AckStatus.DUPLICATE, ack.response_id, ack.received_at)
    return outcome


class ResponseService:
    """Submit responses idempotently and count them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _prepare(self, submission: Submission) -> _Prepared:
        """Validate and hash one submission; raise InvalidAnswersError before anything is written."""
        response_uuid = normalise_uuid(submission.uuid)
        questionnaire = load_questionnaire(submission.version)
        partial = submission.status is ResponseStatus.IN_PROGRESS
        result = validate(questionnaire, submission.answers, submission.language, partial=partial)
        if not result.ok:
            raise InvalidAnswersError(result.errors)
        digest = content_hash(
            submission.version.content_hash, submission.mode, submission.language, result.answers
        )
        received_at = utcnow()
        row: dict[str, object] = {
            "uuid": response_uuid,
            "consultation_id": submission.version.consultation_id,
            "questionnaire_version_id": submission.version.id,
            "mode": submission.mode.value,
            "language": submission.language,
            "easy_read": submission.easy_read,
            "status": submission.status.value,
            "interviewer_id": submission.interviewer_id,
            "device_id": submission.device_id,
            "paper_form_number": submission.paper_form_number,
            "replaces_uuid": submission.replaces_uuid,
            "started_at": submission.started_at,
            "submitted_at": submission.submitted_at or utcnow(),
            "received_at": received_at,
            "content_hash": digest,
        }
        return _Prepared(response_uuid, digest, result.answers, row, received_at)

    def submit(self, submission: Submission) -> Ack:
        """Validate and store; raise InvalidAnswersError or ConflictError, never store half a response.

        The response row goes in with INSERT ... ON CONFLICT (uuid) DO NOTHING RETURNING id: a new
        UUID costs one statement for the response and one for all its answers, and a replay (or a
        concurrent twin that won the race) returns no row and is answered from what is stored.
        """
        prepared = self._prepare(submission)
        statement = _insert_ignoring_duplicates(self.session, prepared.row)
        response_id: int | None = self.session.execute(statement).scalar()
        if response_id is None:
            known = self._known({prepared.uuid})[prepared.uuid]
            outcome = _replay_of(known, prepared.digest)
            if isinstance(outcome, StoreError):
                raise outcome
            return outcome
        rows = _answer_rows(response_id, prepared.answers)
        if rows:
            self._insert_answers(rows)
        return Ack(prepared.uuid, AckStatus.STORED, response_id, prepared.received_at)

    def _insert_answers(self, rows: list[dict[str, object]]) -> None:
        """All answers of a response at once: COPY on PostgreSQL, an executemany elsewhere.

        On PostgreSQL an executemany still sends one statement per answer through SQLAlchemy's and
        psycopg's parameter handling, which was the largest cost of an online submission.
        """
        connection = self.session.connection()
        if connection.dialect.name != "postgresql":
            self.session.execute(insert(_ANSWERS), rows)
            return
        raw: Any = connection.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(_COPY_ANSWERS) as copy:
            for row in rows:
                copy.write_row([row[column] for column in _ANSWER_COLUMNS])

    def submit_many(self, submissions: Sequence[Submission]) -> list[Ack | StoreError]:
        """Store a batch with one existence query and two bulk INSERTs; one outcome per submission.

        Outcomes are what ``submit`` would give one by one, in order: an Ack (stored or duplicate)
        or the InvalidAnswersError / ConflictError it would raise. A UUID repeated inside the batch
        behaves as a replay of its first occurrence. If another request stores one of these UUIDs
        at the same moment, the bulk insert fails on the unique index and the batch falls back to
        ``submit`` per item, which settles each race exactly as a single submission does.
        """
        outcomes: list[Ack | StoreError | _Prepared | _Pending] = []
        for submission in submissions:
            try:
                outcomes.append(self._prepare(submission))
            except (InvalidAnswersError, ValueError) as exc:
                outcomes.append(exc if isinstance(exc, StoreError) else StoreError(f"uuid: {exc}"))
        fresh = [o for o in outcomes if isinstance(o, _Prepared)]
        known = self._known({p.uuid for p in fresh})
        first: dict[str, _Prepared] = {}
        for index, outcome in enumerate(outcomes):
            if not isinstance(outcome, _Prepared):
                continue
            if outcome.uuid in known:
                outcomes[index] = _replay_of(known[outcome.uuid], outcome.digest)
            elif outcome.uuid in first:
                outcomes[index] = _Pending(first[outcome.uuid], outcome.digest)
            else:
                first[outcome.uuid] = outcome
        try:
            with self.session.begin_nested():
                stored = self._insert_all(list(first.values()))
        except IntegrityError:
            return [self._one(s) for s in submissions]
        return [_settle(o, stored) for o in outcomes]

    def _one(self, submission: Submission) -> Ack | StoreError:
        try:
            return self.submit(submission)
        except StoreError as exc:
            return exc
        except ValueError as exc:
            return StoreError(f"uuid: {exc}")

    def _known(self, uuids: set[str]) -> dict[str, Ack]:
        """What the store already holds for these UUIDs, as duplicate acks keyed by content hash."""
        found: dict[str, Ack] = {}
        ordered = sorted(uuids)
        for start in range(0, len(ordered), _IN_CHUNK):
            rows = self.session.execute(
                select(Response.uuid, Response.id, Response.received_at, Response.content_hash).where(
                    Response.uuid.in_(ordered[start : start + _IN_CHUNK])
                )
            ).all()
            for uuid, response_id, received_at, digest in rows:
                found[uuid] = _Known(uuid, AckStatus.DUPLICATE, response_id, received_at, digest)
        return found

    def _insert_all(self, batch: list[_Prepared]) -> dict[str, Ack]:
        """Bulk INSERT the new responses (RETURNING their ids), then all their answers at once."""
        if not batch:
            return {}
        returned = self.session.execute(
            insert(_RESPONSES).returning(_RESPONSES.c.uuid, _RESPONSES.c.id), [p.row for p in batch]
        ).all()
        ids: dict[str, int] = dict(returned)
        answers = [row for p in batch for row in _answer_rows(ids[p.uuid], p.answers)]
        if answers:
            self.session.execute(insert(_ANSWERS), answers)
        return {p.uuid: Ack(p.uuid, AckStatus.STORED, ids[p.uuid], p.received_at) for p in batch}

    def count(self, consultation_id: int, *, mode: Mode | None = None) -> int:
        query = select(func.count(Response.id)).where(
            Response.consultation_id == consultation_id, Response.status == ResponseStatus.COMPLETE.value
        )
        if mode is not None:
            query = query.where(Response.mode == mode.value)
        return int(self.session.scalar(query) or 0)
