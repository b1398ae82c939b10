"""Subgroup breakdowns: one question's answers per category of another, with the Rao–Scott test.

Three kinds of question can be broken down: single-choice (each answer's share, and the test),
numeric (the weighted mean on the question's scale) and multiple-choice (each option's share among
those who answered); the last two are means of a column, computed in ``breakdown_means``.

Why the Rao–Scott test and not Pearson's: after weighting, respondents no longer count equally,
and a plain chi-square on the weighted table finds "significant" differences far too often. The
test comes from ``weighting`` (checked there against R's ``svychisq``) and uses the same weighted
design as every other figure on the page, so its calibration is part of the variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from survey.analyst.breakdown_means import MEAN, group_means
from survey.analyst.scales import Scale, scale_of
from survey.analyst.services import MULTI_SEPARATOR, Analysis
from survey.questionnaire.model import Questionnaire, QuestionType
from weighting import WeightingError

if TYPE_CHECKING:  # the pages import this module for its types; the estimates load weighting's numpy
    import pandas as pd

    from weighting import IndependenceTest

__all__ = ["Crosstab", "breakdown_choices", "crosstab", "question_choices"]

MODE = "mode"
SMALL_GROUP = 30
_KINDS = {QuestionType.SELECT_ONE: "categorical", QuestionType.SELECT_MULTIPLE: "multiple"}


@dataclass(frozen=True)
class Crosstab:
    """Weighted shares of each answer within each subgroup, and the test of no difference."""

    question: str
    by: str
    groups: list[str]
    categories: list[str]
    cells: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    group_n: dict[str, int] = field(default_factory=dict)
    test: IndependenceTest | None = None
    problem: WeightingError | None = None  # why there is no test; the page says it in its language
    kind: str = "categorical"  # or "numeric" (one mean per group) or "multiple" (each option's share)
    scale: Scale | None = None  # a numeric question's range, so its means are drawn on it

    @property
    def percent(self) -> bool:
        """Shares are percentages; a numeric question's means are on its own scale."""
        return self.kind != "numeric"

    def small(self, group: str) -> bool:
        """A subgroup with fewer than 30 respondents: its figures are flagged as fragile."""
        return 0 < self.group_n.get(group, 0) < SMALL_GROUP

    def to_dict(self) -> dict[str, Any]:
        """The API's shape: one row per group and category, NaN (no respondents) as null."""
        rows = [
            {"group": g, "category": c, "group_n": self.group_n.get(g, 0), "small": self.small(g),
             **{k: _finite(v) for k, v in self.cells.get((g, c), {}).items() if k != "n"}}
            for g in self.groups for c in self.categories
        ]  # fmt: skip
        test = self.test
        return {
            "question": self.question, "by": self.by, "kind": self.kind, "groups": self.groups,
            "categories": self.categories, "scale": self.scale.to_dict() if self.scale else None, "rows": rows,
            "test": None if test is None else {"statistic": test.statistic, "df_num": test.df_num,
                                               "df_den": test.df_den, "p_value": test.p_value},
        }  # fmt: skip

    def series(self) -> dict[str, list[float]]:
        """Shares per subgroup in category order, for a grouped bar chart."""
        return {g: [self.cells.get((g, c), {}).get("estimate", float("nan")) for c in self.categories]
                for g in self.groups}  # fmt: skip


def breakdown_choices(questionnaire: Questionnaire, data: pd.DataFrame) -> list[str]:
    """Single-choice questions present in the data, plus the collection mode."""
    names = [q.name for q in questionnaire.questions if q.type is QuestionType.SELECT_ONE and q.name in data]
    return [*names, MODE]


def question_choices(questionnaire: Questionnaire, data: pd.DataFrame) -> dict[str, str]:
    """Questions that can be broken down, in questionnaire order, with their kind."""
    found: dict[str, str] = {}
    for q in questionnaire.questions:
        if q.type.is_numeric and q.name in data:
            found[q.name] = "numeric"
        elif q.type in _KINDS and q.name in data:
            found[q.name] = _KINDS[q.type]
    return found


def crosstab(analysis: Analysis, questionnaire: Questionnaire, question: str, by: str) -> Crosstab:
    """``question`` within each level of ``by`` on the analysis's weighted design.

    Single-choice: row shares and the Rao–Scott test; numeric: the mean per group on the question's
    scale; multiple-choice: each option's share among those who answered, per group.
    """
    from weighting import estimate, rao_scott_test  # noqa: PLC0415

    kinds = question_choices(questionnaire, analysis.data)
    if question not in kinds:
        raise WeightingError(
            f"question: '{question}' is not a single-choice, multiple-choice or numeric question of this consultation",
            code="not_breakdown_question", name="question", value=question,
        )  # fmt: skip
    if by not in breakdown_choices(questionnaire, analysis.data):
        raise WeightingError(
            f"by: '{by}' is not a single-choice question of this consultation",
            code="not_single_choice", name="by", value=by,
        )  # fmt: skip
    if question == by:
        raise WeightingError("by: choose a breakdown other than the question itself", code="same_question")
    if kinds[question] != "categorical":
        return _means(analysis, questionnaire, question, by, kinds[question])
    data = analysis.data
    groups = _ordered(questionnaire, by, data)
    categories = _ordered(questionnaire, question, data)
    result = Crosstab(question, by, groups, categories)
    table = estimate(analysis.design, [question], by=by)
    for row in table.rows:
        result.cells[(str(row.by), row.category)] = {
            "estimate": row.estimate, "ci_low": row.ci_low, "ci_high": row.ci_high, "se": row.se, "n": row.n,
        }  # fmt: skip
    both = data[question].notna() & data[by].notna()
    counts = data.loc[both, by].astype(str).value_counts()
    result.group_n.update({g: int(counts.get(g, 0)) for g in groups})
    try:
        test = rao_scott_test(analysis.design, question, by)
    except WeightingError as exc:
        return Crosstab(question, by, groups, categories, result.cells, result.group_n, None, exc)
    return Crosstab(question, by, groups, categories, result.cells, result.group_n, test)


def _means(analysis: Analysis, questionnaire: Questionnaire, question: str, by: str, kind: str) -> Crosstab:
    """A numeric question's mean, or each option's share, per level of ``by`` (no test: see the page)."""
    data = analysis.data
    groups = _ordered(questionnaire, by, data)
    asked = next(q for q in questionnaire.questions if q.name == question)
    if kind == "numeric":
        columns, names = [question], [MEAN]
    else:
        options = [c.name for c in questionnaire.choices_for(asked)]
        names = [o for o in options if f"{question}{MULTI_SEPARATOR}{o}" in data]
        columns = [f"{question}{MULTI_SEPARATOR}{o}" for o in names]
    cells = group_means(analysis.design, columns, by, names, shares=kind == "multiple") if columns else {}
    both = data[question].notna() & data[by].notna()
    counts = data.loc[both, by].astype(str).value_counts()
    return Crosstab(question, by, groups, names, {k: v for k, v in cells.items() if k[0] in groups},
                    {g: int(counts.get(g, 0)) for g in groups}, kind=kind,
                    scale=scale_of(asked) if kind == "numeric" else None)  # fmt: skip


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _ordered(questionnaire: Questionnaire, name: str, data: pd.DataFrame) -> list[str]:
    """Categories in questionnaire order (present ones only), so tables read like the form."""
    present = {str(v) for v in data[name].dropna().unique()}
    if name == MODE:
        return [m for m in ("online", "field", "paper") if m in present]
    question = next(q for q in questionnaire.questions if q.name == name)
    return [c.name for c in questionnaire.choices_for(question) if c.name in present]
