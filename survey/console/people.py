"""``/console/people``: staff accounts, their role, activation, reset links, assignments and devices.

Every write goes through the services the CLI uses (``survey user``, ``survey device``), is audited
there, and answers with a redirect (post/redirect/get) or, when the input is refused, the same
page with a 400 and the reason next to its field. A new password, a new role or disabling ends every
session of the account, in the store and in Redis when the app keeps sessions there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from survey.console import people_texts, texts
from survey.console.guards import console_guard, console_user
from survey.console.people_common import admin_only, field_text
from survey.console.people_field import field_ops
from survey.console.people_service import PeopleService
from survey.console.problem_texts import problem
from survey.console.render import page, see_other
from survey.http.deps import provide_service
from survey.http.staff_session import checked_form, sessions_of
from survey.store.errors import StoreError
from survey.store.models import Role, User
from survey.store.services.password_reset import RESET_PATH

people_texts.install()
ROLES = [r.value for r in Role]
# A people-page write: (request, service, form, the account, the admin acting), run in a worker thread.
Action = Callable[[Request[Any, Any, Any], PeopleService, FormMultiDict, User, User], None]


def detail_page(request: Request[Any, Any, Any], people: PeopleService, user_id: int, *, status: int = 200,
                error: str = "", reset_link: str = "") -> Response[str]:  # fmt: skip
    """One account's page: role, access, reset link, grants or assignments, devices."""
    user = people.user(user_id)
    return page(request, "people_detail.html", status=status, person=user, roles=ROLES, error=error,
                reset_link=reset_link, **people.detail(user, field_ops(request)))  # fmt: skip


