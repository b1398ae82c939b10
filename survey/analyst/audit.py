"""Bias audit and mode effects: how far online-only answers and samples are from the weighted picture.

Why apart from ``services``: the audit is the reference case's headline and reads only an
``Analysis`` (plus one online-only reweighting for mode effects), so it stays a small slice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from survey.analyst.formatting import num, pct
from survey.analyst.labels import Labels
from survey.analyst.report_text import report_text
from survey.analyst.services import Analysis, Context, outcomes, table, weight

if TYPE_CHECKING:  # the frames arrive with the analysis; the pages import this module for its types
    import pandas as pd

__all__ = ["BiasAudit", "BiasRow", "MarginGap", "bias_audit", "mode_effects", "plain_summary"]


@dataclass(frozen=True)
class BiasRow:
    """Online-only (unweighted) against weighted all-modes for one category."""

    question: str
    category: str
    online: float
    weighted: float
    points: float
    in_se: float


@dataclass(frozen=True)
class MarginGap:
    """How far each sample is from the population on one demographic category (shares)."""

    margin: str
    category: str
    population: float
    online: float
    field: float
    combined: float
    weighted: float


@dataclass
class BiasAudit:
    """Bias audit: outcome gaps, demographic gaps, a plain summary and mode effects."""

    rows: list[BiasRow]
    margins: list[MarginGap]
    distance: dict[str, dict[str, float]]
    summary: list[str]
    mode_effects: list[dict[str, Any]]


def _shares(data: pd.DataFrame, variable: str) -> dict[str, float]:
    if not len(data) or variable not in data:
        return {}
    counts = data[variable].astype("string").value_counts(normalize=True)
    return {str(k): float(v) for k, v in counts.items()}


def bias_audit(context: Context, analysis: Analysis, lang: str = "en") -> BiasAudit:
    """Compare online-only to weighted all-modes, demographics to the population, and modes.

    ``lang`` is the language of the plain-words summary (the rest is figures, rendered later).
    """
    rows = []
    weighted_on = {v for r in context.target_rows for v in r.variable.split(":")}
    for result in analysis.results:
        if result.kind == "numeric" or result.name in weighted_on:
            continue
        for row in result.rows:
            if row["online"] is None:
                continue
            w = row["weighted"]
            points = 100 * (row["online"]["estimate"] - w["estimate"])
            in_se = points / (100 * w["se"]) if w["se"] > 0 else float("nan")
            rows.append(
                BiasRow(result.name, row["category"], row["online"]["estimate"], w["estimate"], points, in_se)
            )
    rows.sort(key=lambda r: -abs(r.in_se) if math.isfinite(r.in_se) else 0.0)
    data = analysis.data
    online = data[data["mode"] == "online"]
    field_rows = data[data["mode"] != "online"]
    margins: list[MarginGap] = []
    distance: dict[str, dict[str, float]] = {}
    fits = {(c.margin, c.category): c.achieved_share for c in analysis.diagnostics[0].categories}
    for variable in dict.fromkeys(r.variable for r in context.target_rows if ":" not in r.variable):
        on, fi, co = _shares(online, variable), _shares(field_rows, variable), _shares(data, variable)
        gaps = {"online": 0.0, "field": 0.0, "combined": 0.0}
        for r in (t for t in context.target_rows if t.variable == variable):
            gap = MarginGap(
                variable, r.category, r.share, on.get(r.category, 0.0), fi.get(r.category, 0.0),
                co.get(r.category, 0.0), fits.get((variable, r.category), float("nan")),
            )  # fmt: skip
            margins.append(gap)
            for sample in gaps:
                gaps[sample] += abs(getattr(gap, sample) - r.share) / 2
        distance[variable] = {k: 100 * v for k, v in gaps.items()}
    return BiasAudit(
        rows,
        margins,
        distance,
        plain_summary(margins, distance, context.labels, lang),
        mode_effects(context, analysis, lang),
    )


def plain_summary(
    margins: list[MarginGap], distance: dict[str, dict[str, float]], labels: Labels, lang: str = "en"
) -> list[str]:
    """Plain words: which under-represented groups the field work brought in (with the form's labels).

    Public because a snapshot stores the gaps, not the sentences, and says them in its reader's language.
    """
    text = report_text(lang)
    lines = []
    brought = sorted(
        (g for g in margins if g.online < g.population and g.field > g.online + 0.02),
        key=lambda g: -(g.field - g.online),
    )
    for g in brought[:6]:
        group = f"{labels.choice(g.margin, g.category, lang)} ({labels.question(g.margin, lang)})"
        shares = {k: pct(getattr(g, k), lang, 0) for k in ("online", "field", "population")}
        lines.append(text["summary_group"].format(group=group, **shares))
    closer = [m for m, d in distance.items() if d["combined"] < d["online"]]
    if closer:
        parts = [
            text["summary_margin"].format(
                margin=labels.question(m, lang),
                before=num(distance[m]["online"], lang, 1),
                after=num(distance[m]["combined"], lang, 1),
            )
            for m in closer
        ]
        lines.append(text["summary_closer"].format(margins=", ".join(parts)))
    if not lines:
        lines.append(text["summary_none"])
    return lines


def mode_effects(context: Context, analysis: Analysis, lang: str = "en") -> list[dict[str, Any]]:
    """Weighted estimates with and without the field interviews (both weighted to the targets)."""
    data = analysis.data
    online = data[data["mode"] == "online"].reset_index(drop=True)
    if not len(online) or len(online) == len(data):
        return []
    try:
        online_design = weight(online, context.targets, analysis.spec, context.population)
    except Exception as exc:
        return [{"error": report_text(lang)["online_failed"].format(error=exc)}]
    columns = [c for o in outcomes(context.questionnaire, data) for c in o.columns if o.kind != "numeric"]
    without = table(online_design, online, columns)
    effects = []
    weighted_on = {v for r in context.target_rows for v in r.variable.split(":")}
    for result in analysis.results:
        if result.name in weighted_on:
            continue
        for row in result.rows:
            other = without.get((result.name, row["category"]))
            if other is None or result.kind == "numeric":
                continue
            diff = 100 * (row["weighted"]["estimate"] - other["estimate"])
            effects.append(
                {"question": result.name, "category": row["category"], "with_field": row["weighted"]["estimate"],
                 "online_only": other["estimate"], "points": diff}
            )  # fmt: skip
    effects.sort(key=lambda e: -abs(e["points"]))
    return effects
