"""Staff accounts and field devices. Citizens never have accounts: responses stay anonymous."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow


class Role(StrEnum):
    """What a staff member may do; checked by every guarded route."""

    ADMIN = "admin"
    ANALYST = "analyst"
    INTERVIEWER = "interviewer"
    COORDINATOR = "coordinator"  # field supervision: reconciliation of tablets, nothing else


ROLE_CHECK = "role IN ('admin', 'analyst', 'interviewer', 'coordinator')"


class User(Base):
    """A staff member: admin, analyst, field interviewer or field coordinator."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(ROLE_CHECK, name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Device(Base):
    """A registered tablet; its token is stored hashed and can be revoked by an admin."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    last_seen_at: Mapped[dt.datetime | None]