class PeopleController(Controller):
    """Admins only: accounts span every consultation."""

    path = "/console/people"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"people_service": provide_service(PeopleService)}  # noqa: RUF012

    def _list(self, request: Request[Any, Any, Any], people: PeopleService, *, status: int = 200,
              errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response[str]:  # fmt: skip
        admin_only(console_user(request))
        return page(request, "people.html", status=status, rows=people.staff(), roles=ROLES, errors=errors or {},
                    values=values or {})  # fmt: skip

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], people_service: NamedDependency[PeopleService]
    ) -> Response[str]:
        return self._list(request, people_service)

    @post("/", status_code=200)
    async def create(
        self, request: Request[Any, Any, Any], people_service: NamedDependency[PeopleService]
    ) -> Response[str] | Redirect:
        admin_only(console_user(request))
        form = await checked_form(request)
        return await to_thread.run_sync(self._create, request, people_service, form)

    def _create(
        self, request: Request[Any, Any, Any], people: PeopleService, form: FormMultiDict
    ) -> Response[str] | Redirect:
        """Check every field, then store the account (in a worker thread); a refusal re-draws the list."""
        actor = console_user(request)
        lang = texts.language(request)
        values = {k: field_text(form.get(k), 201) for k in ("username", "display_name", "role")}
        password = form.get("password")
        password = password if isinstance(password, str) else ""
        errors: dict[str, str] = {}
        if (
            not values["username"]
            or len(values["username"]) > 80
            or any(c.isspace() for c in values["username"])
        ):
            errors["username"] = texts.text("p_err_username", lang)
        if len(values["display_name"]) > 200:
            errors["display_name"] = texts.text("p_err_display_name", lang)
        if values["role"] not in ROLES:
            errors["role"] = texts.text("p_err_role", lang)
        if len(password) < 8:
            errors["password"] = texts.text("p_err_password", lang)
        if not errors:
            try:
                people.users.create(values["username"], password, Role(values["role"]),
                                    actor=actor.username, display_name=values["display_name"])  # fmt: skip
            except StoreError:
                people.rollback()
                errors["username"] = texts.text("p_err_taken", lang, name=values["username"])
        if errors:
            return self._list(request, people, status=400, errors=errors, values=values)
        return see_other("/console/people")

    def _detail(self, request: Request[Any, Any, Any], people: PeopleService, user: User, *, status: int = 200,
                error: str = "", reset_link: str = "") -> Response[str]:  # fmt: skip
        return detail_page(request, people, user.id, status=status, error=error, reset_link=reset_link)

    @get("/{user_id:int}", sync_to_thread=True)
    def detail(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
    ) -> Response[str]:
        admin_only(console_user(request))
        return self._detail(request, people_service, people_service.user(user_id))

    async def _write(self, request: Request[Any, Any, Any], people: PeopleService, user_id: int, action: Action, *,
                     end_sessions: bool = False) -> Response[str] | Redirect:  # fmt: skip
        """Check the role and the form, then run ``action`` in a worker thread."""
        admin_only(console_user(request))
        form = await checked_form(request)
        return await to_thread.run_sync(self._run, request, people, user_id, action, form, end_sessions)

    def _run(self, request: Request[Any, Any, Any], people: PeopleService, user_id: int, action: Action,
             form: FormMultiDict, end_sessions: bool) -> Response[str] | Redirect:  # fmt: skip
        """Run ``action(request, people, form, person, actor)``; a refusal re-draws the page."""
        actor = console_user(request)
        person = people.user(user_id)
        try:
            action(request, people, form, person, actor)
            if end_sessions:
                people.end_sessions(sessions_of(request), person.id)
        except StoreError as exc:
            people.rollback()
            return self._detail(
                request,
                people,
                people.user(user_id),
                status=400,
                error=problem(str(exc), texts.language(request)),
            )
        return see_other(f"/console/people/{user_id}")

    @post("/{user_id:int}/role", status_code=200)
    async def role(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
    ) -> Response[str] | Redirect:
        return await self._write(request, people_service, user_id, _set_role, end_sessions=True)

    @post("/{user_id:int}/active", status_code=200)
    async def active(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
    ) -> Response[str] | Redirect:
        return await self._write(request, people_service, user_id, _set_active, end_sessions=True)

    @post("/{user_id:int}/reset", status_code=200)
    async def reset(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
    ) -> Response[str]:
        """The link is shown on this answer only: it is not stored, so it cannot be shown again."""
        admin_only(console_user(request))
        await checked_form(request)
        return await to_thread.run_sync(self._reset, request, people_service, user_id)

    def _reset(self, request: Request[Any, Any, Any], people: PeopleService, user_id: int) -> Response[str]:
        actor = console_user(request)
        person = people.user(user_id)
        if not person.active:
            error = texts.text("p_err_reset_disabled", texts.language(request))
            return self._detail(request, people, person, status=400, error=error)
        secret = request.app.state.settings.secret_key
        try:
            link = people.issue_reset_link(person, secret=secret, actor=actor.username)
        except StoreError as exc:
            people.rollback()
            return self._detail(
                request,
                people,
                people.user(user_id),
                status=400,
                error=problem(str(exc), texts.language(request)),
            )
        root = str(request.base_url).rstrip("/")
        return self._detail(request, people, person, reset_link=f"{root}{RESET_PATH}/{link.token}")

    @post("/{user_id:int}/assign", status_code=200)
    async def assign(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
    ) -> Response[str] | Redirect:
        return await self._write(request, people_service, user_id, _assign)

    @post("/{user_id:int}/devices/{device_id:int}/revoke", status_code=200)
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
        device_id: FromPath[int],
    ) -> Response[str] | Redirect:
        return await self._write(request, people_service, user_id, partial(_revoke_device, device_id))


def _set_role(
    request: Request[Any, Any, Any], people: PeopleService, form: FormMultiDict, person: User, actor: User
) -> None:
    wanted = field_text(form.get("role"), 20)
    if wanted not in ROLES:
        raise StoreError(texts.text("p_err_role", texts.language(request)))
    if person.id == actor.id:
        raise StoreError(texts.text("p_err_self", texts.language(request)))
    people.users.set_role(person.username, Role(wanted), actor=actor.username)


def _set_active(
    request: Request[Any, Any, Any], people: PeopleService, form: FormMultiDict, person: User, actor: User
) -> None:
    enable = form.get("active") == "1"
    if person.id == actor.id and not enable:
        raise StoreError(texts.text("p_err_self", texts.language(request)))
    people.users.set_active(person.username, enable, actor=actor.username)


def _assign(
    request: Request[Any, Any, Any], people: PeopleService, form: FormMultiDict, person: User, actor: User
) -> None:
    consultation = people.consultation_for(actor, field_text(form.get("consultation"), 80))
    people.assign(
        field_ops(request), person, consultation, remove=form.get("remove") == "1", actor=actor.username
    )


def _revoke_device(device_id: int, request: Request[Any, Any, Any], people: PeopleService, form: FormMultiDict,
                   person: User, actor: User) -> None:  # fmt: skip
    del form
    if not people.own_device(person, device_id):
        raise StoreError(texts.text("p_err_device", texts.language(request)))
    people.revoke_device(field_ops(request), device_id, actor=actor)
