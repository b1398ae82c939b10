"""Jinja rendering for the workbench, the public pages and the report.

Why our own environment: the report must render outside a request (CLI), and the app's
TemplateConfig belongs to another part of the app; autoescaping is on for every template, so
respondents' comments can never inject markup.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context as JinjaContext

from survey.analyst import charts
from survey.analyst.audit import BiasAudit
from survey.analyst.chart_text import chart_text
from survey.analyst.comments_text import comments_text
from survey.analyst.crosstab import Crosstab
from survey.analyst.formatting import num, pct
from survey.analyst.labels import Labels
from survey.analyst.palette import Role
from survey.analyst.public_text import method_name
from survey.analyst.report_text import mode_name, report_text
from survey.analyst.scales import Scale
from survey.analyst.services import Analysis
from survey.analyst.summary import SUMMARY_TEXT
from survey.analyst.weighting_text import weighting_message
from survey.analyst.workbench_text import workbench_text
from survey.http.templates import environment

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@pass_context
def _pct(context: JinjaContext, value: float | None, digits: int = 1) -> str:
    return pct(value, context.get("lang", "en"), digits)


@pass_context
def _num(context: JinjaContext, value: float | None, digits: int = 2) -> str:
    return num(value, context.get("lang", "en"), digits)


@pass_context
def _mode(context: JinjaContext, mode: str) -> str:
    return mode_name(mode, context.get("lang", "en"))


@pass_context
def _method(context: JinjaContext, code: str) -> str:
    return method_name(code, context.get("lang", "en"))


@pass_context
def _said(context: JinjaContext, said: object) -> str:
    """An error or note of the weighting library in the page's language (English when unknown)."""
    return weighting_message(said, context.get("lang", "en"))


ENV = environment(TEMPLATES)
ENV.filters["pct"] = _pct
ENV.filters["num"] = _num
ENV.filters["mode"] = _mode
ENV.filters["method"] = _method
ENV.globals["summary_text"] = lambda lang: SUMMARY_TEXT.get(lang, SUMMARY_TEXT["en"])
ENV.filters["said"] = _said
ENV.globals["comments_text"] = comments_text


def scale_label(scale: Scale, lang: str, *, short: bool = False) -> str:
    """ "scale 0 to 10 – from 0 (no trust) to 10 (complete trust)": the ends, then the form's hint."""
    words = chart_text(lang)
    ends = words["scale"].format(low=_end(scale.low, lang), high=_end(scale.high, lang))
    hint = scale.hints.get(lang, "")
    return ends if short or not hint else f"{ends} – {hint}"


def _end(value: float, lang: str) -> str:
    return num(value, lang, 0 if value == round(value) else 2)


ENV.globals["chart_text"] = chart_text
ENV.globals["scale_label"] = scale_label


def render(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context)


def diagnostics_charts(analysis: Analysis, labels: Labels | None = None, lang: str = "en") -> dict[str, Any]:
    """Charts of the final step: fit per margin, weight histogram, effective n per mode.

    Categories are shown with the questionnaire's choice labels in ``lang`` (codes as fallback).
    """
    from weighting import g_values  # noqa: PLC0415  # numpy, which the analysis has loaded already

    labels = labels or Labels()
    text, words = report_text(lang), chart_text(lang)
    final = analysis.final
    margins: dict[str, list[Any]] = {}
    for fit in final.categories:
        margins.setdefault(fit.margin, []).append(fit)
    fit_charts = []
    for margin, fits in margins.items():
        chart = charts.grouped_bars(
            text["chart_fit"].format(margin=labels.question(margin, lang)),
            [labels.choice(margin, f.category, lang) for f in fits],
            {
                text["target"]: [f.target_share for f in fits],
                text["unweighted"]: [f.unweighted_share for f in fits],
                text["weighted"]: [f.achieved_share for f in fits],
            },
            roles=[Role.TARGET, Role.UNWEIGHTED, Role.WEIGHTED],
            lang=lang,
        )
        fit_charts.append({"margin": margin, "chart": chart, "fits": fits})
    groups = [final.overall, *final.by_mode]
    neff = charts.grouped_bars(
        text["chart_neff"],
        [mode_name(g.group, lang) for g in groups],
        {text["respondents"]: [float(g.n) for g in groups], text["n_eff"]: [g.n_eff for g in groups]},
        roles=[Role.UNWEIGHTED, Role.WEIGHTED],
        percent=False,
        unit=words["axis_count"],
        lang=lang,
    )
    g = analysis.g
    g_chart = (
        charts.histogram(text["g_chart"], g_values(analysis.design), bins=len(g.counts), lang=lang,
                         summary=text["g_chart_desc"])
        if g is not None
        else None
    )  # fmt: skip
    return {
        "fits": fit_charts,
        "groups": groups,
        "neff": neff,
        "g": g,
        "g_chart": g_chart,
        "histogram": charts.histogram(
            text["chart_weights"],
            analysis.design.weights,
            lang=lang,
            summary=text["chart_weights_desc"],
        ),
    }


