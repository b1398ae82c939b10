"""``/console/people/<id>/grants``: on which consultations an analyst or a coordinator works.

The grants service (``survey.store.services.grants``, the same as `survey grant add|remove`) keeps the
rule: the account's role says *what*, the grant says *where*; an interviewer's grant is their field
assignment (the people page's assignment list). Admins only, like the rest of the people pages.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from survey.console import people_texts, texts
from survey.console.guards import console_guard, console_user
from survey.console.people_common import admin_only, field_text
from survey.console.people_service import GRANTED_ROLES, PeopleService
from survey.console.problem_texts import problem
from survey.console.render import see_other
from survey.http.deps import provide_service
from survey.http.staff_session import checked_form
from survey.store.errors import StoreError

people_texts.install()


class GrantsController(Controller):
    """Grant or withdraw one consultation; the people page answers (post/redirect/get)."""

    path = "/console/people/{user_id:int}/grants"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"people_service": provide_service(PeopleService)}  # noqa: RUF012

    @post("/", status_code=200)
    async def change(
        self,
        request: Request[Any, Any, Any],
        people_service: NamedDependency[PeopleService],
        user_id: FromPath[int],
    ) -> Response[str] | Redirect:
        admin_only(console_user(request))
        form = await checked_form(request)
        return await to_thread.run_sync(self._change, request, people_service, user_id, form)

    def _change(
        self, request: Request[Any, Any, Any], people: PeopleService, user_id: int, form: FormMultiDict
    ) -> Response[str] | Redirect:
        """Grant or withdraw (in a worker thread); a refusal re-draws the people page with a 400."""
        from survey.console.people import detail_page  # noqa: PLC0415 - that module imports this one

        actor = console_user(request)
        lang = texts.language(request)
        person = people.user(user_id)
        consultation = people.find_consultation(field_text(form.get("consultation"), 80))
        try:
            if consultation is None:
                raise StoreError(texts.text("a_err_consultation", lang))
            if person.role not in GRANTED_ROLES:
                raise StoreError(texts.text("g_err_role", lang))
            people.change_grant(person, consultation, remove=form.get("remove") == "1", actor=actor)
        except StoreError as exc:
            people.rollback()
            return detail_page(request, people, person.id, status=400, error=problem(str(exc), lang))
        return see_other(f"/console/people/{person.id}")
