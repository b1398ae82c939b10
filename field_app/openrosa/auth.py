"""Who is calling: an interviewer over HTTP Basic, collecting through one "ODK Collect" device row.

ODK Collect speaks HTTP Basic (over HTTPS) with the interviewer's own account. Each check is
throttled like a sign-in form (the shared limiter of :func:`field_app.auth.staff_from_basic`). Responses
are attributed to a device as the tablet app's are: one device row per interviewer labelled
``ODK Collect``, made on first use; an administrator revokes it like any tablet, after which Collect
is refused for that interviewer (the revocation is not undone by signing in again).
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.auth import REVOKED_MESSAGE, register_device, staff_from_basic
from field_app.errors import DeviceRevoked
from survey.http.login_throttle import limiter_of
from survey.store.models import Device, Role, User, utcnow

LIMITER_KEY = "openrosa_basic_limiter"
DEVICE_LABEL = "ODK Collect"


def interviewer(session: Session, connection: ASGIConnection) -> User:
    """The interviewer of the Basic credentials (401 with a Basic challenge when absent or wrong)."""
    return staff_from_basic(session, connection, {Role.INTERVIEWER}, limiter_of(connection, LIMITER_KEY))  # type: ignore[arg-type]


def collect_device(session: Session, user: User) -> Device:
    """The interviewer's ODK Collect device, made on first use; 403 once an administrator revoked it."""
    device = session.scalar(
        select(Device)
        .where(Device.user_id == user.id, Device.label == DEVICE_LABEL)
        .order_by(Device.id.desc())
        .limit(1)
    )
    if device is None:
        # Collect never presents the token: it only fills the column, which must be unique.
        device, _ = register_device(session, user, DEVICE_LABEL)
    if device.revoked_at is not None:
        raise DeviceRevoked(REVOKED_MESSAGE.format(id=device.id))
    device.last_seen_at = utcnow()
    return device
