"""Representativeness of a consultation's responses and the field plan that would mend it.

Why one module for the monitor page, its JSON and ``survey plan``: all three read the same cells
(the stored responses crossed by the chosen questions, against the consultation's targets), so
they show the same figures. The statistics themselves live in `weighting.representativeness` and
`weighting.field_plan`; this module only chooses the rows and the cells.
"""

# ruff: noqa: PLC0415
# (numpy, pandas and the weighting statistics are imported by the functions that compute: the
# monitor's controller, which every server worker imports, reads this module's types and checks)

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from survey.analyst.labels import CROSS
from survey.analyst.services import Context
from survey.questionnaire.model import QuestionType
from weighting import VariableError, WeightingError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import polars as pl

    from weighting import Targets
    from weighting.field_plan import FieldPlan, SimulationRow
    from weighting.representativeness import (
        Cells,
        CoverageRow,
        PartialIndicator,
        RIndicator,
        WeightEffect,
    )

__all__ = [
    "DayPoint",
    "Monitor",
    "PlanRow",
    "PlanView",
    "build_cells",
    "default_specs",
    "monitor",
    "parse_specs",
    "plan_rows",
    "plan_view",
    "simulation_inputs",
]

ONLINE = "online"
DEFAULT_MAX_CATEGORIES = 8  # questions with more categories (municipality) split the sample too finely
DEFAULT_MAX_VARIABLES = 3


def parse_specs(text: str) -> list[tuple[str, ...]]:
    """``sex:age_group,education`` → ``[("sex", "age_group"), ("education",)]``; each question once.

    Raises:
        VariableError: An empty part, or a question named twice, with the text as written.
    """
    specs = [tuple(part.strip() for part in spec.split(CROSS)) for spec in text.split(",")]
    if not text.strip() or any(not v for spec in specs for v in spec):
        raise VariableError(
            f"cells {text!r}: name questions as sex:age_group,education", code="cells_empty", text=text
        )
    flat = [v for spec in specs for v in spec]
    repeated = sorted({v for v in flat if flat.count(v) > 1})
    if repeated:
        raise VariableError(
            f"cells {text!r}: {', '.join(repeated)} named more than once",
            code="cells_repeated",
            text=text,
            repeated=", ".join(repeated),
        )
    return specs


def default_specs(targets: Targets) -> list[tuple[str, ...]]:
    """The target questions with few categories, crossed: enough cells to see, few enough to fill."""
    small = [m.variables for m in targets.margins if len(m.variables) == 1]
    small = [v for v in small if len(targets.margin(v[0]).categories) <= DEFAULT_MAX_CATEGORIES]
    return [tuple(v[0] for v in small[:DEFAULT_MAX_VARIABLES])] if small else [targets.margins[0].variables]


def chosen_in_order(specs: Sequence[Sequence[str]]) -> list[str]:
    """The questions of the cell specification, in order."""
    return [v for spec in specs for v in spec]


def build_cells(data: pd.DataFrame, targets: Targets, specs: Sequence[Sequence[str]]) -> Cells:
    """Cells crossing every question of ``specs``, population shares from the targets."""
    from weighting.representativeness import cells_from_data

    return cells_from_data(data, targets, [v for spec in specs for v in spec], groups=specs)


@dataclass(frozen=True)
class DayPoint:
    """The figures as they stood at the end of one day of submission (all responses so far)."""

    day: dt.date
    n: int
    cv: float
    r: float
    deff: float
    n_eff: float


