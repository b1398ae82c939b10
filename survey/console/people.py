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
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.orm import Session

from survey.console import people_texts, texts
from survey.console.guards import console_guard, console_user
from survey.console.people_common import admin_only, consultation_for, field_text
from survey.console.people_field import field_ops
from survey.console.people_grants import grant_context
from survey.console.problem_texts import problem
from survey.console.render import page, see_other
from survey.http.staff_session import checked_form, sessions_of
from survey.store.errors import StoreError
from survey.store.models import Device, Role, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.password_reset import RESET_PATH, issue_reset_link
from survey.store.services.people import devices_of, staff
from survey.store.services.users import UserService

people_texts.install()
ROLES = [r.value for r in Role]
# A people-page write: (request, session, form, the account, the admin acting), run in a worker thread.
Action = Callable[[Request[Any, Any, Any], Session, FormMultiDict, User, User], None]


def _user(session: Session, user_id: FromPath[int]) -> User:
    user = session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None:
        raise NotFoundException(f"no staff account {user_id}")
    return user


def detail_page(request: Request[Any, Any, Any], db: Session, user_id: int, *, status: int = 200,
                error: str = "", reset_link: str = "") -> Response[str]:  # fmt: skip
    """One account's page: role, access, reset link, grants or assignments, devices."""
    user = _user(db, user_id)
    ops = field_ops(request)
    assigned = ops.assignments(db, user) if user.role == Role.INTERVIEWER.value else []
    others = [c for c in ConsultationService(db).list() if c.id not in {a.id for a in assigned}]
    return page(request, "people_detail.html", status=status, person=user, roles=ROLES,
                devices=devices_of(db, user), assigned=assigned, others=others, error=error,
                reset_link=reset_link, **grant_context(db, user))  # fmt: skip


