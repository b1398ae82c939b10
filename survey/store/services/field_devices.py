"""Field tablets: registered at an interviewer's login, seen by their supervisors, revoked by them.

A token is a random secret shown once at login; only its SHA-256 is stored, so a database leak
does not let anyone sync. Ending a token replaces its hash with one of a secret nobody holds:
every copy of the token is then unknown. Revocation is a timestamp (the tablet keeps its data).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.store.errors import NotFoundError
from survey.store.models import Device, FieldAssignment, Role, User, utcnow
from survey.store.services import grants
from survey.store.services.audit import record
from survey.store.tokens import hash_token


def register_device(session: Session, user: User, label: str) -> tuple[Device, str]:
    """A new device row and its plain token (returned once, never stored)."""
    token = secrets.token_urlsafe(32)
    device = Device(user_id=user.id, label=label[:200] or "tablet", token_hash=hash_token(token))
    session.add(device)
    session.flush()
    record(session, actor=user.username, actor_id=user.id, action="register", entity="device",
           entity_id=device.id)  # fmt: skip
    return device, token


def device_by_token(session: Session, token: str) -> Device | None:
    """The device a bearer token names, revoked or not."""
    return session.scalar(select(Device).where(Device.token_hash == hash_token(token)))


def revoke_device(session: Session, device_id: int, *, actor: str, actor_id: int | None = None) -> Device:
    """Mark a device revoked (idempotent: the first revocation time is kept)."""
    device = session.get(Device, device_id)
    if device is None:
        raise NotFoundError(f"no device {device_id}")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        record(session, actor=actor, actor_id=actor_id, action="revoke", entity="device", entity_id=device.id)
    return device


def end_token(session: Session, device: Device) -> None:
    """The tablet signed out: its token ends for good and the device is marked revoked (audited)."""
    device.token_hash = hash_token(secrets.token_urlsafe(32))
    if device.revoked_at is None:
        device.revoked_at = utcnow()
    record(
        session, actor=owner_name(session, device), actor_id=device.user_id, action="sign_out",
        entity="device", entity_id=device.id,
    )  # fmt: skip


def visible_devices(session: Session, user: User) -> list[int]:
    """Ids of the tablets ``user`` may supervise: every one for an admin, else those whose interviewer
    is assigned to a consultation ``user`` holds in their own role."""
    query = select(Device.id).order_by(Device.id)
    if user.active and user.role == Role.ADMIN.value:
        return list(session.scalars(query))
    held = [c.id for c in grants.consultations_for(session, user, Role(user.role))]
    if not held:
        return []
    assigned = select(FieldAssignment.user_id).where(FieldAssignment.consultation_id.in_(held))
    return list(session.scalars(query.where(Device.user_id.in_(assigned))))


def may_see_device(session: Session, user: User, device_id: int) -> bool:
    """Whether the tablet is among :func:`visible_devices` (checked without listing them all)."""
    device = session.get(Device, device_id)
    if device is None:
        return False
    if user.active and user.role == Role.ADMIN.value:
        return True
    assigned = session.scalars(
        select(FieldAssignment.consultation_id).where(FieldAssignment.user_id == device.user_id)
    )
    return any(grants.may(session, user, consultation_id, Role(user.role)) for consultation_id in assigned)


def devices_with_owners(session: Session) -> list[tuple[Device, str]]:
    """Every registered tablet with its interviewer's username, oldest first."""
    rows = session.execute(
        select(Device, User.username).join(User, User.id == Device.user_id).order_by(Device.id)
    ).all()
    return [(device, username) for device, username in rows]


def owner_name(session: Session, device: Device) -> str:
    """The username of the tablet's interviewer ("" when the account is gone)."""
    user = session.get(User, device.user_id)
    return user.username if user else ""


def device_of(session: Session, device_id: int, interviewer_id: int) -> Device | None:
    """The tablet with this id if it belongs to this interviewer (an export file names both)."""
    device = session.get(Device, device_id)
    return device if device is not None and device.user_id == interviewer_id else None
