"""The representativeness monitor: a workbench page and the same figures as JSON.

Why a controller of its own: the monitor reads no weighting choice and runs no estimate; it only
needs the consultation's responses and targets (`survey.analyst.representativeness`). It is
registered beside the workbench in ``ANALYST_ROUTES`` and renders through the workbench's page
helper, so the header, language switch and CSRF token are the same as on every other page.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from markupsafe import Markup
from sqlalchemy.orm import Session

from survey.analyst import auth
from survey.analyst.representativeness import Monitor, monitor, parse_specs
from survey.analyst.representativeness_chart import day_line
from survey.analyst.representativeness_text import monitor_problem, monitor_text
from survey.analyst.services import load_context
from survey.analyst.workbench_text import workbench_language, workbench_text
from weighting import WeightingError
from weighting.targets import CROSS

__all__ = ["RepresentativenessApiController", "RepresentativenessController"]


def _charts(result: Monitor, lang: str) -> list[Markup]:
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


class RepresentativenessController(Controller):
    """``/analyst/{slug}/representativeness?cells=sex:age_group,education`` (analyst or admin)."""

    path = "/analyst"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False

    @get("/{slug:str}/representativeness", media_type=MediaType.HTML, sync_to_thread=True)
    def page(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        """Coverage, R-indicators, partial indicators, weight effect and their evolution by day."""
        from survey.analyst.routes import _page  # noqa: PLC0415 - routes imports this module to register it

        context = load_context(db_session, slug)
        lang = workbench_language(request)
        text = request.query_params.get("cells") or ""
        result, error = None, None
        if not context.target_rows:
            error = workbench_text(lang)["targets_first"]
        else:
            try:
                result = monitor(context, parse_specs(text) if text.strip() else None)
            except WeightingError as exc:
                error = monitor_problem(exc, lang)
        shown = ",".join(CROSS.join(s) for s in result.specs) if result else text
        return _page(request, "analyst/representativeness.html", status=400 if error else 200, ctx=context,
                     monitor=result, mt=monitor_text(lang), charts=_charts(result, lang) if result else [],
                     cells=shown, error=error, query="")  # fmt: skip


class RepresentativenessApiController(Controller):
    """The monitor as JSON; a cell choice it cannot use is a 422 with the error's ``code``."""

    path = "/analyst/api"
    guards = [auth.staff_guard]  # noqa: RUF012

    @get("/{slug:str}/representativeness", sync_to_thread=True, summary="Representativeness of the responses")
    def representativeness(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> dict[str, object]:
        """Coverage, R-indicator, partial indicators and weight effect; ``?cells=sex:age_group,education``."""
        text = request.query_params.get("cells") or ""
        context = load_context(db_session, slug)
        result = monitor(context, parse_specs(text) if text.strip() else None)
        return {"consultation": slug, **result.to_dict()}
