"""The representativeness monitor: a workbench page and the same figures as JSON.

Why a controller of its own: the monitor reads no weighting choice and runs no estimate; it only
needs the consultation's responses and targets (`survey.analyst.representativeness`). It is
registered beside the workbench in ``ANALYST_ROUTES`` and renders through the workbench's page
helper, so the header, language switch and CSRF token are the same as on every other page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from survey.analyst import auth
from survey.analyst.chart_text import chart_text
from survey.analyst.charts import Chart, grouped_bars
from survey.analyst.labels import CROSS
from survey.analyst.monitor_service import MonitorService
from survey.analyst.pages import page as _page
from survey.analyst.representativeness import (
    MAX_PAGE_BUDGET,
    MAX_PAGE_DRAWS,
    Monitor,
    PlanView,
    monitor,
    parse_specs,
    plan_view,
)
from survey.analyst.representativeness_chart import day_line
from survey.analyst.representativeness_text import monitor_note, monitor_problem, monitor_text
from survey.analyst.workbench_text import workbench_language, workbench_text
from survey.http.deps import provide_stateful_service
from weighting import WeightingError

__all__ = ["RepresentativenessApiController", "RepresentativenessController"]


def _charts(result: Monitor, lang: str) -> list[Chart]:
    words = monitor_text(lang)
    days = [d.day.isoformat() for d in result.days]
    return [
        day_line(
            words["cv_title"], days, [d.cv for d in result.days], desc=words["evolution_desc"], lang=lang
        ),
        day_line(
            words["deff_title"], days, [d.deff for d in result.days], desc=words["evolution_desc"], lang=lang
        ),
    ]


DEFAULT_DRAWS = 100


def _whole(text: str, code: str, limit: int) -> int:
    """A whole number from the query string, or the page's own error naming the field."""
    try:
        return int(text.strip())
    except ValueError as exc:
        raise WeightingError(f"{code}: give a whole number", code=code, limit=limit) from exc


def _plan(
    request: Request[Any, Any, Any], context: Any, result: Monitor, stored: int | None = None
) -> PlanView | None:
    """The plan the query asks for (``budget``, ``draws``), else the one the field work follows."""
    budget = request.query_params.get("budget") or (str(stored) if stored else "")
    if not budget.strip():
        return None
    draws = request.query_params.get("draws") or str(DEFAULT_DRAWS)
    return plan_view(context, result.specs, _whole(budget, "page_budget", MAX_PAGE_BUDGET),
                     _whole(draws, "page_draws", MAX_PAGE_DRAWS))  # fmt: skip


def _buy_chart(view: PlanView, lang: str) -> Chart | None:
    """RMSE and mean |bias| per scenario, in percentage points."""
    if not view.simulation:
        return None
    words = monitor_text(lang)
    labels = [words[f"scenario_{s.scenario}"] for s in view.simulation]
    series: dict[str, Sequence[float]] = {
        words["rmse"]: [100 * s.rmse for s in view.simulation],
        words["bias"]: [100 * s.bias for s in view.simulation],
    }
    title = words["buy_title"].format(n=view.budget)
    return grouped_bars(title, labels, series, percent=False, unit=chart_text(lang)["axis_points"],
                        desc=words["buy_help"].format(draws=view.draws), lang=lang)  # fmt: skip


class RepresentativenessController(Controller):
    """``/analyst/{slug}/representativeness?cells=sex:age_group,education`` (analyst or admin)."""

    path = "/analyst"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"monitor_service": provide_stateful_service(MonitorService.of_state)}  # noqa: RUF012

    @get("/{slug:str}/representativeness", media_type=MediaType.HTML, sync_to_thread=True)
    def page(
        self,
        request: Request[Any, Any, Any],
        monitor_service: NamedDependency[MonitorService],
        slug: FromPath[str],
    ) -> Response[str]:
        """Coverage, R-indicators, partial indicators, weight effect and their evolution by day."""
        context = monitor_service.context(slug)
        lang = workbench_language(request)
        text = request.query_params.get("cells") or ""
        result, view, error, budget = None, None, None, request.query_params.get("budget") or ""
        stored = None if text or budget else monitor_service.stored_plan(context.consultation)
        if stored is not None:  # opened without a choice: the plan the field work follows
            text, budget = stored[0], str(stored[1] or "")
        if not context.target_rows:
            error = workbench_text(lang)["targets_first"]
        else:
            try:
                result = monitor(context, parse_specs(text) if text.strip() else None)
                view = _plan(request, context, result, stored[1] if stored else None)
            except WeightingError as exc:
                error = monitor_problem(exc, lang)
        shown = ",".join(CROSS.join(s) for s in result.specs) if result else text
        return _page(request, "analyst/representativeness.html", status=400 if error else 200, ctx=context,
                     monitor=result, mt=monitor_text(lang), charts=_charts(result, lang) if result else [],
                     cells=shown, error=error, query="", plan=view, buy_chart=_buy_chart(view, lang) if view else None,
                     budget=budget,
                     notes=[monitor_note(n, lang) for n in result.cells.notes] if result else [],
                     draws=request.query_params.get("draws") or DEFAULT_DRAWS)  # fmt: skip


class RepresentativenessApiController(Controller):
    """The monitor as JSON; a cell choice it cannot use is a 422 with the error's ``code``."""

    path = "/analyst/api"
    guards = [auth.staff_guard]  # noqa: RUF012
    dependencies = {"monitor_service": provide_stateful_service(MonitorService.of_state)}  # noqa: RUF012

    @get("/{slug:str}/representativeness", sync_to_thread=True, summary="Representativeness of the responses")
    def representativeness(
        self,
        request: Request[Any, Any, Any],
        monitor_service: NamedDependency[MonitorService],
        slug: FromPath[str],
    ) -> dict[str, object]:
        """Coverage, R-indicator, partial indicators, weight effect; ``?cells=``, and ``&budget=N`` for a plan."""
        text = request.query_params.get("cells") or ""
        context = monitor_service.context(slug)
        result = monitor(context, parse_specs(text) if text.strip() else None)
        view = _plan(request, context, result)
        return {"consultation": slug, **result.to_dict(), **({"plan": view.to_dict()} if view else {})}
