"""Sign-in for the coordinators' pages: a form in the reader's language and a signed staff session.

Why not HTTP Basic: a browser's Basic prompt cannot be translated, cannot be signed out of
short of closing the browser (a shared office computer then stays signed in), and gives no
place to say why an account was refused. The form sets the same signed staff cookie as the
analyst workbench, so an admin signs in once for both, while each area checks its own roles.
Scripts may still send HTTP Basic credentials to the same pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from field_app.auth import (
    COORDINATING,
    HOME,
    LOGIN,
    provide_coordinator,  # noqa: F401 - field_app.openrosa imports it from here
)
from field_app.auth import COORDINATOR_LIMITER_KEY as LIMITER_KEY
from field_app.coordinator_page import PageLanguage, page
from field_app.coordinator_texts import text
from survey.http import csrf, staff_session
from survey.http.deps import provide_service
from survey.http.login_throttle import TooManyAttempts
from survey.http.staff_door import StaffDoorService
from survey.store.errors import AuthError
from survey.store.models import Role


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a coordinator page of this site (no open redirect).

    The path is judged as the browser will resolve it: ``..`` segments, encoded or not, and
    backslashes are refused rather than interpreted.
    """
    if not value or "\\" in value:
        return HOME
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1" and other addresses no browser could follow
        return HOME
    segments = unquote(parts.path).split("/")
    inside = parts.path == HOME or parts.path.startswith(HOME + "/")
    if parts.scheme or parts.netloc or not inside or any(s in (".", "..") for s in segments):
        return HOME
    if parts.path.startswith(LOGIN):
        return HOME
    return value


def login_page(
    request: Request[Any, Any, Any],
    lang: PageLanguage,
    *,
    status: int = 200,
    error: str = "",
    username: str = "",
    next_url: str | None = None,
) -> Response[str]:
    """The sign-in form; ``error`` is shown in an alert that screen readers announce at once."""
    token, fresh = csrf.form_token(request)
    target = safe_next(next_url if next_url is not None else request.query_params.get("next"))
    response = page(
        "login.html",
        text("login_title", lang.code),
        lang,
        LOGIN,
        status=status,
        csrf=token,
        action=LOGIN,
        error=error,
        username=username,
        next_url=target,
    )
    return csrf.remember(response, fresh, request)


class CoordinatorLoginController(Controller):
    """``/field/coordinator/login`` and ``/logout``: open to everyone, throttled on failures."""

    path = HOME
    include_in_schema = False
    dependencies = {"staff_door_service": provide_service(StaffDoorService)}  # noqa: RUF012

    @get("/login", sync_to_thread=True)
    def login_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        """The form; after a refusal by role it says which account was refused."""
        lang = PageLanguage.of(request)
        user = staff_session.current_user(request)
        if request.query_params.get("refused") and user is not None:
            error = text("not_coordinator", lang.code, name=user.username)
            return login_page(request, lang, status=403, error=error)
        return login_page(request, lang)

    @post("/login")
    async def login(
        self, request: Request[Any, Any, Any], staff_door_service: NamedDependency[StaffDoorService]
    ) -> Response[str] | Redirect:
        """Check the password; success sets the staff session and goes back to the page asked for."""
        lang = PageLanguage.of(request)
        form = await staff_session.read_form(request)
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        again = {"username": username, "next_url": str(form.get("next", ""))}
        if not csrf.form_ok(request, form):
            return login_page(request, lang, status=403, error=text("form_expired", lang.code), **again)
        try:
            user = await staff_door_service.sign_in(request, LIMITER_KEY, username, password)
        except TooManyAttempts as exc:
            error = text("too_many", lang.code, minutes=exc.minutes)
            response = login_page(request, lang, status=429, error=error, **again)
            response.headers["Retry-After"] = exc.retry_after
            return response
        except AuthError:
            return login_page(request, lang, status=401, error=text("bad_login", lang.code), **again)
        if Role(user.role) not in COORDINATING:
            error = text("not_coordinator", lang.code, name=user.username)
            return login_page(request, lang, status=403, error=error, **again)
        redirect = Redirect(safe_next(again["next_url"]), status_code=303)
        redirect.set_cookie(await staff_door_service.start(request, user))
        return redirect

    @post("/logout")
    async def logout(
        self, request: Request[Any, Any, Any], staff_door_service: NamedDependency[StaffDoorService]
    ) -> Redirect:
        """End the staff session on the server (the workbench's too: it is the same session)."""
        location = f"{LOGIN}?lang={request.query_params.get('lang', '')}"
        return await staff_door_service.sign_out(request, location)
