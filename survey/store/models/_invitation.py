"""Invitation codes for recruited panels: one code, one complete response.

Only the SHA-256 of a code is stored, so the table cannot be used to answer in someone's name, and
no code is linked to a person here: the mailing list that maps codes to people stays with the
organiser. The response a code was used for is kept by UUID so that a code claimed by an unfinished
response can be released when its holder starts again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow


class Invitation(Base):
    """One invitation code of a consultation; ``used_at`` is set when its response is complete."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    batch: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    response_uuid: Mapped[str | None] = mapped_column(String(36))
    used_at: Mapped[dt.datetime | None]
