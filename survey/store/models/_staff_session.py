"""Staff sessions held by the server, so that ending one (sign-out, new password, new role) is final."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow


class StaffSession(Base):
    """One signed-in browser; only the SHA-256 of its random id is kept, so the table cannot sign anyone in."""

    __tablename__ = "staff_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
