"""What the console's people pages read: staff accounts with their open sessions, and devices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.store.models import Device, StaffSession, User, utcnow


@dataclass(frozen=True)
class StaffRow:
    """One account in the list (sessions counted from the store's table; Redis ones are not seen)."""

    user: User
    sessions: int
    devices: int


def staff(session: Session) -> list[StaffRow]:
    """Every staff account by name, with its open sessions and active devices."""
    open_sessions = (
        select(StaffSession.user_id, func.count().label("n"))
        .where(StaffSession.expires_at > utcnow())
        .group_by(StaffSession.user_id)
        .subquery()
    )
    active_devices = (
        select(Device.user_id, func.count().label("n"))
        .where(Device.revoked_at.is_(None))
        .group_by(Device.user_id)
        .subquery()
    )
    rows = session.execute(
        select(User, open_sessions.c.n, active_devices.c.n)
        .outerjoin(open_sessions, open_sessions.c.user_id == User.id)
        .outerjoin(active_devices, active_devices.c.user_id == User.id)
        .order_by(User.username)
    ).all()
    return [StaffRow(user, int(s or 0), int(d or 0)) for user, s, d in rows]


def devices_of(session: Session, user: User) -> list[Device]:
    """The account's tablets, newest first, revoked ones included (they stay listed)."""
    return list(session.scalars(select(Device).where(Device.user_id == user.id).order_by(Device.id.desc())))
