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

from field_app.adaptive import MAX_BUDGET, followed_plan
from field_app.adaptive_text import adaptive_text
from field_app.auth import provide_planner
from field_app.errors import FIELD_EXCEPTION_HANDLERS
from field_app.service import AdaptiveService
from survey.analyst import auth
from survey.analyst.monitor_service import register_stored_plan
from survey.analyst.pages import page as _page
from survey.analyst.workbench_text import workbench_language
from survey.http import staff_session
from survey.http.deps import provide_service
from survey.store.errors import StoreError
from survey.store.models import User

__all__ = ["AdaptiveApiController", "AdaptiveController", "AdaptiveRequest"]


class AdaptiveRequest(Struct, forbid_unknown_fields=True):
    """Switch adaptive quotas on: the cells to plan over and the campaign's field-interview budget."""

    cells: str
    budget: int


def _render(
    request: Request[Any, Any, Any],
    adaptive: AdaptiveService,
    slug: str,
    *,
    status_code: int = 200,
    notice: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
) -> Response[str]:
    view = adaptive.view(slug)
    state = view.state
    given = form or {}
    cells = given.get("cells", state.cells if state else "")
    budget = given.get("budget", str(state.budget) if state else "")
    return _page(request, "analyst/adaptive.html", status=status_code, ctx=view.context, query="",
                 at=adaptive_text(workbench_language(request)), state=state, quotas=view.quotas, cells=cells,
                 budget=budget, notice=notice, error=error)  # fmt: skip


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
    dependencies = {"adaptive_service": provide_service(AdaptiveService)}  # noqa: RUF012

    @get("/{slug:str}/adaptive-quotas", media_type=MediaType.HTML, sync_to_thread=True)
    def page(
        self,
        request: Request[Any, Any, Any],
        adaptive_service: NamedDependency[AdaptiveService],
        slug: FromPath[str],
    ) -> Response[str]:
        """The setting, how much of the budget is spent, and the quotas as the tablets get them.

        ``?cells=&budget=`` fill the form (the monitor's plan links here with its own choice).
        """
        asked = {k: str(request.query_params.get(k) or "") for k in ("cells", "budget")}
        return _render(request, adaptive_service, slug, form={k: v for k, v in asked.items() if v} or None)

    @post("/{slug:str}/adaptive-quotas", media_type=MediaType.HTML)
    async def change(
        self,
        request: Request[Any, Any, Any],
        adaptive_service: NamedDependency[AdaptiveService],
        slug: FromPath[str],
    ) -> Response[str]:
        """Switch on (or update) with the form's cells and budget, or switch off; CSRF-checked."""
        form = await staff_session.checked_form(request)
        fields = {k: str(form.get(k) or "") for k in ("action", "cells", "budget")}
        return await to_thread.run_sync(partial(self._change, request, adaptive_service, slug, fields))

    def _change(
        self, request: Request[Any, Any, Any], adaptive: AdaptiveService, slug: str, fields: dict[str, str]
    ) -> Response[str]:
        words = adaptive_text(workbench_language(request))
        user: User = request.state.analyst_user
        if fields["action"] == "off":
            done = adaptive.switch_off(slug, actor=user.username)
            return _render(request, adaptive, slug, notice=words["switched_off" if done else "was_off"])
        budget = _budget(fields["budget"])
        if budget is None:
            error = words["bad_budget"].format(limit=f"{MAX_BUDGET:,}")
            return _render(request, adaptive, slug, status_code=400, error=error, form=fields)
        try:
            adaptive.switch_on(slug, fields["cells"], budget, actor=user.username)
        except StoreError as exc:
            error = f"{words['bad_cells']} {exc}"
            return _render(request, adaptive, slug, status_code=400, error=error, form=fields)
        return _render(request, adaptive, slug, notice=words["switched_on"])


class AdaptiveApiController(Controller):
    """``/field/api/admin/consultations/{slug}/adaptive``: the same switch for scripts (HTTP Basic)."""

    path = "/field/api/admin/consultations"
    tags = ["field admin"]  # noqa: RUF012
    exception_handlers = FIELD_EXCEPTION_HANDLERS
    dependencies = {  # noqa: RUF012
        "admin": Provide(provide_planner, sync_to_thread=True),
        "adaptive_service": provide_service(AdaptiveService),
    }

    @get("/{slug:str}/adaptive", sync_to_thread=True, summary="Adaptive quotas: setting and quotas")
    def show(
        self,
        adaptive_service: NamedDependency[AdaptiveService],
        admin: NamedDependency[User],
        slug: FromPath[str],
    ) -> dict[str, object]:
        """The setting (null if never switched on), the budget spent and left, and the current quotas."""
        return adaptive_service.payload(slug)

    @put("/{slug:str}/adaptive", status_code=200, sync_to_thread=True, summary="Switch adaptive quotas on")
    def switch_on(
        self,
        adaptive_service: NamedDependency[AdaptiveService],
        admin: NamedDependency[User],
        slug: FromPath[str],
        data: Annotated[AdaptiveRequest, Body()],
    ) -> dict[str, object]:
        """Plan ``budget`` field interviews over ``cells`` now and re-plan whenever the stored counts change."""
        adaptive_service.switch_on(slug, data.cells, data.budget, actor=admin.username)
        return adaptive_service.payload(slug)

    @delete(
        "/{slug:str}/adaptive", status_code=200, sync_to_thread=True, summary="Switch adaptive quotas off"
    )
    def switch_off(
        self,
        adaptive_service: NamedDependency[AdaptiveService],
        admin: NamedDependency[User],
        slug: FromPath[str],
    ) -> dict[str, object]:
        """The quotas stay as last planned."""
        adaptive_service.switch_off(slug, actor=admin.username)
        return adaptive_service.payload(slug)
