"""Switching a consultation to adaptive quotas: a workbench page (form, CSRF) and the JSON API.

Why in ``field_app``: the setting and the quotas are field tables, and ``survey`` may not import
``field_app``; the page still renders through the workbench's own page helper and template
(``analyst/adaptive.html``), behind the workbench's guard, so it looks and behaves like its pages.
The JSON endpoints sit beside the quota endpoints (HTTP Basic, admin or analyst).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from anyio import to_thread
from litestar import Controller, MediaType, Request, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import Body, FromPath
from msgspec import Struct
from sqlalchemy.orm import Session

from field_app.adaptive import MAX_BUDGET, AdaptiveStatus, status, switch_off, switch_on
from field_app.adaptive_text import adaptive_text
from field_app.api import provide_planner
from field_app.errors import FIELD_EXCEPTION_HANDLERS
from field_app.reports import quota_cells
from survey.analyst import auth
from survey.analyst.representativeness_routes import register_stored_plan
from survey.analyst.services import load_context
from survey.analyst.workbench_text import workbench_language
from survey.http import staff_session
from survey.store.errors import StoreError
from survey.store.models import Consultation, User
from survey.store.services.consultations import ConsultationService

__all__ = ["AdaptiveApiController", "AdaptiveController", "AdaptiveRequest"]


class AdaptiveRequest(Struct, forbid_unknown_fields=True):
    """Switch adaptive quotas on: the cells to plan over and the campaign's field-interview budget."""

    cells: str
    budget: int


def _render(
    request: Request[Any, Any, Any],
    session: Session,
    slug: str,
    *,
    status_code: int = 200,
    notice: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
) -> Response[str]:
    from survey.analyst.routes import _page  # noqa: PLC0415 - the workbench's page helper (routes load late)

    context = load_context(session, slug)
    state = status(session, context.consultation)
    quotas = quota_cells(session, context.consultation)
    given = form or {}
    cells = given.get("cells", state.cells if state else "")
    budget = given.get("budget", str(state.budget) if state else "")
    return _page(request, "analyst/adaptive.html", status=status_code, ctx=context, query="",
                 at=adaptive_text(workbench_language(request)), state=state, quotas=quotas, cells=cells,
                 budget=budget, notice=notice, error=error)  # fmt: skip


def followed_plan(session: Session, consultation: Consultation) -> tuple[str, int] | None:
    """The cells and interviews left of the plan an adaptive consultation follows (for the monitor)."""
    found = status(session, consultation)
    return (found.cells, found.remaining) if found is not None and found.enabled else None


register_stored_plan(followed_plan)  # loaded with the field routes, so wherever the monitor is served


def _budget(text: str) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if 0 <= value <= MAX_BUDGET else None


class AdaptiveController(Controller):
    """``/analyst/{slug}/adaptive-quotas``: see and switch adaptive quotas (analyst or admin)."""

    path = "/analyst"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False

    @get("/{slug:str}/adaptive-quotas", media_type=MediaType.HTML, sync_to_thread=True)
    def page(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        """The setting, how much of the budget is spent, and the quotas as the tablets get them.

        ``?cells=&budget=`` fill the form (the monitor's plan links here with its own choice).
        """
        asked = {k: str(request.query_params.get(k) or "") for k in ("cells", "budget")}
        return _render(request, db_session, slug, form={k: v for k, v in asked.items() if v} or None)

    @post("/{slug:str}/adaptive-quotas", media_type=MediaType.HTML)
    async def change(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        """Switch on (or update) with the form's cells and budget, or switch off; CSRF-checked."""
        form = await staff_session.checked_form(request)
        fields = {k: str(form.get(k) or "") for k in ("action", "cells", "budget")}
        return await to_thread.run_sync(partial(self._change, request, db_session, slug, fields))

    def _change(
        self, request: Request[Any, Any, Any], session: Session, slug: str, fields: dict[str, str]
    ) -> Response[str]:
        words = adaptive_text(workbench_language(request))
        user: User = request.state.analyst_user
        consultation = ConsultationService(session).get(slug)
        if fields["action"] == "off":
            done = switch_off(session, consultation, actor=user.username)
            return _render(request, session, slug, notice=words["switched_off" if done else "was_off"])
        budget = _budget(fields["budget"])
        if budget is None:
            error = words["bad_budget"].format(limit=f"{MAX_BUDGET:,}")
            return _render(request, session, slug, status_code=400, error=error, form=fields)
        try:
            with session.begin_nested():
                switch_on(session, consultation, fields["cells"], budget, actor=user.username)
        except StoreError as exc:
            error = f"{words['bad_cells']} {exc}"
            return _render(request, session, slug, status_code=400, error=error, form=fields)
        return _render(request, session, slug, notice=words["switched_on"])


def _payload(session: Session, slug: str) -> dict[str, object]:
    consultation = ConsultationService(session).get(slug)
    found: AdaptiveStatus | None = status(session, consultation)
    return {
        "consultation": slug,
        "adaptive": found.to_dict() if found else None,
        "quotas": [
            {"variable": q.variable, "category": q.category, "target": q.target, "done": q.done,
             "over": max(q.done - q.target, 0), "labels": q.labels}
            for q in quota_cells(session, consultation)
        ],
    }  # fmt: skip


class AdaptiveApiController(Controller):
    """``/field/api/admin/consultations/{slug}/adaptive``: the same switch for scripts (HTTP Basic)."""

    path = "/field/api/admin/consultations"
    tags = ["field admin"]  # noqa: RUF012
    exception_handlers = FIELD_EXCEPTION_HANDLERS
    dependencies = {"admin": Provide(provide_planner, sync_to_thread=True)}  # noqa: RUF012

    @get("/{slug:str}/adaptive", sync_to_thread=True, summary="Adaptive quotas: setting and quotas")
    def show(
        self, db_session: NamedDependency[Session], admin: NamedDependency[User], slug: FromPath[str]
    ) -> dict[str, object]:
        """The setting (null if never switched on), the budget spent and left, and the current quotas."""
        return _payload(db_session, slug)

    @put("/{slug:str}/adaptive", status_code=200, sync_to_thread=True, summary="Switch adaptive quotas on")
    def switch_on(
        self,
        db_session: NamedDependency[Session],
        admin: NamedDependency[User],
        slug: FromPath[str],
        data: Annotated[AdaptiveRequest, Body()],
    ) -> dict[str, object]:
        """Plan ``budget`` field interviews over ``cells`` now and re-plan whenever the stored counts change."""
        switch_on(db_session, ConsultationService(db_session).get(slug), data.cells, data.budget,
                  actor=admin.username)  # fmt: skip
        return _payload(db_session, slug)

    @delete(
        "/{slug:str}/adaptive", status_code=200, sync_to_thread=True, summary="Switch adaptive quotas off"
    )
    def switch_off(
        self, db_session: NamedDependency[Session], admin: NamedDependency[User], slug: FromPath[str]
    ) -> dict[str, object]:
        """The quotas stay as last planned."""
        switch_off(db_session, ConsultationService(db_session).get(slug), actor=admin.username)
        return _payload(db_session, slug)
