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
from survey.questionnaire.validation import FieldError, validate
from survey.store import bulk
from survey.store.bounds import has_nul, is_language_tag, storable_time
from survey.store.db import on_postgresql
from survey.store.errors import ConflictError, InvalidAnswersError, StoreError
from survey.store.models import (
    Answer,
    ErasedResponse,
    Mode,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    utcnow,
)
from survey.store.services.consultations import load_questionnaire
from survey.store.services.counted import counted, refused_corrections


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
    return hashlib.sha256(_HASH_JSON.encode(payload).encode()).hexdigest()


# What json.dumps(sort_keys=True, ensure_ascii=False) writes, without building an encoder per call.
# Stored hashes depend on these exact bytes: a replay after an upgrade must still match.
_HASH_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


AnswerRow = tuple[int, str, int, str | None, float | None]


def answer_rows(response_id: int, answers: Mapping[str, AnswerValue]) -> list[AnswerRow]:
    """Plain rows (in ``_ANSWER_COLUMNS`` order) for one bulk load: an ORM object per answer would be
    the slowest part of a submit. The one rule for how an answer becomes rows: the progress service
    saves partial answers with it too."""
    rows: list[AnswerRow] = []
    for question, value in answers.items():
        if isinstance(value, list):
            rows.extend((response_id, question, i, v, None) for i, v in enumerate(value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            rows.append((response_id, question, 0, None, float(value)))
        else:
            rows.append((response_id, question, 0, str(value), None))
    return rows


_IN_CHUNK = 1000  # bound the IN list: SQLite caps bound parameters per statement
# Core tables for the bulk path: the ORM's bulk INSERT leaves out None values and so splits the
# rows into one statement per run of same-shaped rows (text and number answers alternate).
_RESPONSES = cast("Table", Response.__table__)
_ANSWERS = cast("Table", Answer.__table__)
_ANSWER_COLUMNS = ("response_id", "question", "position", "value_text", "value_number")
_KNOWN_SQL = "SELECT uuid, id, received_at, content_hash FROM responses WHERE uuid = ANY(%s)"


def _insert_ignoring_duplicates(session: Session, row: dict[str, object]) -> ReturningInsert[Any]:
    """INSERT of one response that yields its id, or no row when the UUID is already stored."""
    dialect = postgresql if on_postgresql(session) else sqlite
    statement = dialect.insert(_RESPONSES).values(row).on_conflict_do_nothing(index_elements=["uuid"])
    returning: ReturningInsert[Any] = statement.returning(_RESPONSES.c.id)
    return returning


@dataclass(frozen=True)
class Prepared:
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

    first: Prepared
    digest: str


def _conflict(uuid: str) -> ConflictError:
    return ConflictError(f"response {uuid} was already received with different content")


def _erased_error(uuid: str) -> StoreError:
    return StoreError(f"response {uuid} was erased at its respondent's request and is not stored again")


def _replay_of(known: Ack, digest: str) -> Ack | StoreError:
    if isinstance(known, _Known) and known.digest != digest:
        return _conflict(known.uuid)
    return Ack(known.uuid, AckStatus.DUPLICATE, known.response_id, known.received_at)


def _settle(outcome: Ack | StoreError | Prepared | _Pending, stored: dict[str, Ack]) -> Ack | StoreError:
    """The final outcome of one position of the batch once the inserts are done."""
    if isinstance(outcome, Prepared):
        return stored[outcome.uuid]
    if isinstance(outcome, _Pending):
        if outcome.first.digest != outcome.digest:
            return _conflict(outcome.first.uuid)
        ack = stored[outcome.first.uuid]
        return Ack(ack.uuid, AckStatus.DUPLICATE, ack.response_id, ack.received_at)
    return outcome


def _unfit_metadata(submission: Submission) -> list[FieldError]:
    """What the response's own fields hold that its columns cannot (see :mod:`survey.store.bounds`)."""
    problems = []
    if not is_language_tag(submission.language):
        problems.append(FieldError("language", "invalid_value", "not a language tag such as fr or nl-BE"))
    for name in ("started_at", "submitted_at"):
        if not storable_time(getattr(submission, name)):
            problems.append(FieldError(name, "invalid_value", "not a moment on the UTC calendar"))
    number = submission.paper_form_number
    if number is not None and (len(number) > 64 or has_nul(number)):
        problems.append(FieldError("paper_form_number", "invalid_value", "at most 64 ordinary characters"))
    if submission.replaces_uuid:
        try:
            normalise_uuid(submission.replaces_uuid)
        except ValueError:
            problems.append(FieldError("replaces_uuid", "invalid_value", "not a UUID"))
    return problems


def prepare(submission: Submission) -> Prepared:
    """Validate and hash one submission; raise InvalidAnswersError before anything is written.

    Separate from storing so that the online path can validate in the request (and answer 422 at once) and
    hand the result to a batched writer that only stores.
    """
    response_uuid = normalise_uuid(submission.uuid)
    unfit = _unfit_metadata(submission)
    if unfit:
        raise InvalidAnswersError(unfit)
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
        "replaces_uuid": normalise_uuid(submission.replaces_uuid) if submission.replaces_uuid else None,
        "started_at": submission.started_at,
        "submitted_at": submission.submitted_at or received_at,
        "received_at": received_at,
        "content_hash": digest,
    }
    return Prepared(response_uuid, digest, result.answers, row, received_at)


class ResponseService:
    """Submit responses idempotently and count them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def submit(self, submission: Submission) -> Ack:
        """Validate and store; raise InvalidAnswersError or ConflictError, never store half a response.

        The response row goes in with INSERT ... ON CONFLICT (uuid) DO NOTHING RETURNING id: a new
        UUID costs one statement for the response and one for all its answers, and a replay (or a
        concurrent twin that won the race) returns no row and is answered from what is stored.
        """
        return self._store_one(prepare(submission))

    def _store_one(self, prepared: Prepared) -> Ack:
        if self._erased({prepared.uuid}):
            raise _erased_error(prepared.uuid)
        if prepared.row.get("replaces_uuid") and not self._known({prepared.uuid}):
            refused = refused_corrections(self.session, [prepared.row])
            if refused:
                raise refused[0]
        statement = _insert_ignoring_duplicates(self.session, prepared.row)
        response_id: int | None = self.session.execute(statement).scalar()
        if response_id is None:
            known = self._known({prepared.uuid})[prepared.uuid]
            outcome = _replay_of(known, prepared.digest)
            if isinstance(outcome, StoreError):
                raise outcome
            return outcome
        rows = answer_rows(response_id, prepared.answers)
        if rows:
            self._insert_answers(rows)
        return Ack(prepared.uuid, AckStatus.STORED, response_id, prepared.received_at)

    def _insert_answers(self, rows: list[AnswerRow]) -> None:
        """All answers at once: COPY on PostgreSQL, an executemany elsewhere."""
        if on_postgresql(self.session):
            bulk.copy_rows(self.session, "answers", _ANSWER_COLUMNS, rows)
        else:
            self.session.execute(
                insert(_ANSWERS), [dict(zip(_ANSWER_COLUMNS, row, strict=True)) for row in rows]
            )

    def submit_many(self, submissions: Sequence[Submission]) -> list[Ack | StoreError]:
        """Validate and store a batch; one outcome per submission, in order.

        Outcomes are what ``submit`` would give one by one: an Ack (stored or duplicate) or the
        InvalidAnswersError / ConflictError it would raise.
        """
        outcomes: list[Prepared | StoreError] = []
        for submission in submissions:
            try:
                outcomes.append(prepare(submission))
            except (InvalidAnswersError, ValueError) as exc:
                outcomes.append(exc if isinstance(exc, StoreError) else StoreError(f"uuid: {exc}"))
        stored = iter(self.store_prepared([o for o in outcomes if isinstance(o, Prepared)]))
        return [next(stored) if isinstance(o, Prepared) else o for o in outcomes]

    def store_prepared(self, batch: Sequence[Prepared]) -> list[Ack | StoreError]:
        """Store validated submissions with one existence query, one INSERT and one answer load.

        A UUID repeated inside the batch behaves as a replay of its first occurrence. If another
        transaction stores one of these UUIDs at the same moment, the bulk insert fails on the
        unique index and the batch falls back to one insert per item inside its own savepoint,
        which settles each race exactly as a single submission does.
        """
        outcomes: list[Ack | StoreError | Prepared | _Pending] = list(batch)
        known = self._known({p.uuid for p in batch})
        fresh = [i for i, p in enumerate(batch) if p.uuid not in known and p.row.get("replaces_uuid")]
        refused: dict[int, StoreError] = {
            fresh[i]: error
            for i, error in refused_corrections(self.session, [batch[i].row for i in fresh]).items()
        }
        erased = self._erased({p.uuid for p in batch if p.uuid not in known})
        refused.update((i, _erased_error(p.uuid)) for i, p in enumerate(batch) if p.uuid in erased)
        first: dict[str, Prepared] = {}
        for index, prepared in enumerate(batch):
            if prepared.uuid in known:
                outcomes[index] = _replay_of(known[prepared.uuid], prepared.digest)
            elif index in refused:
                outcomes[index] = refused[index]
            elif prepared.uuid in first:
                outcomes[index] = _Pending(first[prepared.uuid], prepared.digest)
            else:
                first[prepared.uuid] = prepared
        try:
            with bulk.savepoint(self.session):
                # In UUID order: concurrent batches then take the unique index's locks in one order.
                stored = self._insert_all(sorted(first.values(), key=lambda p: p.uuid))
        except (IntegrityError, bulk.integrity_error(self.session)):
            return [refused.get(i) or self._one(p) for i, p in enumerate(batch)]
        return [_settle(o, stored) for o in outcomes]

    def _one(self, prepared: Prepared) -> Ack | StoreError:
        try:
            with self.session.begin_nested():
                ack = self._store_one(prepared)
        except StoreError as exc:
            return exc
        return ack

    def _erased(self, uuids: set[str]) -> set[str]:
        """Which of these UUIDs ``survey erase`` removed (a replay must not bring them back)."""
        ordered = sorted(uuids)
        found: set[str] = set()
        for start in range(0, len(ordered), _IN_CHUNK):
            chunk = ordered[start : start + _IN_CHUNK]
            found.update(
                self.session.scalars(select(ErasedResponse.uuid).where(ErasedResponse.uuid.in_(chunk)))
            )
        return found

    def _known(self, uuids: set[str]) -> dict[str, Ack]:
        """What the store already holds for these UUIDs, as duplicate acks keyed by content hash."""
        ordered = sorted(uuids)
        if not ordered:
            return {}
        if on_postgresql(self.session):
            rows = bulk.fetch(self.session, _KNOWN_SQL, (ordered,))
        else:
            rows = []
            columns = _RESPONSES.c
            for start in range(0, len(ordered), _IN_CHUNK):
                rows += self.session.execute(
                    select(columns.uuid, columns.id, columns.received_at, columns.content_hash).where(
                        columns.uuid.in_(ordered[start : start + _IN_CHUNK])
                    )
                ).all()
        return {
            uuid: _Known(uuid, AckStatus.DUPLICATE, response_id, received_at, digest)
            for uuid, response_id, received_at, digest in rows
        }

    def _insert_all(self, batch: list[Prepared]) -> dict[str, Ack]:
        """Insert the new responses, then all their answers at once."""
        if not batch:
            return {}
        ids = self._copy_responses(batch) if on_postgresql(self.session) else self._insert_responses(batch)
        answers = [row for p in batch for row in answer_rows(ids[p.uuid], p.answers)]
        if answers:
            self._insert_answers(answers)
        return {p.uuid: Ack(p.uuid, AckStatus.STORED, ids[p.uuid], p.received_at) for p in batch}

    def _insert_responses(self, batch: list[Prepared]) -> dict[str, int]:
        returned = self.session.execute(
            insert(_RESPONSES).returning(_RESPONSES.c.uuid, _RESPONSES.c.id), [p.row for p in batch]
        ).all()
        return dict(returned)

    def _copy_responses(self, batch: list[Prepared]) -> dict[str, int]:
        """Ids from the sequence in one query, then one COPY of the rows with them."""
        ids = bulk.next_ids(self.session, "responses", len(batch))
        rows = ((response_id, *p.row.values()) for response_id, p in zip(ids, batch, strict=True))
        bulk.copy_rows(self.session, "responses", ("id", *batch[0].row), rows)
        return {p.uuid: response_id for p, response_id in zip(batch, ids, strict=True)}

    def count(self, consultation_id: int, *, mode: Mode | None = None) -> int:
        """Responses that count: complete and not superseded by a correction."""
        query = select(func.count(Response.id)).where(counted(consultation_id))
        if mode is not None:
            query = query.where(Response.mode == mode.value)
        return int(self.session.scalar(query) or 0)
