"""Subgroup breakdowns: one question's answers per category of another, with the Rao–Scott test.

Why the Rao–Scott test and not Pearson's: after weighting, respondents no longer count equally,
and a plain chi-square on the weighted table finds "significant" differences far too often. The
test comes from ``weighting`` (checked there against R's ``svychisq``) and uses the same weighted
design as every other figure on the page, so its calibration is part of the variance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from survey.analyst.services import Analysis
from survey.questionnaire.model import Questionnaire, QuestionType
from weighting import IndependenceTest, WeightingError, estimate, rao_scott_test

__all__ = ["Crosstab", "breakdown_choices", "crosstab"]

MODE = "mode"


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

    def series(self) -> dict[str, list[float]]:
        """Shares per subgroup in category order, for a grouped bar chart."""
        return {g: [self.cells.get((g, c), {}).get("estimate", float("nan")) for c in self.categories]
                for g in self.groups}  # fmt: skip


def breakdown_choices(questionnaire: Questionnaire, data: pd.DataFrame) -> list[str]:
    """Single-choice questions present in the data, plus the collection mode."""
    names = [q.name for q in questionnaire.questions if q.type is QuestionType.SELECT_ONE and q.name in data]
    return [*names, MODE]


def crosstab(analysis: Analysis, questionnaire: Questionnaire, question: str, by: str) -> Crosstab:
    """Row shares of ``question`` within each level of ``by`` on the analysis's weighted design."""
    allowed = breakdown_choices(questionnaire, analysis.data)
    for name, value in (("question", question), ("by", by)):
        if value not in allowed:
            raise WeightingError(
                f"{name}: '{value}' is not a single-choice question of this consultation",
                code="not_single_choice",
                name=name,
                value=value,
            )
    if question == by:
        raise WeightingError("by: choose a breakdown other than the question itself", code="same_question")
    data = analysis.data
    groups = _ordered(questionnaire, by, data)
    categories = _ordered(questionnaire, question, data)
    result = Crosstab(question, by, groups, categories)
    table = estimate(analysis.design, [question], by=by)
    for row in table.rows:
        result.cells[(str(row.by), row.category)] = {
            "estimate": row.estimate, "ci_low": row.ci_low, "ci_high": row.ci_high, "se": row.se,
        }  # fmt: skip
    both = data[question].notna() & data[by].notna()
    counts = data.loc[both, by].astype(str).value_counts()
    result.group_n.update({g: int(counts.get(g, 0)) for g in groups})
    try:
        test = rao_scott_test(analysis.design, question, by)
    except WeightingError as exc:
        return Crosstab(question, by, groups, categories, result.cells, result.group_n, None, exc)
    return Crosstab(question, by, groups, categories, result.cells, result.group_n, test)


def _ordered(questionnaire: Questionnaire, name: str, data: pd.DataFrame) -> list[str]:
    """Categories in questionnaire order (present ones only), so tables read like the form."""
    present = {str(v) for v in data[name].dropna().unique()}
    if name == MODE:
        return [m for m in ("online", "field", "paper") if m in present]
    question = next(q for q in questionnaire.questions if q.name == name)
    return [c.name for c in questionnaire.choices_for(question) if c.name in present]
