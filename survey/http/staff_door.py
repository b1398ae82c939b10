"""Staff sign-in and sign-out as one service bound to the request's database session.

Why: the sign-in forms of the console and the coordinator pages are ``async`` handlers (they read
the form and throttle before any password check); what they do with the store runs in a thread.
Handing them this service instead of the session keeps the session out of controllers, and every
method that touches the store is a coroutine that hops to a thread, so the event loop never waits.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect
from sqlalchemy.orm import Session

from survey.http import staff_session
from survey.http.login_throttle import throttled_sign_in
from survey.store.models import User


class StaffDoorService:
    """Check a password, start a staff session, end one: each awaited, each off the event loop."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def sign_in(
        self, request: Request[Any, Any, Any], limiter_key: str, username: str, password: str
    ) -> User:
        """The account behind these credentials (see :func:`throttled_sign_in` for what it raises)."""
        return await throttled_sign_in(request, limiter_key, self._session, username, password)

    async def start(self, request: Request[Any, Any, Any], user: User) -> Cookie:
        """Record a new staff session for ``user``; the cookie that names it."""
        return await to_thread.run_sync(staff_session.start_session, request, self._session, user)

    async def sign_out(
        self, request: Request[Any, Any, Any], location: str, headers: dict[str, str] | None = None
    ) -> Redirect:
        """The shared sign-out (:func:`staff_session.sign_out`), then on to ``location``."""
        return await staff_session.sign_out(request, self._session, location, headers)
