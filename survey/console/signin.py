"""``/console/login`` and ``/console/logout``: the one staff session, opened from the console.

The session and its cookie are the workbench's and the coordinators' (``survey.http.staff_session``),
and failures are throttled by the same limiter; only the form and where it leads are the console's.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from survey.console import texts
from survey.console.guards import HOME, LOGIN, VIEW, ConsoleAccessService, safe_next
from survey.console.render import NO_STORE, page
from survey.http import csrf, staff_session
from survey.http.deps import provide_service
from survey.http.login_throttle import TooManyAttempts
from survey.http.staff_door import StaffDoorService
from survey.store.errors import AuthError

LIMITER_KEY = "console_login_limiter"


def _form(request: Request[Any, Any, Any], *, status: int = 200, error: str = "", username: str = "",
          next_url: str | None = None) -> Response[str]:  # fmt: skip
    target = safe_next(next_url if next_url is not None else request.query_params.get("next"))
    return page(request, "login.html", status=status, error=error, username=username, next_url=target)


class SignInController(Controller):
    """Open to everyone; a right password for an account with console rights opens the session."""

    path = HOME
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "staff_door_service": provide_service(StaffDoorService),
        "console_access_service": provide_service(ConsoleAccessService),
    }

    @get("/login")
    async def login_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return _form(request)

    @post("/login")
    async def login(
        self,
        request: Request[Any, Any, Any],
        staff_door_service: NamedDependency[StaffDoorService],
        console_access_service: NamedDependency[ConsoleAccessService],
    ) -> Response[str] | Redirect:
        lang = texts.language(request)
        form = await staff_session.read_form(request)
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        again: dict[str, Any] = {"username": username, "next_url": str(form.get("next", ""))}
        if not csrf.form_ok(request, form):
            return _form(request, status=403, error=texts.text("form_expired", lang), **again)
        try:
            user = await staff_door_service.sign_in(request, LIMITER_KEY, username, password)
        except TooManyAttempts as exc:
            response = _form(
                request, status=429, error=texts.text("too_many", lang, minutes=exc.minutes), **again
            )
            response.headers["Retry-After"] = exc.retry_after
            return response
        except AuthError:
            return _form(request, status=401, error=texts.text("bad_login", lang), **again)
        if not await to_thread.run_sync(console_access_service.may, user, None, VIEW):
            return _form(
                request, status=403, error=texts.text("no_access", lang, name=user.username), **again
            )
        redirect = Redirect(safe_next(again["next_url"]), status_code=303, headers=NO_STORE)
        redirect.set_cookie(await staff_door_service.start(request, user))
        return redirect

    @post("/logout")
    async def logout(
        self, request: Request[Any, Any, Any], staff_door_service: NamedDependency[StaffDoorService]
    ) -> Redirect:
        """The session ends on the server: a copy of the cookie opens nothing afterwards."""
        return await staff_door_service.sign_out(request, LOGIN, NO_STORE)
