"""Resubmissions with other content: kept beside the stored response, shown to coordinators.

Why: an interview is identified by its UUID (ODK Collect's instanceID), so a resend after a dropped
connection is acknowledged and stored once. The same UUID with *different* answers is something
else: an edit made without Collect's "edit" flow, two tablets restored from one backup, a bug. The
store keeps the version it received first (analyses may already count it) and refuses the other,
but refusing alone would lose it silently. Each distinct other version is kept in
``field_conflicts`` and listed in the reconciliation view of the device that sent it, with the time
each version arrived, which one is stored and which questions differ (names only: coordinators
supervise collection and do not read answers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from field_app.schemas import Resubmission
from survey.questionnaire.model import QuestionType
from survey.store.models import Answer, FieldConflict, QuestionnaireVersion, Response, utcnow
from survey.store.services.consultations import load_questionnaire

_UNANSWERED = (QuestionType.NOTE, QuestionType.CALCULATE)  # no answer sent, or computed when stored


@dataclass(frozen=True)
class Refused:
    """One refused other version, as the sync saw it (raw answers as sent)."""

    uuid: str
    consultation_id: int
    version_id: int
    mode: str
    language: str
    answers: Mapping[str, object]


def _content(refused: Refused) -> dict[str, object]:
    return {
        "version_id": refused.version_id,
        "mode": refused.mode,
        "language": refused.language,
        "answers": dict(refused.answers),
    }


def _digest(content: dict[str, object]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def keep_refused(
    session: Session, refused: Sequence[Refused], *, device_id: int | None, interviewer_id: int | None
) -> None:
    """Keep each refused version once; a version seen before only gets its last arrival time moved."""
    now = utcnow()
    for item in refused:
        content = _content(item)
        digest = _digest(content)
        held = session.scalar(
            select(FieldConflict).where(FieldConflict.uuid == item.uuid, FieldConflict.content_hash == digest)
        )
        if held is not None:
            held.last_received_at = now
            continue
        try:
            with session.begin_nested():  # the same version arriving twice at once: one row wins
                session.add(
                    FieldConflict(
                        uuid=item.uuid, consultation_id=item.consultation_id, device_id=device_id,
                        interviewer_id=interviewer_id, content_hash=digest, content=content,
                        received_at=now, last_received_at=now,
                    )
                )  # fmt: skip
                session.flush()
        except IntegrityError:
            continue


def _as_text(value: object) -> list[str]:
    """An answer as comparable texts: numbers without a trailing ``.0``, lists position by position."""
    values = value if isinstance(value, list | tuple) else str(value).split() if value is not None else []
    texts = []
    for one in values:
        text = str(one).strip()
        try:
            number = float(text)
        except ValueError:
            texts.append(text)
            continue
        texts.append(str(int(number)) if number.is_integer() else repr(number))
    return texts


def _stored_answers(session: Session, response_id: int) -> dict[str, list[str]]:
    stored: dict[str, list[str]] = {}
    rows = session.execute(
        select(Answer.question, Answer.value_text, Answer.value_number)
        .where(Answer.response_id == response_id)
        .order_by(Answer.question, Answer.position)
    ).all()
    for question, text, number in rows:
        stored.setdefault(question, []).extend(_as_text(text if text is not None else number))
    return stored


def _differing(session: Session, response: Response, content: dict[str, object]) -> list[str]:
    """Names of the questions whose answers differ, then ``language``/``version``/``mode`` if those do."""
    version = session.get(QuestionnaireVersion, response.questionnaire_version_id)
    skipped = (
        {q.name for q in load_questionnaire(version).questions if q.type in _UNANSWERED} if version else set()
    )
    raw = content.get("answers")
    sent = {name: _as_text(value) for name, value in (raw.items() if isinstance(raw, dict) else [])}
    sent = {name: texts for name, texts in sent.items() if texts}
    stored = _stored_answers(session, response.id)
    names = sorted((set(sent) | set(stored)) - skipped)
    differing = [name for name in names if sent.get(name, []) != stored.get(name, [])]
    if content.get("language") != response.language:
        differing.append("language")
    if content.get("version_id") != response.questionnaire_version_id:
        differing.append("version")
    if content.get("mode") != response.mode:
        differing.append("mode")
    return differing


def resubmissions(session: Session, device_id: int) -> list[Resubmission]:
    """Other versions this device sent of interviews the store holds, oldest first."""
    return resubmissions_by_device(session, [device_id]).get(device_id, [])


def resubmissions_by_device(session: Session, device_ids: Sequence[int]) -> dict[int, list[Resubmission]]:
    """:func:`resubmissions` of many devices in one query (the coordinators' overview lists them all)."""
    rows = session.execute(
        select(FieldConflict, Response)
        .outerjoin(Response, Response.uuid == FieldConflict.uuid)
        .where(FieldConflict.device_id.in_(device_ids))
        .order_by(FieldConflict.received_at, FieldConflict.id)
    ).all()
    found: dict[int, list[Resubmission]] = {}
    for conflict, response in rows:
        if conflict.device_id is None:  # the query asks for devices: never, but the column allows it
            continue
        stored_at: dt.datetime | None = response.received_at if response is not None else None
        found.setdefault(conflict.device_id, []).append(
            Resubmission(
                uuid=conflict.uuid,
                stored_received_at=stored_at,
                stored_device_id=response.device_id if response is not None else None,
                other_received_at=conflict.received_at,
                other_last_received_at=conflict.last_received_at,
                differing=_differing(session, response, conflict.content) if response is not None else [],
            )
        )
    return found
