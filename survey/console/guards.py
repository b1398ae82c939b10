"""Who may use the console, and on which consultation.

Two checks: :func:`console_guard` on every console controller (a signed-in staff member with
some right to the console, else the sign-in form or 403), and :func:`require` (or
:func:`consultation_for`) in each handler that touches one consultation. Admins may do
everything. Other roles get per-consultation rights from the grants service
(``survey.store.services.grants``): an analyst granted on a consultation is its project lead (may
view and change it), a coordinator granted on it may view it; interviewers have no console.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.orm import Session

from survey.http.staff_session import current_user
from survey.store.models import Consultation, Role, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService

HOME = "/console"
LOGIN = f"{HOME}/login"

# What a per-consultation grant may allow; "manage" covers every write of the console's pages.
VIEW = "view"
MANAGE = "manage"

# Which staff roles can hold a right on a consultation they are granted (admins hold every right).
RIGHT_ROLES: dict[str, frozenset[str]] = {
    VIEW: frozenset({Role.ANALYST.value, Role.COORDINATOR.value}),
    MANAGE: frozenset({Role.ANALYST.value}),  # the project lead: an analyst granted on the consultation
}


def role_may(user: User, right: str) -> bool:
    """Whether the account's role can hold ``right`` at all (on some consultation)."""
    return user.active and (user.role == Role.ADMIN.value or user.role in RIGHT_ROLES[right])


def may(session: Session, user: User, consultation_id: int | None, right: str) -> bool:
    """Whether ``user`` holds ``right`` on the consultation (``None``: on at least one of them).

    The grants service decides (``grants.may``: admins always, others by a grant of their own role).
    """
    if not role_may(user, right):
        return False
    if user.role == Role.ADMIN.value:
        return True
    if consultation_id is None:
        return bool(grants.consultations_for(session, user, Role(user.role)))
    return grants.may(session, user, consultation_id, Role(user.role))


def console_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Signed-in staff with console rights; a browser without a session goes to the sign-in form."""
    user = current_user(connection)
    if user is None:
        target = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
        raise HTTPException(
            status_code=303, detail="sign in", headers={"Location": f"{LOGIN}?next={quote(target)}"}
        )
    connection.state.console_user = user
    if user.role != Role.ADMIN.value:
        with connection.app.state.session_factory() as session:
            if not may(session, user, None, VIEW):
                raise PermissionDeniedException("your role gives no access to the console")


def console_user(connection: ASGIConnection[Any, Any, Any, Any]) -> User:
    """The staff member :func:`console_guard` let in."""
    user: User = connection.state.console_user
    return user


def require(session: Session, user: User, consultation: Consultation, right: str = MANAGE) -> None:
    """Pass when ``user`` holds ``right`` on this consultation.

    Otherwise 403 when the account's role can never hold the right (a coordinator changing a
    questionnaire), and 404, worded as for a consultation that does not exist, when the role could
    but no grant gives it here: a project lead cannot learn which other consultations the lab runs.
    """
    if may(session, user, consultation.id, right):
        return
    if not role_may(user, right):
        raise PermissionDeniedException("your role does not allow this")
    raise NotFoundException(f"no consultation '{consultation.slug}'")


def consultation_for(session: Session, user: User, slug: str, right: str = MANAGE) -> Consultation:
    """The consultation named, once :func:`require` lets ``user`` act on it (404 when unknown)."""
    found = ConsultationService(session).find(slug) if len(slug) <= 80 else None
    if found is None:
        raise NotFoundException(f"no consultation '{slug}'")
    require(session, user, found, right)
    return found


def visible(session: Session, user: User, consultations: list[Consultation]) -> list[Consultation]:
    """The consultations ``user`` may see, in the order given."""
    return [c for c in consultations if may(session, user, c.id, VIEW)]


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a console page of this site only (no open redirect)."""
    if not value or "\\" in value:
        return HOME
    try:
        parts = urlsplit(value)
    except ValueError:
        return HOME
    segments = unquote(parts.path).split("/")
    inside = parts.path == HOME or parts.path.startswith(HOME + "/")
    if parts.scheme or parts.netloc or not inside or any(s in (".", "..") for s in segments):
        return HOME
    return HOME if parts.path.startswith(LOGIN) else value


class ConsoleAccessService:
    """The checks above on the request's session, for handlers that never hold the session themselves.

    Handlers of the console receive it as ``console_access_service``; a store read happens in each
    method, so async handlers await them through a worker thread.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def may(self, user: User, consultation_id: int | None, right: str) -> bool:
        """See :func:`may`."""
        return may(self._session, user, consultation_id, right)

    def require(self, user: User, consultation: Consultation, right: str = MANAGE) -> None:
        """See :func:`require`."""
        require(self._session, user, consultation, right)

    def consultation_for(self, user: User, slug: str, right: str = MANAGE) -> Consultation:
        """See :func:`consultation_for`."""
        return consultation_for(self._session, user, slug, right)

    def visible(self, user: User, consultations: list[Consultation]) -> list[Consultation]:
        """See :func:`visible`."""
        return visible(self._session, user, consultations)

    def visible_consultations(self, user: User) -> list[Consultation]:
        """Every consultation ``user`` may see, oldest first."""
        return visible(self._session, user, ConsultationService(self._session).list())
