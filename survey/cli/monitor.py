"""``survey monitor``: the representativeness monitor in the terminal, the same figures as the workbench page.

Thin over `survey.analyst.representativeness.monitor` (which the page and its JSON read too), so the
three never disagree; ``--json`` prints exactly the JSON API's document. Bad input exits 2 with one line.
"""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer
from rich.table import Table

from survey.analyst.representativeness import Monitor, monitor, parse_specs
from survey.analyst.services import load_context
from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.errors import StoreError
from weighting import WeightingError

__all__ = ["monitor_command", "register"]


def _n(value: float, digits: int = 3) -> str:
    return "–" if not math.isfinite(value) else f"{value:,.{digits}f}"


def _pct(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:.1%}"


def _show(result: Monitor, slug: str) -> None:
    table = Table("", "all modes", "online only", title=f"Representativeness of {slug}")
    both = ((result.indicator, result.effect), (result.online_indicator, result.online_effect))
    rows = (
        ("responses", lambda i, e: _n(i.n, 0)),
        ("CV of response propensities", lambda i, e: _n(i.cv)),
        ("R-indicator", lambda i, e: _n(i.r, 4)),
        ("Kish design effect", lambda i, e: _n(e.deff)),
        ("effective n", lambda i, e: _n(e.n_eff, 0)),
        ("largest weight / mean", lambda i, e: _n(e.max_weight, 2)),
        ("MOE of 50 %", lambda i, e: "±" + _pct(e.moe)),
        ("population in empty cells", lambda i, e: _pct(e.uncovered_share)),
    )
    for label, pick in rows:
        table.add_row(label, *(pick(i, e) for i, e in both))
    out.print(table)
    partial = Table("question", "category", "unconditional", "conditional", title="Partial indicators (CV)")
    for p in result.partials:
        partial.add_row(p.variable, "", _n(p.unconditional_cv), _n(p.conditional_cv))
        for category, signed, conditional in p.categories:
            partial.add_row("", category, _n(signed), _n(conditional))
    out.print(partial)
    coverage = Table("margin", "category", "population", "responses", "share", "ratio", "online ratio",
                     title="Coverage")  # fmt: skip
    for r, o in zip(result.coverage, result.online_coverage, strict=True):
        coverage.add_row(r.margin, r.category, _pct(r.population_share), _n(r.responses, 0),
                         _pct(r.response_share), _n(r.ratio, 2), _n(o.ratio, 2))  # fmt: skip
    out.print(coverage)
    days = Table("day", "responses", "CV", "R", "deff", "effective n", title="By day of submission")
    for d in result.days:
        days.add_row(d.day.isoformat(), _n(d.n, 0), _n(d.cv), _n(d.r, 4), _n(d.deff), _n(d.n_eff, 0))
    out.print(days)
    for note in result.cells.notes:
        out.print(f"note: {note}", highlight=False)


def monitor_command(
    consultation: Annotated[str, typer.Argument(help="Consultation slug, e.g. brussels-futures.")],
    cells: Annotated[
        str | None,
        typer.Option(help="Cells: questions, crossed with ':' (sex:age_group,education); default: chosen."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON API's document instead.")] = False,
    database_url: str | None = DatabaseOption,
) -> None:
    """Representativeness of the responses: R-indicator, propensity CV, partial indicators, coverage, by day."""
    try:
        specs = parse_specs(cells) if cells is not None else None
        with sessions(database_url)() as session:
            context = load_context(session, consultation)
            if not context.target_rows:
                fail(
                    f"{consultation} has no targets yet: upload some first (survey targets, or the workbench)"
                )
            result = monitor(context, specs)
    except (StoreError, WeightingError) as exc:
        fail(str(exc))
    if as_json:
        typer.echo(
            json.dumps({"consultation": consultation, **result.to_dict()}, ensure_ascii=False, indent=1)
        )
        return
    _show(result, consultation)


def register(app: typer.Typer) -> None:
    """Add ``survey monitor`` to the main app."""
    app.command("monitor", help=monitor_command.__doc__)(monitor_command)
