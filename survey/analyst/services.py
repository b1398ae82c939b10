"""Analysis service: frame → weighting → diagnostics, results, bias audit and mode effects.

Why here and not in the routes: the web pages, the report, the exports and the snapshots must all
show the same numbers, so every statistical call goes through this module, and this module only
calls the public ``weighting`` API (a test checks its estimates equal a direct library call).
"""

# ruff: noqa: PLC0415
# (pandas, polars and the weighting machinery are imported in the functions that compute with them:
# every server worker imports this module, through the routes, and most never analyse anything)

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from sqlalchemy.orm import Session

from survey.analyst.breakdown_means import option_shares
from survey.analyst.chart_text import mean_labels
from survey.analyst.labels import CROSS, Labels
from survey.analyst.scales import Scale, scale_of
from survey.analyst.summary import Summary, summarise
from survey.metrics import weighting_run
from survey.questionnaire.model import Question, Questionnaire, QuestionType
from survey.store.models import Consultation, QuestionnaireVersion, TargetSet, WeightingScheme
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.schemes import METHODS, SchemeChoice, SchemeService, definition, target_summary
from survey.store.services.targets import TargetRow, TargetService
from weighting import WeightingError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from weighting import Design, Diagnostics, GWeights, MissingTreatment, Targets

__all__ = [
    "METHODS",
    "MULTI_SEPARATOR",
    "Analysis",
    "Context",
    "FrameLoader",
    "Outcome",
    "QuestionResult",
    "WeightingSpec",
    "analyse",
    "analysis_frame",
    "comments",
    "load_context",
    "outcomes",
    "prepare_data",
    "read_frame",
    "run_analysis",
    "table",
    "weight",
    "weighting_shown",
]

Method = Literal["poststratify", "rake", "linear", "logit", "raking"]
MULTI_SEPARATOR = "."


@dataclass(frozen=True)
class WeightingSpec:
    """What the analyst chose: method, margins (empty = all targets), calibration bounds, trimming."""

    method: str = "rake"
    variables: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    trim: tuple[float, float] | None = None
    missing: str = "mode"
    keys: tuple[str, ...] = ()  # the summary's key questions; empty: the default choice
    scheme: str = ""  # the saved scheme's name when the choice is one; empty: chosen on the page

    @classmethod
    def of_scheme(cls, scheme: WeightingScheme, keys: tuple[str, ...] = ()) -> WeightingSpec:
        """A saved scheme's choice (the summary's key questions stay the reader's)."""
        choice = SchemeChoice.of(scheme)
        return cls(method=choice.method, variables=choice.variables, bounds=choice.bounds, trim=choice.trim,
                   missing=choice.missing, keys=keys, scheme=scheme.name)  # fmt: skip

    @property
    def adjusts_g(self) -> bool:
        """Whether bounds or trimming act on g, so the page shows the g-weights."""
        return self.bounds is not None or self.trim is not None

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "method": self.method,
            "variables": list(self.variables),
            "bounds": list(self.bounds) if self.bounds else None,
            "trim": list(self.trim) if self.trim else None,
            "missing": self.missing,
        }
        if self.keys:  # absent otherwise, so earlier snapshots' settings compare equal
            found["keys"] = list(self.keys)
        if self.scheme:  # likewise
            found["scheme"] = self.scheme
        return found


@dataclass
class Context:
    """Everything one analysis reads, loaded once per request."""

    consultation: Consultation
    version: QuestionnaireVersion
    questionnaire: Questionnaire
    frame: pl.DataFrame
    target_set: TargetSet | None
    target_rows: list[TargetRow]
    scheme: WeightingScheme | None = None
    newest_targets: TargetSet | None = None  # the latest upload, which may be newer than ``target_set``
    frame_key: Hashable | None = None  # names the data exactly when the frame came through a cache

    @property
    def newer_targets(self) -> TargetSet | None:
        """The latest target set when it is newer than the one analysed (the page then says so)."""
        newest, used = self.newest_targets, self.target_set
        return newest if newest is not None and used is not None and newest.version > used.version else None

    @property
    def targets(self) -> Targets:
        import pandas as pd

        from weighting import Targets

        frame = pd.DataFrame(
            [(r.variable, r.category, r.share) for r in self.target_rows],
            columns=["variable", "category", "share"],
        )
        return Targets.from_frame(frame)

    @property
    def population(self) -> float | None:
        return self.target_set.population if self.target_set else None

    @property
    def labels(self) -> Labels:
        """Question and choice wording of the analysed questionnaire version."""
        return Labels.from_questionnaire(self.questionnaire)

    def data_hash(self) -> str:
        """SHA-256 of the analysed rows (sorted by UUID): a snapshot names exactly its data."""
        ordered = self.frame.drop("response_id").sort("uuid")
        return hashlib.sha256(ordered.write_csv().encode()).hexdigest()


