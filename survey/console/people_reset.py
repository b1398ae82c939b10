"""``/console/reset/<token>``: where a one-time link lets a staff member choose a new password.

Open without a session (the link is the credential); CSRF still guards the form. The link works
once: setting the password changes the hash the link was signed with (see
``survey.store.services.password_reset``), and it ends every session of the account.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath

from survey.console import people_texts, texts
from survey.console.people_service import PeopleService
from survey.console.problem_texts import problem
from survey.console.render import page
from survey.http.deps import provide_service
from survey.http.staff_session import checked_form, sessions_of
from survey.store.errors import StoreError
from survey.store.services.password_reset import RESET_PATH, ResetLinkError

people_texts.install()


class ResetController(Controller):
    """The form a reset link opens, and its answer."""

    path = RESET_PATH
    include_in_schema = False
    dependencies = {"people_service": provide_service(PeopleService)}  # noqa: RUF012

    @get("/{token:str}", sync_to_thread=True)
    def form(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        token: FromPath[str],
    ) -> Response[str]:
        lang = texts.language(request)
        try:
            user = people_service.reset_link_user(token, secret=request.app.state.settings.secret_key)
        except ResetLinkError:
            return page(request, "people_reset.html", status=400, invalid=texts.text("p_link_invalid", lang))
        return page(request, "people_reset.html", username=user.username, token=token)

    @post("/{token:str}", status_code=200)
    async def set_password(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        token: FromPath[str],
    ) -> Response[str]:
        form = await checked_form(request)
        return await to_thread.run_sync(self._set_password, request, people_service, token, form)

    def _set_password(
        self, request: Request[Any, Any, Any], people: PeopleService, token: str, form: FormMultiDict
    ) -> Response[str]:
        """Check the link and the two passwords, then store the new one and end every session (in a thread)."""
        lang = texts.language(request)
        password, again = form.get("password"), form.get("again")
        secret = request.app.state.settings.secret_key
        try:
            user = people.reset_link_user(token, secret=secret)
        except ResetLinkError:
            return page(request, "people_reset.html", status=400, invalid=texts.text("p_link_invalid", lang))
        if not isinstance(password, str) or len(password) < 8:
            error = texts.text("p_err_password", lang)
        elif password != again:
            error = texts.text("p_err_again", lang)
        else:
            try:
                people.redeem_reset_link(token, password, secret=secret)
                people.end_sessions(sessions_of(request), user.id)
            except StoreError as exc:
                people.rollback()
                error = problem(str(exc), lang)
            else:
                return page(request, "people_reset.html", done=True)
        return page(
            request, "people_reset.html", status=400, username=user.username, token=token, error=error
        )
