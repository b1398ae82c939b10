"""Jinja rendering for the workbench, the public pages and the report.

Why our own environment: the report must render outside a request (CLI), and the app's
TemplateConfig belongs to another part of the app; autoescaping is on for every template, so
respondents' comments can never inject markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context as JinjaContext
from markupsafe import Markup

from survey.analyst import charts
from survey.analyst.audit import BiasAudit
from survey.analyst.comments_text import comments_text
from survey.analyst.formatting import num, pct
from survey.analyst.labels import Labels
from survey.analyst.public_text import method_name
from survey.analyst.report_text import mode_name, report_text
from survey.analyst.services import Analysis
from survey.analyst.summary import SUMMARY_TEXT
from survey.analyst.weighting_text import weighting_message

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


ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
ENV.filters["pct"] = _pct
ENV.filters["num"] = _num
ENV.filters["mode"] = _mode
ENV.filters["method"] = _method
ENV.globals["summary_text"] = lambda lang: SUMMARY_TEXT.get(lang, SUMMARY_TEXT["en"])
ENV.filters["said"] = _said
ENV.globals["comments_text"] = comments_text


def render(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context)


def diagnostics_charts(analysis: Analysis, labels: Labels | None = None, lang: str = "en") -> dict[str, Any]:
    """Charts of the final step: fit per margin, weight histogram, effective n per mode.

    Categories are shown with the questionnaire's choice labels in ``lang`` (codes as fallback).
    """
    labels = labels or Labels()
    text = report_text(lang)
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
            lang=lang,
        )
        fit_charts.append({"margin": margin, "chart": chart, "fits": fits})
    groups = [final.overall, *final.by_mode]
    neff = charts.grouped_bars(
        text["chart_neff"],
        [mode_name(g.group, lang) for g in groups],
        {text["respondents"]: [float(g.n) for g in groups], text["n_eff"]: [g.n_eff for g in groups]},
        percent=False,
        lang=lang,
    )
    return {
        "fits": fit_charts,
        "groups": groups,
        "neff": neff,
        "histogram": charts.histogram(
            text["chart_weights"],
            analysis.design.weights,
            lang=lang,
            tallest=text["chart_tallest"],
            summary=text["chart_weights_desc"],
        ),
    }


def question_chart(result: Any, lang: str = "en", *, title: str | None = None, desc: str = "") -> Markup:
    rows = result["rows"] if isinstance(result, dict) else result.rows
    name = result["name"] if isinstance(result, dict) else result.name
    kind = result["kind"] if isinstance(result, dict) else result.kind
    labels = [r["labels"].get(lang, r["category"]) for r in rows]
    est = [(r["weighted"]["estimate"], r["weighted"]["ci_low"], r["weighted"]["ci_high"]) for r in rows]
    return charts.estimate_bars(title or name, labels, est, percent=kind != "numeric", desc=desc, lang=lang)


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
            lang=lang,
        )
        out.append({"margin": margin, "chart": chart, "gaps": gaps, "distance": audit.distance[margin]})
    return out


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
