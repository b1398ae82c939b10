"""Analysis service: frame → weighting → diagnostics, results, bias audit and mode effects.

Why here and not in the routes: the web pages, the report, the exports and the snapshots must all
show the same numbers, so every statistical call goes through this module, and this module only
calls the public ``weighting`` API (a test checks its estimates equal a direct library call).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import polars as pl
from sqlalchemy.orm import Session

from survey.questionnaire.model import Question, Questionnaire, QuestionType
from survey.store.models import Consultation, QuestionnaireVersion, TargetSet
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.frames import responses_frame
from survey.store.services.targets import TargetRow, TargetService
from weighting import (
    Design,
    Diagnostics,
    Targets,
    calibrate,
    estimate,
    poststratify,
    rake,
    trim,
)

Method = Literal["poststratify", "rake", "linear", "logit", "raking"]
METHODS: tuple[str, ...] = ("rake", "poststratify", "linear", "logit", "raking")
MULTI_SEPARATOR = "."


@dataclass(frozen=True)
class WeightingSpec:
    """What the analyst chose: method, margins (empty = all targets), calibration bounds, trimming."""

    method: str = "rake"
    variables: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    trim: tuple[float, float] | None = None
    missing: str = "mode"

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "variables": list(self.variables),
            "bounds": list(self.bounds) if self.bounds else None,
            "trim": list(self.trim) if self.trim else None,
            "missing": self.missing,
        }


@dataclass
class Context:
    """Everything one analysis reads, loaded once per request."""

    consultation: Consultation
    version: QuestionnaireVersion
    questionnaire: Questionnaire
    frame: pl.DataFrame
    target_set: TargetSet | None
    target_rows: list[TargetRow]

    @property
    def targets(self) -> Targets:
        frame = pd.DataFrame(
            [(r.variable, r.category, r.share) for r in self.target_rows],
            columns=["variable", "category", "share"],
        )
        return Targets.from_frame(frame)

    @property
    def population(self) -> float | None:
        return self.target_set.population if self.target_set else None

    def data_hash(self) -> str:
        """SHA-256 of the analysed rows (sorted by UUID): a snapshot names exactly its data."""
        ordered = self.frame.drop("response_id").sort("uuid")
        return hashlib.sha256(ordered.write_csv().encode()).hexdigest()


def load_context(session: Session, slug: str) -> Context:
    """Load consultation, current questionnaire, complete responses and latest targets (if any)."""
    consultations = ConsultationService(session)
    consultation = consultations.get(slug)
    version = consultations.current_version(consultation)
    questionnaire = load_questionnaire(version)
    frame = responses_frame(session, consultation.id, questionnaire)
    targets = TargetService(session)
    target_set = (
        session.query(TargetSet)
        .filter_by(consultation_id=consultation.id)
        .order_by(TargetSet.version.desc())
        .first()
    )
    rows = targets.rows(target_set) if target_set else []
    return Context(consultation, version, questionnaire, frame, target_set, rows)


def analysis_frame(frame: pl.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """The frame given to ``weighting``: select_multiple answers become one 0/1 column per choice.

    Why: a space-joined answer is not a category; each option's share is the mean of its
    indicator among those who were asked the question (missing stays missing).
    """
    data = frame.to_pandas()
    for question in questionnaire.questions:
        if question.type is not QuestionType.SELECT_MULTIPLE or question.name not in data:
            continue
        answered = data[question.name].notna()
        chosen = data[question.name].fillna("").str.split()
        for choice in questionnaire.choices_for(question):
            column = f"{question.name}{MULTI_SEPARATOR}{choice.name}"
            values = chosen.map(lambda picked, c=choice.name: 1.0 if c in picked else 0.0)
            data[column] = values.where(answered, np.nan).astype(float)
    return data


def weight(data: pd.DataFrame, targets: Targets, spec: WeightingSpec, population: float | None) -> Design:
    """Run the chosen adjustment (and optional trim) exactly as ``survey weight`` does."""
    if spec.variables:
        targets = targets.select(list(spec.variables))
    design = Design.from_frame(data, mode_column="mode")
    common: dict[str, Any] = {"population": population, "missing": spec.missing}
    if spec.method == "poststratify":
        design = poststratify(design, targets, **common)
    elif spec.method == "rake":
        design = rake(design, targets, **common)
    else:
        design = calibrate(design, targets, calfun=spec.method, bounds=spec.bounds, **common)  # type: ignore[arg-type]
    if spec.trim is not None:
        design = trim(design, *spec.trim)
    return design


@dataclass(frozen=True)
class Outcome:
    """One analysable question: its estimate columns and how to label them."""

    question: Question
    columns: tuple[str, ...]
    kind: str  # "categorical", "multiple" or "numeric"


def outcomes(
    questionnaire: Questionnaire, data: pd.DataFrame, exclude: tuple[str, ...] = ()
) -> list[Outcome]:
    """Questions with something to estimate; free-text questions are listed as comments instead."""
    found: list[Outcome] = []
    for q in questionnaire.questions:
        if q.name in exclude:
            continue
        if q.type is QuestionType.SELECT_ONE and q.name in data:
            found.append(Outcome(q, (q.name,), "categorical"))
        elif q.type is QuestionType.SELECT_MULTIPLE:
            cols = tuple(
                f"{q.name}{MULTI_SEPARATOR}{c.name}"
                for c in questionnaire.choices_for(q)
                if f"{q.name}{MULTI_SEPARATOR}{c.name}" in data
            )
            if cols:
                found.append(Outcome(q, cols, "multiple"))
        elif q.type.is_numeric and q.name in data:
            found.append(Outcome(q, (q.name,), "numeric"))
    return found


def _table(design: Design, data: pd.DataFrame, columns: list[str]) -> dict[tuple[str, str], dict[str, float]]:
    """Estimates keyed by (question, category); select_multiple columns become their choice."""
    table: dict[tuple[str, str], dict[str, float]] = {}
    usable = [c for c in columns if data[c].notna().any()]
    if not usable:
        return table
    for row in estimate(design, usable).rows:
        variable, category = row.variable, row.category
        if MULTI_SEPARATOR in variable:
            variable, category = variable.split(MULTI_SEPARATOR, 1)
        table[(variable, category)] = {
            "estimate": row.estimate,
            "se": row.se,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "n": row.n,
        }
    return table


@dataclass
class QuestionResult:
    """One question: per category the unweighted, online-only, field-only and weighted figures."""

    name: str
    kind: str
    labels: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Analysis:
    """A full weighting run and everything derived from it."""

    spec: WeightingSpec
    design: Design
    diagnostics: tuple[Diagnostics, ...]
    results: list[QuestionResult]
    comments: list[dict[str, str]]
    n: dict[str, int]
    data: pd.DataFrame

    @property
    def final(self) -> Diagnostics:
        return self.diagnostics[-1]


def _unweighted(data: pd.DataFrame) -> Design:
    return Design.from_frame(data.reset_index(drop=True), mode_column="mode")


def _category_labels(questionnaire: Questionnaire, q: Question) -> dict[str, dict[str, str]]:
    if not q.type.has_choices:
        return {"mean": dict.fromkeys(questionnaire.languages, "mean")}
    return {
        c.name: {lang: _label(c.labels, lang, c.name) for lang in questionnaire.languages}
        for c in questionnaire.choices_for(q)
    }


def _label(labels: dict[str, str], lang: str, default: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), default) or default


def run_analysis(context: Context, spec: WeightingSpec) -> Analysis:
    """Weight all modes, then estimate each question unweighted, per mode and weighted."""
    data = analysis_frame(context.frame, context.questionnaire)
    design = weight(data, context.targets, spec, context.population)
    outs = outcomes(context.questionnaire, data)
    columns = [c for o in outs for c in o.columns]
    weighted = _table(design, data, columns)
    unweighted = _table(_unweighted(data), data, columns)
    online = data[data["mode"] == "online"]
    field_rows = data[data["mode"] != "online"]
    online_t = _table(_unweighted(online), online, columns) if len(online) else {}
    field_t = _table(_unweighted(field_rows), field_rows, columns) if len(field_rows) else {}
    results = []
    for o in outs:
        q = o.question
        labels = {lang: q.label(lang) for lang in context.questionnaire.languages}
        result = QuestionResult(q.name, o.kind, labels)
        cats = _category_labels(context.questionnaire, q)
        for category, cat_labels in cats.items():
            key = (q.name, category)
            if key not in weighted:
                continue
            result.rows.append(
                {
                    "category": category,
                    "labels": cat_labels,
                    "weighted": weighted[key],
                    "unweighted": unweighted.get(key),
                    "online": online_t.get(key),
                    "field": field_t.get(key),
                }
            )
        results.append(result)
    comments = [
        {"question": q.name, "mode": str(m), "text": str(t)}
        for q in context.questionnaire.questions
        if q.type is QuestionType.TEXT and q.name in data
        for m, t in zip(data["mode"], data[q.name], strict=True)
        if isinstance(t, str) and t.strip()
    ]
    counts = data["mode"].value_counts().to_dict()
    n = {"all": len(data), **{str(k): int(v) for k, v in counts.items()}}
    return Analysis(spec, design, design.diagnostics, results, comments, n, data)


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


def bias_audit(context: Context, analysis: Analysis) -> BiasAudit:
    """Compare online-only to weighted all-modes, demographics to the population, and modes."""
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
    rows.sort(key=lambda r: -abs(r.in_se) if np.isfinite(r.in_se) else 0.0)
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
    return BiasAudit(rows, margins, distance, _summary(margins, distance), mode_effects(context, analysis))


def _summary(margins: list[MarginGap], distance: dict[str, dict[str, float]]) -> list[str]:
    """Plain words: which under-represented groups the field work brought in."""
    lines = []
    brought = sorted(
        (g for g in margins if g.online < g.population and g.field > g.online + 0.02),
        key=lambda g: -(g.field - g.online),
    )
    for g in brought[:6]:
        lines.append(
            f"{g.margin} = {g.category}: {100 * g.online:.0f}% of online respondents, "
            f"{100 * g.field:.0f}% of field respondents, {100 * g.population:.0f}% of the population."
        )
    closer = [m for m, d in distance.items() if d["combined"] < d["online"]]
    if closer:
        lines.append(
            "Adding the field interviews brought the sample closer to the population on: "
            + ", ".join(
                f"{m} ({distance[m]['online']:.1f} → {distance[m]['combined']:.1f} points)" for m in closer
            )
            + "."
        )
    if not lines:
        lines.append("The field work did not change the sample's make-up noticeably.")
    return lines


def mode_effects(context: Context, analysis: Analysis) -> list[dict[str, Any]]:
    """Weighted estimates with and without the field interviews (both weighted to the targets)."""
    data = analysis.data
    online = data[data["mode"] == "online"].reset_index(drop=True)
    if not len(online) or len(online) == len(data):
        return []
    try:
        online_design = weight(online, context.targets, analysis.spec, context.population)
    except Exception as exc:
        return [{"error": f"online-only weighting failed: {exc}"}]
    columns = [c for o in outcomes(context.questionnaire, data) for c in o.columns if o.kind != "numeric"]
    without = _table(online_design, online, columns)
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