def question_chart(
    result: Any, lang: str = "en", *, title: str | None = None, desc: str = ""
) -> charts.Chart:
    """A question's weighted estimates with their CIs and the unweighted ones, on the question's scale.

    ``result`` is a ``QuestionResult`` (the workbench, the report) or a snapshot's stored dict (the
    public page); a numeric question without a declared scale gets zero to a round maximum.
    """
    stored: dict[str, Any] = result if isinstance(result, dict) else vars(result)
    rows: list[dict[str, Any]] = stored["rows"]
    name: str = stored["name"]
    kind: str = stored["kind"]
    given = stored.get("scale")
    scale = Scale.from_dict(given) if isinstance(given, dict) else given
    labels = [r["labels"].get(lang, r["category"]) for r in rows]
    est = [(r["weighted"]["estimate"], r["weighted"]["ci_low"], r["weighted"]["ci_high"]) for r in rows]
    unweighted = [(r.get("unweighted") or {}).get("estimate", math.nan) for r in rows]
    words = chart_text(lang)
    numeric = kind == "numeric"
    if not numeric:
        unit = words["axis_percent"]
    elif scale is not None:
        unit = words["axis_mean"].format(low=_end(scale.low, lang), high=_end(scale.high, lang))
    else:
        unit = words["axis_mean_open"]
    return charts.estimate_bars(
        title or stored["labels"].get(lang) or name,
        labels,
        est,
        unweighted=unweighted,
        percent=not numeric,
        scale=(scale.low, scale.high) if numeric and scale is not None else None,
        unit=unit,
        desc=desc,
        lang=lang,
    )


def bias_chart(audit: BiasAudit, labels: Labels | None = None, lang: str = "en") -> list[dict[str, Any]]:
    """Per margin: population, online, field and combined shares side by side."""
    labels = labels or Labels()
    text = report_text(lang)
    out = []
    margins: dict[str, list[Any]] = {}
    for gap in audit.margins:
        margins.setdefault(gap.margin, []).append(gap)
    for margin, gaps in margins.items():
        chart = charts.grouped_bars(
            text["chart_bias"].format(margin=labels.question(margin, lang)),
            [labels.choice(margin, g.category, lang) for g in gaps],
            {
                text[sample]: [getattr(g, sample) for g in gaps]
                for sample in ("population", "online", "field", "combined")
            },
            roles=[Role.TARGET, Role.ONLINE, Role.FIELD, Role.UNWEIGHTED],
            lang=lang,
        )
        out.append({"margin": margin, "chart": chart, "gaps": gaps, "distance": audit.distance[margin]})
    return out


MODE_ROLES = {"online": Role.ONLINE, "field": Role.FIELD, "paper": Role.FIELD}


def breakdown_chart(table: Crosstab, labels: Labels, lang: str = "en") -> charts.Chart:
    """Within each answer (option, or the mean), one bar per subgroup with its 95 % CI, labelled by subgroup.

    A numeric question's means are drawn on its own scale (0 to 10), never to the largest mean.

    Labelled directly, always: subgroups (19 municipalities, five age groups) soon outnumber the
    colours no role uses, and a name beside its bar needs no legend. Modes keep their role colours;
    other subgroups are drawn in the weighted colour, which is what every figure here is. A group
    without respondents shows a dash, never a 0 % bar.
    """
    words, chart_words = workbench_text(lang), chart_text(lang)
    by_mode = table.by == "mode"
    by = words["mode"] if by_mode else labels.question(table.by, lang)
    names = {g: mode_name(g, lang) if by_mode else labels.choice(table.by, g, lang) for g in table.groups}
    empty = {"estimate": math.nan, "ci_low": math.nan, "ci_high": math.nan}

    def cell(group: str, category: str) -> dict[str, float]:
        found = table.cells.get((group, category))
        if (
            not found
            or table.group_n.get(group, 0) == 0
            or not found.get("n", 1)
            or not math.isfinite(found["estimate"])
        ):
            return empty
        if table.kind == "categorical" and found["estimate"] == 0 and found["se"] == 0:
            return empty
        return found

    scale = table.scale
    if table.kind != "numeric":
        unit, desc = (
            chart_words["axis_percent"],
            words["options_desc" if table.kind == "multiple" else "crosstab_desc"],
        )
    elif scale is not None:
        unit, desc = (
            chart_words["axis_mean"].format(low=_end(scale.low, lang), high=_end(scale.high, lang)),
            words["means_desc"],
        )
    else:
        unit, desc = chart_words["axis_mean_open"], words["means_desc"]
    return charts.grouped_bars(
        words["by_title"].format(question=labels.question(table.question, lang), by=by),
        [chart_words["mean"] if table.kind == "numeric" else labels.choice(table.question, c, lang)
         for c in table.categories],
        {names[g]: [cell(g, c)["estimate"] for c in table.categories] for g in table.groups},
        roles=[MODE_ROLES.get(g) if by_mode else None for g in table.groups],
        intervals={
            names[g]: [(cell(g, c)["ci_low"], cell(g, c)["ci_high"]) for c in table.categories]
            for g in table.groups
        },
        percent=table.percent,
        scale=(scale.low, scale.high) if scale is not None else None,
        unit=unit,
        direct=True,
        desc=desc,
        lang=lang,
    )  # fmt: skip


def comment_groups(comments: list[dict[str, str]], limit: int) -> list[dict[str, Any]]:
    """Comments per question, the first ``limit`` of each and how many there are in all.

    Why a cap: 100k responses bring thousands of comments, which would turn the report into
    hundreds of PDF pages; every comment stays in ``survey export`` and the JSON API.
    """
    groups: dict[str, list[dict[str, str]]] = {}
    for comment in comments:
        groups.setdefault(comment["question"], []).append(comment)
    return [{"question": q, "total": len(items), "items": items[:limit]} for q, items in groups.items()]


def stylesheet() -> str:
    return (STATIC / "analyst.css").read_text()