class PeopleController(Controller):
    """Admins only: accounts span every consultation."""

    path = "/console/people"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False

    def _list(self, request: Request[Any, Any, Any], db: Session, *, status: int = 200,
              errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response[str]:  # fmt: skip
        admin_only(console_user(request))
        return page(request, "people.html", status=status, rows=staff(db), roles=ROLES, errors=errors or {},
                    values=values or {})  # fmt: skip

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> Response[str]:
        return self._list(request, db_session)

    @post("/", status_code=200)
    async def create(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str] | Redirect:
        admin_only(console_user(request))
        form = await checked_form(request)
        return await to_thread.run_sync(self._create, request, db_session, form)

    def _create(
        self, request: Request[Any, Any, Any], db: Session, form: FormMultiDict
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
                UserService(db).create(values["username"], password, Role(values["role"]),
                                       actor=actor.username, display_name=values["display_name"])  # fmt: skip
            except StoreError:
                db.rollback()
                errors["username"] = texts.text("p_err_taken", lang, name=values["username"])
        if errors:
            return self._list(request, db, status=400, errors=errors, values=values)
        return see_other("/console/people")

    def _detail(self, request: Request[Any, Any, Any], db: Session, user: User, *, status: int = 200,
                error: str = "", reset_link: str = "") -> Response[str]:  # fmt: skip
        return detail_page(request, db, user.id, status=status, error=error, reset_link=reset_link)

    @get("/{user_id:int}", sync_to_thread=True)
    def detail(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], user_id: FromPath[int]
    ) -> Response[str]:
        admin_only(console_user(request))
        return self._detail(request, db_session, _user(db_session, user_id))

    async def _write(self, request: Request[Any, Any, Any], db: Session, user_id: int, action: Action, *,
                     end_sessions: bool = False) -> Response[str] | Redirect:  # fmt: skip
        """Check the role and the form, then run ``action`` in a worker thread."""
        admin_only(console_user(request))
        form = await checked_form(request)
        return await to_thread.run_sync(self._run, request, db, user_id, action, form, end_sessions)

    def _run(self, request: Request[Any, Any, Any], db: Session, user_id: int, action: Action,
             form: FormMultiDict, end_sessions: bool) -> Response[str] | Redirect:  # fmt: skip
        """Run ``action(request, db, form, person, actor)``; a refusal re-draws the page."""
        actor = console_user(request)
        person = _user(db, user_id)
        try:
            action(request, db, form, person, actor)
            if end_sessions:
                sessions_of(request).end_all(db, person.id)
        except StoreError as exc:
            db.rollback()
            error = problem(str(exc), texts.language(request))
            return self._detail(request, db, _user(db, user_id), status=400, error=error)
        return see_other(f"/console/people/{user_id}")

    @post("/{user_id:int}/role", status_code=200)
    async def role(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], user_id: FromPath[int]
    ) -> Response[str] | Redirect:
        return await self._write(request, db_session, user_id, _set_role, end_sessions=True)

    @post("/{user_id:int}/active", status_code=200)
    async def active(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], user_id: FromPath[int]
    ) -> Response[str] | Redirect:
        return await self._write(request, db_session, user_id, _set_active, end_sessions=True)

    @post("/{user_id:int}/reset", status_code=200)
    async def reset(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], user_id: FromPath[int]
    ) -> Response[str]:
        """The link is shown on this answer only: it is not stored, so it cannot be shown again."""
        admin_only(console_user(request))
        await checked_form(request)
        return await to_thread.run_sync(self._reset, request, db_session, user_id)

    def _reset(self, request: Request[Any, Any, Any], db: Session, user_id: int) -> Response[str]:
        actor = console_user(request)
        person = _user(db, user_id)
        if not person.active:
            error = texts.text("p_err_reset_disabled", texts.language(request))
            return self._detail(request, db, person, status=400, error=error)
        secret = request.app.state.settings.secret_key
        try:
            link = issue_reset_link(db, person.username, secret=secret, actor=actor.username)
        except StoreError as exc:
            db.rollback()
            error = problem(str(exc), texts.language(request))
            return self._detail(request, db, _user(db, user_id), status=400, error=error)
        root = str(request.base_url).rstrip("/")
        return self._detail(request, db, person, reset_link=f"{root}{RESET_PATH}/{link.token}")

    @post("/{user_id:int}/assign", status_code=200)
    async def assign(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], user_id: FromPath[int]
    ) -> Response[str] | Redirect:
        return await self._write(request, db_session, user_id, _assign)

    @post("/{user_id:int}/devices/{device_id:int}/revoke", status_code=200)
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        user_id: FromPath[int],
        device_id: FromPath[int],
    ) -> Response[str] | Redirect:
        return await self._write(request, db_session, user_id, partial(_revoke_device, device_id))


def _set_role(
    request: Request[Any, Any, Any], db: Session, form: FormMultiDict, person: User, actor: User
) -> None:
    wanted = field_text(form.get("role"), 20)
    if wanted not in ROLES:
        raise StoreError(texts.text("p_err_role", texts.language(request)))
    if person.id == actor.id:
        raise StoreError(texts.text("p_err_self", texts.language(request)))
    UserService(db).set_role(person.username, Role(wanted), actor=actor.username)


def _set_active(
    request: Request[Any, Any, Any], db: Session, form: FormMultiDict, person: User, actor: User
) -> None:
    enable = form.get("active") == "1"
    if person.id == actor.id and not enable:
        raise StoreError(texts.text("p_err_self", texts.language(request)))
    UserService(db).set_active(person.username, enable, actor=actor.username)


def _assign(
    request: Request[Any, Any, Any], db: Session, form: FormMultiDict, person: User, actor: User
) -> None:
    consultation = consultation_for(db, actor, field_text(form.get("consultation"), 80))
    if form.get("remove") == "1":
        field_ops(request).unassign(db, person, consultation, actor=actor.username)
    else:
        field_ops(request).assign(db, person, consultation, actor=actor.username)


def _revoke_device(device_id: int, request: Request[Any, Any, Any], db: Session, form: FormMultiDict,
                   person: User, actor: User) -> None:  # fmt: skip
    del form
    device = db.get(Device, device_id) if 0 < device_id < 2**31 else None
    if device is None or device.user_id != person.id:
        raise StoreError(texts.text("p_err_device", texts.language(request)))
    field_ops(request).revoke_device(db, device_id, actor=actor.username, actor_id=actor.id)
