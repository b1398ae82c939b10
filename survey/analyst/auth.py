"""Who may use the analyst workbench: analysts and admins with a signed staff session."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from survey.store.models import Role
from survey.web.staff_session import current_user

STAFF_ROLES = frozenset({Role.ANALYST.value, Role.ADMIN.value})
LOGIN_PATH = "/analyst/login"


def staff_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Analyst or admin only: pages send anonymous users to the login form, the API answers 401."""
    user = current_user(connection)
    is_api = connection.url.path.startswith("/analyst/api/")
    if user is None:
        if is_api:
            raise NotAuthorizedException("sign in as an analyst")
        raise HTTPException(status_code=303, detail="sign in", headers={"Location": LOGIN_PATH})
    if user.role not in STAFF_ROLES:
        raise PermissionDeniedException("analyst or admin role required")
    connection.state.analyst_user = user
