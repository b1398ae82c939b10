"""Responses from every mode and their answers in long form.

Long form (one row per answer, one per selected option) loads into polars with a single query and
a pivot, and needs no schema change when a new questionnaire version adds a question. There is
deliberately no column for an IP address, a user agent or a position: respondents stay anonymous.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, BigId, utcnow


class Mode(StrEnum):
    """How a response was collected; weighting diagnostics are broken down by it."""

    ONLINE = "online"
    FIELD = "field"
    PAPER = "paper"


class ResponseStatus(StrEnum):
    """Only ``complete`` responses enter the analysis; ``quarantined`` ones wait for review."""

    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    QUARANTINED = "quarantined"


class Response(Base):
    """One respondent's submission, identified by a UUID its client generated."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint("mode IN ('online', 'field', 'paper')", name="mode"),
        CheckConstraint("status IN ('in_progress', 'complete', 'quarantined')", name="status"),
        Index("ix_responses_consultation_status", "consultation_id", "status"),
        Index("ix_responses_replaces_uuid", "replaces_uuid"),  # corrections supersede (counted.py)
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(16))
    easy_read: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16))
    interviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    paper_form_number: Mapped[str | None] = mapped_column(String(64))
    replaces_uuid: Mapped[str | None] = mapped_column(String(36))
    started_at: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    # Given by an organiser trying the questionnaire (the console's test link): never counted.
    is_test: Mapped[bool] = mapped_column(default=False, server_default=false())


class Answer(Base):
    """One answer value; a select_multiple answer is one row per chosen option (``position``).

    Keyed by its slot: a response holds at most one value per question and position.
    """

    __tablename__ = "answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    question: Mapped[str] = mapped_column(String(128), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True, default=0)
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)


class ErasedResponse(Base):
    """A response UUID erased at its respondent's request (``survey erase``): never stored again.

    Only the identifier and the moment are kept, so a tablet replaying the interview is refused
    instead of bringing the answers back.
    """

    __tablename__ = "erased_responses"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """The bytes of one photo, recording or file answer, kept in the store (backed up with it).

    Keyed by the response's UUID rather than its id: an online response is stored again under the
    same UUID when it is sent (survey.store.services.progress), and an ODK submission may bring its
    files over several requests; the UUID is what stays. One file per question; the answer itself is
    the file's name, as ODK stores it. ``media_type`` is sniffed from the bytes, never taken from the
    client; ``sha256`` recognises a file sent twice (a tablet retry, a Collect resubmission).
    """

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("response_uuid", "question", name="uq_attachments_slot"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    response_uuid: Mapped[str] = mapped_column(String(36), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    question: Mapped[str] = mapped_column(String(128))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