FrameLoader: TypeAlias = (
    "Callable[[Session, int, QuestionnaireVersion, Questionnaire], tuple[pl.DataFrame, Hashable | None]]"
)
"""Reads a consultation's frame for a questionnaire version, with a key naming that data (or None)."""


def read_frame(
    session: Session, consultation_id: int, _version: QuestionnaireVersion, questionnaire: Questionnaire
) -> tuple[pl.DataFrame, Hashable | None]:
    """The frame read from the store now, with no key (nothing is kept)."""
    from survey.store.services.frames import responses_frame

    return responses_frame(session, consultation_id, questionnaire), None


def load_context(
    session: Session,
    slug: str,
    *,
    targets: int | None = None,
    scheme: str | None = None,
    frames: FrameLoader = read_frame,
) -> Context:
    """Load consultation, current questionnaire, complete responses and the targets to weight to.

    The targets are the named scheme's version, else version ``targets``, else the latest upload
    (if any); a scheme or version the consultation lacks is NotFoundError. ``frames`` reads the
    responses (an app's :class:`~survey.analyst.analysis_cache.AnalysisCache` passes its own).
    """
    consultations = ConsultationService(session)
    consultation = consultations.get(slug)
    version = consultations.current_version(consultation)
    questionnaire = load_questionnaire(version)
    frame, frame_key = frames(session, consultation.id, version, questionnaire)
    service = TargetService(session)
    newest = (
        session.query(TargetSet)
        .filter_by(consultation_id=consultation.id)
        .order_by(TargetSet.version.desc())
        .first()
    )
    chosen = SchemeService(session).get(consultation, scheme) if scheme else None
    if chosen is not None:
        target_set: TargetSet | None = SchemeService(session).target_set(chosen)
    elif targets is not None:
        target_set = service.version(consultation, targets)
    else:
        target_set = newest
    rows = service.rows(target_set) if target_set else []
    return Context(consultation, version, questionnaire, frame, target_set, rows, chosen, newest, frame_key)


def weighting_shown(context: Context, analysis: Analysis | None) -> dict[str, Any]:
    """Which weighting a page, a snapshot or the API shows: the scheme (by name, or none), the
    target set with source and date, method, margins, bounds and trimming, n and design effect."""
    spec = analysis.spec if analysis is not None else None
    found: dict[str, Any] = {
        "scheme": context.scheme.name if context.scheme is not None else None,
        "targets": target_summary(context.target_set) if context.target_set is not None else None,
        "newer_targets": context.newer_targets.version if context.newer_targets is not None else None,
    }
    if context.scheme is not None and context.target_set is not None:
        found["definition"] = definition(context.scheme, context.target_set)
    if spec is not None and analysis is not None:
        final = analysis.final
        found |= {
            "method": spec.method,
            "margins": list(final.margins),
            "bounds": list(spec.bounds) if spec.bounds else None,
            "trim": list(spec.trim) if spec.trim else None,
            "n": analysis.n["all"],
            "deff": final.overall.deff,
            "n_eff": final.overall.n_eff,
        }
    return found


