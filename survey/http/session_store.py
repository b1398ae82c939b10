"""Where staff sessions live: the store's ``staff_sessions`` table, or Redis when ``REDIS_URL`` is set.

Why server-side at all: a signed cookie alone could not be ended. Sign-out only asked the browser
to forget it, so a copied cookie worked for its whole 8 hours, and a new password or role did not
sign out a session opened with the old one. Each sign-in now records the SHA-256 of a random
session id (the id itself is only in the cookie); a request is admitted while that record exists.

Both stores are shared by every worker and every server that use the same database or Redis.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey.store.models import StaffSession, utcnow
from survey.store.tokens import hash_token

__all__ = ["DatabaseSessions", "SessionStore", "id_hash"]


def id_hash(session_id: str) -> str:
    """What the stores keep instead of the session id: a leaked table or Redis dump signs nobody in."""
    return hash_token(session_id)


class SessionStore(Protocol):
    """The four things the staff areas do with sessions; ``db`` is the request's store session."""

    def start(self, db: Session, user_id: int, digest: str, expires: dt.datetime) -> None: ...

    def alive(self, db: Session, user_id: int, digest: str) -> bool: ...

    def end(self, db: Session, digest: str) -> None: ...

    def end_all(self, db: Session, user_id: int) -> None: ...


class DatabaseSessions:
    """Sessions as rows of ``staff_sessions``, written in the request's own transaction."""

    def start(self, db: Session, user_id: int, digest: str, expires: dt.datetime) -> None:
        db.execute(
            delete(StaffSession).where(StaffSession.user_id == user_id, StaffSession.expires_at < utcnow())
        )
        db.add(StaffSession(id_hash=digest, user_id=user_id, expires_at=expires))
        db.flush()

    def alive(self, db: Session, user_id: int, digest: str) -> bool:
        expires = db.scalar(
            select(StaffSession.expires_at).where(
                StaffSession.id_hash == digest, StaffSession.user_id == user_id
            )
        )
        if expires is None:
            return False
        aware = expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)  # SQLite reads back naive UTC
        return aware > utcnow()

    def end(self, db: Session, digest: str) -> None:
        db.execute(delete(StaffSession).where(StaffSession.id_hash == digest))

    def end_all(self, db: Session, user_id: int) -> None:
        db.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
