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
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.questionnaire.validation import Answer as AnswerValue
from survey.questionnaire.validation import validate
from survey.store.errors import ConflictError, InvalidAnswersError
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


class ResponseService:
    """Submit responses idempotently and count them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _existing(self, response_uuid: str) -> Response | None:
        return self.session.scalar(select(Response).where(Response.uuid == response_uuid))

    def submit(self, submission: Submission) -> Ack:
        """Validate and store; raise InvalidAnswersError or ConflictError, never store half a response."""
        response_uuid = normalise_uuid(submission.uuid)
        questionnaire = load_questionnaire(submission.version)
        partial = submission.status is ResponseStatus.IN_PROGRESS
        result = validate(questionnaire, submission.answers, submission.language, partial=partial)
        if not result.ok:
            raise InvalidAnswersError(result.errors)
        digest = content_hash(
            submission.version.content_hash, submission.mode, submission.language, result.answers
        )
        existing = self._existing(response_uuid)
        if existing is not None:
            return self._replay(existing, digest)
        response = Response(
            uuid=response_uuid,
            consultation_id=submission.version.consultation_id,
            questionnaire_version_id=submission.version.id,
            mode=submission.mode.value,
            language=submission.language,
            easy_read=submission.easy_read,
            status=submission.status.value,
            interviewer_id=submission.interviewer_id,
            device_id=submission.device_id,
            paper_form_number=submission.paper_form_number,
            replaces_uuid=submission.replaces_uuid,
            started_at=submission.started_at,
            submitted_at=submission.submitted_at or utcnow(),
            received_at=utcnow(),
            content_hash=digest,
        )
        try:
            with self.session.begin_nested():
                self.session.add(response)
                self.session.flush()
                rows = _answer_rows(response.id, result.answers)
                if rows:
                    self.session.execute(insert(Answer), rows)
        except IntegrityError:
            winner = self._existing(response_uuid)
            if winner is None:
                raise
            return self._replay(winner, digest)
        return Ack(response_uuid, AckStatus.STORED, response.id, response.received_at)

    def _replay(self, existing: Response, digest: str) -> Ack:
        if existing.content_hash != digest:
            raise ConflictError(f"response {existing.uuid} was already received with different content")
        return Ack(existing.uuid, AckStatus.DUPLICATE, existing.id, existing.received_at)

    def count(self, consultation_id: int, *, mode: Mode | None = None) -> int:
        query = select(func.count(Response.id)).where(
            Response.consultation_id == consultation_id, Response.status == ResponseStatus.COMPLETE.value
        )
        if mode is not None:
            query = query.where(Response.mode == mode.value)
        return int(self.session.scalar(query) or 0)