def analysis_frame(frame: pl.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """The frame given to ``weighting``: select_multiple answers become one 0/1 column per choice.

    Why: a space-joined answer is not a category; each option's share is the mean of its
    indicator among those who were asked the question (missing stays missing). Built in polars
    (vectorised) because a per-row Python test costs seconds at 100k responses.
    """
    import polars as pl

    dummies = []
    for question in questionnaire.questions:
        if question.type is not QuestionType.SELECT_MULTIPLE or question.name not in frame.columns:
            continue
        chosen = pl.col(question.name).str.split(" ")
        dummies += [
            pl.when(pl.col(question.name).is_null())
            .then(None)
            .otherwise(chosen.list.contains(choice.name).cast(pl.Float64))
            .alias(f"{question.name}{MULTI_SEPARATOR}{choice.name}")
            for choice in questionnaire.choices_for(question)
        ]
    return frame.with_columns(dummies).to_pandas() if dummies else frame.to_pandas()


def prepare_data(context: Context) -> pd.DataFrame:
    """The analysis frame of a loaded context (one place, so every caller encodes alike)."""
    return analysis_frame(context.frame, context.questionnaire)


def weight(data: pd.DataFrame, targets: Targets, spec: WeightingSpec, population: float | None) -> Design:
    """Run the chosen adjustment (and optional trim) exactly as ``survey weight`` does."""
    with weighting_run(spec.method):  # counted and timed in /metrics
        return _weight(data, targets, spec, population)


def _weight(data: pd.DataFrame, targets: Targets, spec: WeightingSpec, population: float | None) -> Design:
    from weighting import Design, calibrate, poststratify, rake, trim

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


def table(design: Design, data: pd.DataFrame, columns: list[str]) -> dict[tuple[str, str], dict[str, float]]:
    """Estimates keyed by (question, category); select_multiple columns become their choice, each a
    share with the logit interval a single-choice share gets (as in the breakdowns)."""
    from weighting import estimate

    found: dict[tuple[str, str], dict[str, float]] = {}
    usable = [c for c in columns if data[c].notna().any()]
    options = [c for c in usable if MULTI_SEPARATOR in c]
    plain = [c for c in usable if MULTI_SEPARATOR not in c]
    if plain:
        for row in estimate(design, plain).rows:
            found[(row.variable, row.category)] = {
                "estimate": row.estimate,
                "se": row.se,
                "ci_low": row.ci_low,
                "ci_high": row.ci_high,
                "n": row.n,
            }
    for column, figures in (option_shares(design, options) if options else {}).items():
        question, option = column.split(MULTI_SEPARATOR, 1)
        found[(question, option)] = {**figures, "n": int(figures["n"])}
    return found


@dataclass
class QuestionResult:
    """One question: per category the unweighted, online-only, field-only and weighted figures."""

    name: str
    kind: str
    labels: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    scale: Scale | None = None  # a numeric question's allowed range, from its constraint


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
    summary: Summary = field(default_factory=lambda: Summary(()))

    @property
    def final(self) -> Diagnostics:
        return self.diagnostics[-1]

    @property
    def g(self) -> GWeights | None:
        """g-weights (final ÷ starting weight) when bounds or trimming act on them, else None."""
        from weighting import g_weights

        return g_weights(self.design) if self.spec.adjusts_g else None

    @property
    def missing_treatments(self) -> tuple[MissingTreatment, ...]:
        """What weighting filled in for missing answers, over every step, for the reader to see."""
        return tuple(m for step in self.diagnostics for m in step.missing)


def _unweighted(data: pd.DataFrame) -> Design:
    from weighting import Design

    return Design.from_frame(data.reset_index(drop=True), mode_column="mode")


def _category_labels(questionnaire: Questionnaire, q: Question) -> dict[str, dict[str, str]]:
    if not q.type.has_choices:
        return {"mean": mean_labels(questionnaire.languages)}
    return {
        c.name: {lang: _label(c.labels, lang, c.name) for lang in questionnaire.languages}
        for c in questionnaire.choices_for(q)
    }


def _label(labels: dict[str, str], lang: str, default: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), default) or default


def run_analysis(context: Context, spec: WeightingSpec, keys: tuple[str, ...] | None = None) -> Analysis:
    """Weight all modes, then estimate each question unweighted, per mode and weighted.

    ``keys`` are the questions the summary leads with (None: every single-choice question
    that is not a weighting variable).
    """
    data = prepare_data(context)
    chosen = keys if keys is not None else (spec.keys or None)
    return analyse(context, spec, data, weight(data, context.targets, spec, context.population), chosen)


def analyse(
    context: Context,
    spec: WeightingSpec,
    data: pd.DataFrame,
    design: Design,
    keys: tuple[str, ...] | None = None,
) -> Analysis:
    """Estimates of every question from a weighted design (split from weighting to time each)."""
    outs = outcomes(context.questionnaire, data)
    columns = [c for o in outs for c in o.columns]
    weighted = table(design, data, columns)
    unweighted = table(_unweighted(data), data, columns)
    online = data[data["mode"] == "online"]
    field_rows = data[data["mode"] != "online"]
    online_t = table(_unweighted(online), online, columns) if len(online) else {}
    field_t = table(_unweighted(field_rows), field_rows, columns) if len(field_rows) else {}
    results = []
    for o in outs:
        q = o.question
        labels = {lang: q.label(lang) for lang in context.questionnaire.languages}
        result = QuestionResult(q.name, o.kind, labels, scale=scale_of(q) if o.kind == "numeric" else None)
        for category, cat_labels in _category_labels(context.questionnaire, q).items():
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
    counts = data["mode"].value_counts().to_dict()
    n = {"all": len(data), **{str(k): int(v) for k, v in counts.items()}}
    margins = {part for margin in design.diagnostics[-1].margins for part in margin.split(CROSS)}
    if keys:
        single = {r.name for r in results if r.kind == "categorical"}
        for chosen in keys:
            if chosen not in single:
                raise WeightingError(
                    f"key: '{chosen}' is not a single-choice question of this consultation",
                    code="not_single_choice",
                    name="key",
                    value=chosen,
                )
    summary = summarise(design, data, results, sorted(margins), keys)
    return Analysis(spec, design, design.diagnostics, results, comments(context), n, data, summary)


def comments(context: Context) -> list[dict[str, str]]:
    """Non-empty free-text answers with their mode, read from the polars frame (no per-cell pandas)."""
    import polars as pl

    found: list[dict[str, str]] = []
    for q in context.questionnaire.questions:
        if q.type is not QuestionType.TEXT or q.name not in context.frame.columns:
            continue
        rows = context.frame.select("mode", q.name).filter(
            pl.col(q.name).str.strip_chars().str.len_chars() > 0
        )
        found += [{"question": q.name, "mode": str(m), "text": str(t)} for m, t in rows.iter_rows()]
    return found
