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
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.orm import Session

from survey.console import people_texts, texts
from survey.console.guards import console_guard, console_user
from survey.console.people_common import admin_only, field_text
from survey.console.problem_texts import problem
from survey.console.render import see_other
from survey.http.staff_session import checked_form
from survey.store.errors import StoreError
from survey.store.models import Consultation, Role, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService

people_texts.install()
GRANTED_ROLES = (Role.ANALYST.value, Role.COORDINATOR.value)


def grant_context(session: Session, user: User) -> dict[str, Any]:
    """What the people page shows of an account's grants: held ones, and the consultations to add."""
    if user.role not in GRANTED_ROLES:
        return {"granted": [], "grantable": []}
    held = [g for g in grants.grants_of(session, user.id) if g.role.value == user.role]
    taken = {g.consultation_id for g in held}
    others: list[Consultation] = [c for c in ConsultationService(session).list() if c.id not in taken]
    return {"granted": held, "grantable": others}


class GrantsController(Controller):
    """Grant or withdraw one consultation; the people page answers (post/redirect/get)."""

    path = "/console/people/{user_id:int}/grants"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False

    @post("/", status_code=200)
    async def change(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], user_id: FromPath[int]
    ) -> Response[str] | Redirect:
        admin_only(console_user(request))
        form = await checked_form(request)
        return await to_thread.run_sync(self._change, request, db_session, user_id, form)

    def _change(
        self, request: Request[Any, Any, Any], db: Session, user_id: int, form: FormMultiDict
    ) -> Response[str] | Redirect:
        """Grant or withdraw (in a worker thread); a refusal re-draws the people page with a 400."""
        from survey.console.people import detail_page  # noqa: PLC0415 - that module imports this one

        actor = console_user(request)
        lang = texts.language(request)
        person = db.get(User, user_id) if 0 < user_id < 2**31 else None
        if person is None:
            raise NotFoundException(f"no staff account {user_id}")
        consultation = ConsultationService(db).find(field_text(form.get("consultation"), 80))
        try:
            if consultation is None:
                raise StoreError(texts.text("a_err_consultation", lang))
            if person.role not in GRANTED_ROLES:
                raise StoreError(texts.text("g_err_role", lang))
            change = grants.revoke if form.get("remove") == "1" else grants.grant
            change(db, user_id=person.id, consultation_id=consultation.id, role=Role(person.role),
                   by=actor.username, by_id=actor.id)  # fmt: skip
        except StoreError as exc:
            db.rollback()
            return detail_page(request, db, person.id, status=400, error=problem(str(exc), lang))
        return see_other(f"/console/people/{person.id}")
