"""Consultations and their questionnaire versions (append-only once answered)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    event,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from survey.store.models._base import Base, utcnow


class Consultation(Base):
    """A public consultation; ``title`` and ``description`` hold one text per language.

    ``invitation_only`` closes the open link: online respondents then need an invitation code.
    """

    __tablename__ = "consultations"
    __table_args__ = (CheckConstraint("status IN ('draft', 'open', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict[str, Any]]
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    organiser: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    invitation_only: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opens_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closes_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    privacy_notice: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")

    def status_at(self, now: dt.datetime) -> str:
        """The status at ``now``: the stored one, moved on by an opening or closing date already past.

        A closed consultation stays closed; a past closing date closes an open or draft one; a past
        opening date opens a draft one. Dates take effect without anyone acting on them.
        """
        if self.status == "closed" or (self.closes_at is not None and self.closes_at <= now):
            return "closed"
        if self.status == "draft" and self.opens_at is not None and self.opens_at <= now:
            return "open"
        return self.status


def status_sql(now: dt.datetime) -> ColumnElement[str]:
    """``Consultation.status_at(now)`` as SQL, for readers of the bare table (the online intake)."""
    return case(
        (or_(Consultation.status == "closed", Consultation.closes_at <= now), "closed"),
        (and_(Consultation.status == "draft", Consultation.opens_at <= now), "open"),
        else_=Consultation.status,
    )


@event.listens_for(Consultation, "load")
@event.listens_for(Consultation, "refresh")
def _apply_schedule(target: Consultation, *_args: Any) -> None:
    """Every reader sees the status the dates give (``status_at`` now), without a background job.

    Set as the committed value: reading a consultation never writes it; the console and the CLI
    store the change when an organiser acts on the consultation.
    """
    if target.opens_at is None and target.closes_at is None:
        return
    derived = target.status_at(utcnow())
    if derived != target.status:
        set_committed_value(target, "status", derived)


class QuestionnaireVersion(Base):
    """One imported form. A database trigger forbids changing or deleting it once answered."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        UniqueConstraint("consultation_id", "number", name="uq_questionnaire_versions_number"),
        UniqueConstraint("consultation_id", "content_hash", name="uq_questionnaire_versions_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    number: Mapped[int]
    form_id: Mapped[str] = mapped_column(String(200))
    form_version: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
