"""Who may use the console, and on which consultation.

Two checks: :func:`console_guard` on every console controller (a signed-in staff member with
some right to the console, else the sign-in form or 403), and :func:`require` in each handler
that touches one consultation (the per-consultation role). Admins may do everything. Other
roles get per-consultation rights from the grants service once it exists; until then the
console is for admins only, which is the safe side of the rule.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.orm import Session

from survey.store.models import Consultation, Role, User
from survey.web.staff_session import current_user

HOME = "/console"
LOGIN = f"{HOME}/login"

# What a per-consultation grant may allow; "manage" covers every write of the console's pages.
VIEW = "view"
MANAGE = "manage"


def may(session: Session, user: User, consultation_id: int | None, right: str) -> bool:
    """Whether ``user`` holds ``right`` on the consultation (``None``: on the console as a whole)."""
    del session, consultation_id, right  # per-consultation grants arrive with the grants service
    return user.role == Role.ADMIN.value


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
    """403 unless ``user`` holds ``right`` on this consultation."""
    if not may(session, user, consultation.id, right):
        raise PermissionDeniedException(
            f"your role does not allow this on consultation '{consultation.slug}'"
        )


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
