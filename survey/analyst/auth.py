"""Who may use the analyst workbench: analysts with a grant on the consultation, and admins.

Every route under a consultation names it by its ``slug`` path parameter, so the guard decides for
all of them at once, through the grants service (``survey.store.services.grants.may``): a route
added later is covered without any code of its own. A staff member without a grant gets the same
404 as for a consultation that does not exist, so the workbench does not tell which consultations
other public bodies run (docs/roles.md).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.orm import Session

from survey.http.staff_session import current_user
from survey.store.errors import NotFoundError
from survey.store.models import Consultation, Role, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService

STAFF_ROLES = frozenset({Role.ANALYST.value, Role.ADMIN.value})
LOGIN_PATH = "/analyst/login"
SLUG = "slug"


def granted_consultation(
    session: Session, connection: ASGIConnection[Any, Any, Any, Any], user: User, role: Role
) -> Consultation | None:
    """The consultation named by the route's ``slug`` if ``user`` may act on it as ``role``.

    None when the route names no consultation; NotFoundError (404, worded like a missing
    consultation) when it names one the user holds no grant on, or one that does not exist.
    """
    slug = connection.path_params.get(SLUG)
    if slug is None:
        return None
    consultation = ConsultationService(session).find(str(slug))
    if consultation is None or not grants.may(session, user, consultation.id, role):
        raise NotFoundError(f"no consultation '{slug}'")
    return consultation


def staff_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Analyst or admin only: pages send anonymous users to the login form, the API answers 401;
    on a consultation's routes, an analyst without a grant on it gets 404."""
    own: Session
    with connection.app.state.session_factory() as own:
        user = current_user(connection, own)
        is_api = connection.url.path.startswith("/analyst/api/")
        if user is None:
            if is_api:
                raise NotAuthorizedException("sign in as an analyst")
            raise HTTPException(status_code=303, detail="sign in", headers={"Location": LOGIN_PATH})
        if user.role not in STAFF_ROLES:
            raise PermissionDeniedException("analyst or admin role required")
        granted_consultation(own, connection, user, Role.ANALYST)
        own.expunge(user)
    connection.state.analyst_user = user