@dataclass(frozen=True)
class Monitor:
    """Everything the monitor page and its JSON show."""

    specs: list[tuple[str, ...]]
    cells: Cells
    coverage: tuple[CoverageRow, ...]
    online_coverage: tuple[CoverageRow, ...]  # the same rows, online responses only
    indicator: RIndicator
    online_indicator: RIndicator
    partials: tuple[PartialIndicator, ...]
    effect: WeightEffect
    online_effect: WeightEffect
    days: list[DayPoint] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (infinite and NaN figures become null)."""
        found: dict[str, object] = _clean(
            {
                "cells": [CROSS.join(s) for s in self.specs],
                "notes": list(self.cells.notes),
                "coverage": [
                    {
                        "margin": r.margin,
                        "category": r.category,
                        "population_share": r.population_share,
                        "responses": r.responses,
                        "response_share": r.response_share,
                        "ratio": r.ratio,
                        "online_responses": o.responses,
                        "online_share": o.response_share,
                        "online_ratio": o.ratio,
                    }
                    for r, o in zip(self.coverage, self.online_coverage, strict=True)
                ],
                "r_indicator": vars(self.indicator),
                "online_r_indicator": vars(self.online_indicator),
                "partial": [
                    {
                        **vars(p),
                        "categories": [
                            {"category": c, "unconditional_cv": u, "conditional_cv": k}
                            for c, u, k in p.categories
                        ],
                    }
                    for p in self.partials
                ],
                "weights": vars(self.effect),
                "online_weights": vars(self.online_effect),
                "days": [{**vars(d), "day": d.day.isoformat()} for d in self.days],
            }
        )  # type: ignore[assignment]
        return found


def _clean(value: object) -> object:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _data(frame: pl.DataFrame, specs: Sequence[Sequence[str]]) -> pd.DataFrame:
    columns = [v for spec in specs for v in spec]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise VariableError(
            f"unknown question {missing[0]!r}: not a question of this consultation",
            code="unknown_variable",
            variable=missing[0],
        )
    return frame.select("mode", "submitted_at", *columns).to_pandas()


def monitor(context: Context, specs: Sequence[Sequence[str]] | None = None) -> Monitor:
    """Coverage, R-indicators, partial indicators and weight effect, for all modes and online only."""
    from weighting.representativeness import coverage, partial_indicators, r_indicator, weight_effect

    targets = context.targets
    chosen = list(specs) if specs else default_specs(targets)
    data = _data(context.frame, chosen)
    cells = build_cells(data, targets, chosen)
    online = build_cells(data[data["mode"] == ONLINE], targets, chosen)
    population = context.population
    margins = [s for s in chosen if len(s) > 1] + [(v,) for s in chosen for v in s]
    return Monitor(
        specs=[tuple(s) for s in chosen],
        cells=cells,
        coverage=coverage(cells, margins),
        online_coverage=coverage(online, margins),
        indicator=r_indicator(cells, population),
        online_indicator=r_indicator(online, population),
        partials=partial_indicators(cells, population),
        effect=weight_effect(cells),
        online_effect=weight_effect(online),
        days=_days(data, cells, population),
    )


def _days(data: pd.DataFrame, cells: Cells, population: float | None) -> list[DayPoint]:
    """Running figures at the end of each day that has a submission (UTC days).

    One pass: each response's cell and day are coded once, counted per (day, cell), and summed
    over the days, so a long consultation costs its days times its cells, not its days times its rows.
    """
    import numpy as np
    import pandas as pd

    from weighting.representativeness import cell_index, r_indicator, weight_effect

    index = cell_index(data, cells)
    days = pd.to_datetime(data["submitted_at"], utc=True).dt.date
    keep = (index >= 0) & days.notna().to_numpy()
    if not keep.any():
        return []
    day_codes, day_list = pd.factorize(days[keep], sort=True)
    size = len(cells.categories)
    flat = np.bincount(day_codes * size + index[keep], minlength=len(day_list) * size)
    running = np.cumsum(flat.reshape(len(day_list), size), axis=0).astype(np.float64)
    points = []
    for day, counts in zip(day_list, running, strict=True):
        now = cells.with_responses(counts)
        ind, eff = r_indicator(now, population), weight_effect(now)
        points.append(DayPoint(day, int(counts.sum()), ind.cv, ind.r, eff.deff, eff.n_eff))
    return points


@dataclass(frozen=True)
class PlanRow:
    """One line of the plan file: a category of one requested margin."""

    variable: str
    category: str
    target_share: float
    responses: int
    planned: int
    after: int


def plan_rows(result: FieldPlan, specs: Sequence[Sequence[str]]) -> list[PlanRow]:
    """The plan per requested margin (``planned`` sums to the plan's size in each margin)."""
    cells = result.cells
    rows = []
    for spec in specs:
        positions = [cells.variables.index(v) for v in spec]
        sums: dict[str, list[float]] = {}
        for cats, share, stored, planned in zip(
            cells.categories, cells.shares, cells.responses, result.planned, strict=True
        ):
            key = CROSS.join(cats[i] for i in positions)
            acc = sums.setdefault(key, [0.0, 0.0, 0.0])
            acc[0] += float(share)
            acc[1] += float(stored)
            acc[2] += float(planned)
        rows += [
            PlanRow(CROSS.join(spec), k, s, round(n), round(m), round(n + m)) for k, (s, n, m) in sums.items()
        ]
    return rows


def simulation_inputs(
    context: Context, targets: Targets, specs: Sequence[Sequence[str]], cells: Cells
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """What `weighting.field_plan.simulate` needs from the store: online counts and answers per cell.

    The answers of each single-choice question (the cell questions aside) per cell are the shares
    among the stored responses of that cell that answered it; a cell where nobody answered takes
    the shares of all who did (the simulation needs a distribution everywhere).
    """
    import numpy as np
    import pandas as pd

    from weighting.representativeness import cell_index

    chosen = {v for spec in specs for v in spec}
    questions = [
        q for q in context.questionnaire.questions
        if q.type is QuestionType.SELECT_ONE and q.name not in chosen and q.name in context.frame.columns
    ]  # fmt: skip
    data = _data(context.frame, specs)
    online = build_cells(data[data["mode"] == ONLINE], targets, specs).responses
    frame = context.frame.select(*chosen_in_order(specs), *(q.name for q in questions)).to_pandas()
    rows = pd.Series(cell_index(frame, cells), index=frame.index)
    rows = rows.where(rows >= 0)
    outcomes: dict[str, np.ndarray] = {}
    for question in questions:
        choices = [c.name for c in context.questionnaire.choices_for(question)]
        answered = frame[question.name].notna() & rows.notna()
        if not answered.any():
            continue
        counts = np.zeros((len(cells.categories), len(choices)))
        codes = frame.loc[answered, question.name].astype(str).map({c: j for j, c in enumerate(choices)})
        known = codes.notna()
        np.add.at(
            counts, (rows[answered][known].astype(int).to_numpy(), codes[known].astype(int).to_numpy()), 1
        )
        pooled = counts.sum(axis=0) / counts.sum()
        totals = counts.sum(axis=1, keepdims=True)
        outcomes[question.name] = np.where(totals > 0, counts / np.maximum(totals, 1), pooled)
    return online, outcomes


MAX_PAGE_BUDGET = 100_000
MAX_PAGE_DRAWS = 500


@dataclass(frozen=True)
class PlanView:
    """A field plan on the monitor page: the plan, the proportional split, and what each buys."""

    budget: int
    draws: int
    rows: list[PlanRow]
    plan: FieldPlan
    usual: FieldPlan
    simulation: list[SimulationRow]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (infinite and NaN figures become null)."""
        found: dict[str, object] = _clean(
            {
                "budget": self.budget,
                "draws": self.draws,
                "rows": [vars(r) for r in self.rows],
                "after": vars(self.plan.after),
                "proportional_after": vars(self.usual.after),
                "simulation": [vars(s) for s in self.simulation],
            }
        )  # type: ignore[assignment]
        return found


def plan_view(
    context: Context, specs: Sequence[Sequence[str]], budget: int, draws: int, seed: int = 2022
) -> PlanView:
    """Plan ``budget`` interviews over the cells, split them proportionally too, and simulate both.

    Raises:
        WeightingError: A budget or a number of draws outside what a page request can afford.
    """
    from weighting.field_plan import plan, proportional, simulate

    if not 0 <= budget <= MAX_PAGE_BUDGET:
        raise WeightingError(
            f"budget: give 0 to {MAX_PAGE_BUDGET} interviews", code="page_budget", limit=MAX_PAGE_BUDGET
        )
    if not 1 <= draws <= MAX_PAGE_DRAWS:
        raise WeightingError(
            f"draws: give 1 to {MAX_PAGE_DRAWS} simulated samples", code="page_draws", limit=MAX_PAGE_DRAWS
        )
    targets = context.targets
    cells = build_cells(_data(context.frame, specs), targets, specs)
    result, usual = plan(cells, budget), proportional(cells, budget)
    online, outcomes = simulation_inputs(context, targets, specs, cells)
    plans = {"plan": result.planned, "proportional": usual.planned, "none": 0 * result.planned}
    found = simulate(cells, online, outcomes, plans, draws=draws, seed=seed) if outcomes else []
    return PlanView(budget, draws, plan_rows(result, specs), result, usual, found)
