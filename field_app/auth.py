"""Device tokens and staff checks for the field API.

A token is a random secret shown once at login; only its SHA-256 is stored, so a database leak
does not let anyone sync. Revocation is a timestamp: a revoked tablet gets a 403 that says so
(and keeps its data), an unknown token a 401.
"""

from __future__ import annotations

import base64
import secrets

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.errors import DeviceRevoked, DeviceUnknown, InterviewerDisabled, LoginFailedError, TokenMissing
from survey.analyst.auth import granted_consultation
from survey.http.login_throttle import LoginLimiter
from survey.http.ratelimit import client_address
from survey.store.bounds import id_in_range
from survey.store.errors import AuthError, NotFoundError
from survey.store.models import Device, FieldAssignment, Role, User, utcnow
from survey.store.services import grants
from survey.store.services.audit import record
from survey.store.services.users import UserService
from survey.store.tokens import hash_token

REVOKED_MESSAGE = (
    "This tablet was revoked by an administrator (device {id}). Nothing was uploaded; "
    "the interviews stay on the tablet. Ask your supervisor to export them or to register the tablet again."
)


def register_device(session: Session, user: User, label: str) -> tuple[Device, str]:
    """A new device row and its plain token (returned once, never stored)."""
    token = secrets.token_urlsafe(32)
    device = Device(user_id=user.id, label=label[:200] or "tablet", token_hash=hash_token(token))
    session.add(device)
    session.flush()
    record(
        session,
        actor=user.username,
        actor_id=user.id,
        action="register",
        entity="device",
        entity_id=device.id,
    )
    return device, token


def login_interviewer(session: Session, username: str, password: str) -> User:
    """Only interviewers get device tokens; staff of other roles use their own tools.

    Every refusal is a :class:`LoginFailedError` so the tablet gets ``"code": "login_failed"`` whatever
    the reason (the reason itself is not told apart, on purpose).
    """
    try:
        user = UserService(session).authenticate(username, password)
    except AuthError as exc:
        raise LoginFailedError(str(exc)) from exc
    if user.role != Role.INTERVIEWER.value:
        raise LoginFailedError("only interviewer accounts can register a field tablet")
    return user


def device_for_token(session: Session, token: str) -> Device:
    """The active device behind a bearer token; 401 if unknown, 403 if revoked."""
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    if device is None:
        raise DeviceUnknown("unknown device token: log in again while online")
    if device.revoked_at is not None:
        raise DeviceRevoked(REVOKED_MESSAGE.format(id=device.id))
    user = session.get(User, device.user_id)
    if user is None or not user.active:
        raise InterviewerDisabled("the interviewer account of this tablet is disabled")
    device.last_seen_at = utcnow()
    return device


def bearer_token(connection: ASGIConnection) -> str:
    """The token of an ``Authorization: Bearer`` header, or 401."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenMissing("missing device token (Authorization: Bearer ...)")
    return token.strip()


def staff_from_basic(
    session: Session, connection: ASGIConnection, roles: set[Role], limiter: LoginLimiter
) -> User:
    """HTTP Basic credentials of a staff member holding one of ``roles``.

    Basic sends the password with every request, so each check goes through ``limiter`` like a
    sign-in form: otherwise any Basic-protected page would be an unthrottled password oracle.
    """
    scheme, _, encoded = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise NotAuthorizedException(
            "staff credentials required (HTTP Basic)",
            headers={"WWW-Authenticate": 'Basic realm="field-admin"'},
        )
    try:
        username, _, password = base64.b64decode(encoded).decode().partition(":")
    except ValueError as exc:  # bad base64 (binascii.Error), non-ASCII text, bytes that are not UTF-8
        raise NotAuthorizedException("malformed Basic credentials") from exc
    with limiter.attempt(username, client_address(connection)):
        user = UserService(session).authenticate(username, password)
    if Role(user.role) not in roles:
        raise PermissionDeniedException(f"role '{user.role}' may not do this")
    require_grant(session, connection, user)
    return user


def require_grant(session: Session, connection: ASGIConnection, user: User) -> None:
    """On a route naming a consultation (``slug``) or a tablet (``device_id``), 404 unless ``user``
    holds a grant there in their own role (admins hold every one): see docs/roles.md.

    A tablet belongs to the consultations its interviewer is assigned to, so a coordinator sees the
    tablets of the consultations they coordinate.
    """
    granted_consultation(session, connection, user, Role(user.role))
    device_id = connection.path_params.get("device_id")
    # An id no column can hold is left to the route's own parameter check (400): no tablet has it.
    if (
        device_id is not None
        and id_in_range(int(device_id))
        and not may_see_device(session, user, int(device_id))
    ):
        raise NotFoundError(f"no device {device_id}")


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


def revoke_device(session: Session, device_id: int, *, actor: str, actor_id: int | None = None) -> Device:
    """Mark a device revoked (idempotent: the first revocation time is kept)."""
    device = session.get(Device, device_id)
    if device is None:
        raise NotFoundError(f"no device {device_id}")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        record(session, actor=actor, actor_id=actor_id, action="revoke", entity="device", entity_id=device.id)
    return device
