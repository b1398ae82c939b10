"""Device tokens and staff checks for the field API.

A token is a random secret shown once at login; only its SHA-256 is stored, so a database leak
does not let anyone sync. Revocation is a timestamp: a revoked tablet gets a 403 that says so
(and keeps its data), an unknown token a 401.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from sqlalchemy.orm import Session

from field_app.errors import DeviceRevoked, DeviceUnknown, InterviewerDisabled, LoginFailedError, TokenMissing
from survey.analyst.auth import granted_consultation
from survey.http import staff_session
from survey.http.login_throttle import LoginLimiter, limiter_of
from survey.http.ratelimit import client_address
from survey.store.bounds import id_in_range
from survey.store.errors import AuthError, NotFoundError
from survey.store.models import Device, Role, User, utcnow
from survey.store.services.field_devices import (  # noqa: F401 - field_app.openrosa imports the two
    device_by_token,
    may_see_device,
    register_device,
    revoke_device,
)
from survey.store.services.users import UserService

COORDINATING = frozenset({Role.ADMIN, Role.COORDINATOR})
HOME = "/field/coordinator"
LOGIN = f"{HOME}/login"
COORDINATOR_LIMITER_KEY = "coordinator_login_limiter"
ADMIN_LIMITER_KEY = "field_admin_basic_limiter"  # supervisors' HTTP Basic credentials, checked per request
REVOKED_MESSAGE = (
    "This tablet was revoked by an administrator (device {id}). Nothing was uploaded; "
    "the interviews stay on the tablet. Ask your supervisor to export them or to register the tablet again."
)


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
    device = device_by_token(session, token)
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


def provide_coordinator(request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> User:
    """An admin or coordinator: from the staff session, or from HTTP Basic credentials (scripts).

    A browser without a session is sent to the sign-in form (and back afterwards); a signed-in
    account without the role is sent there too, with the reason. Other clients get 401. A tablet
    or consultation the coordinator holds no grant on is a 404, as if it did not exist.
    """
    if request.headers.get("authorization"):
        limiter = limiter_of(request, COORDINATOR_LIMITER_KEY)
        return staff_from_basic(db_session, request, set(COORDINATING), limiter)
    user = staff_session.current_user(request, db_session)
    if user is not None and Role(user.role) in COORDINATING:
        require_grant(db_session, request, user)
        return user
    if "text/html" not in request.headers.get("accept", ""):
        raise NotAuthorizedException(
            "sign in at /field/coordinator/login, or send HTTP Basic credentials",
            headers={"WWW-Authenticate": 'Basic realm="field-coordinator"'},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    refused = "&refused=1" if user is not None else ""
    raise HTTPException(
        status_code=303, detail="sign in", headers={"Location": f"{LOGIN}?next={quote(target)}{refused}"}
    )


def provide_device(request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> Device:
    """The calling tablet, from its bearer token (401 unknown, 403 revoked)."""
    return device_for_token(db_session, bearer_token(request))


def provide_admin(request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> User:
    """An administrator, from HTTP Basic credentials."""
    return staff_from_basic(db_session, request, {Role.ADMIN}, limiter_of(request, ADMIN_LIMITER_KEY))


def provide_planner(request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> User:
    """An administrator or analyst (quota and plan work), from HTTP Basic credentials."""
    limiter = limiter_of(request, ADMIN_LIMITER_KEY)
    return staff_from_basic(db_session, request, {Role.ADMIN, Role.ANALYST}, limiter)
