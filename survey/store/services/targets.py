"""Population targets: validated against the questionnaire's categories, stored as new versions."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.errors import NotFoundError, TargetProblem, TargetsInvalidError
from survey.store.models import Consultation, Target, TargetSet
from survey.store.services.audit import record

SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class TargetRow:
    """One line of a targets file: ``sex,F,0.52`` or crossed ``sex:age_group,F:18-24,0.07``."""

    variable: str
    category: str
    share: float
    line: int = 0


def check_targets(rows: list[TargetRow], questionnaire: Questionnaire) -> list[str]:
    """Every problem, each naming its line: unknown variable or category, bad share, sums off 1."""
    problems: list[str] = []
    choices: dict[str, set[str]] = {}
    for question in questionnaire.questions:
        if question.type is QuestionType.SELECT_ONE:
            choices[question.name] = {c.name for c in questionnaire.choices_for(question)}
    sums: dict[str, float] = defaultdict(float)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        label = f"{row.variable}={row.category}"
        shape = _crossing_problem(row, label)
        if shape is not None:
            problems.append(shape)
            continue
        problems.extend(_category_problems(row, label, choices))
        if not 0 <= row.share <= 1:
            problems.append(
                TargetProblem("share_range", share=row.share, line=row.line, row=label, column="share")
            )
        if (row.variable, row.category) in seen:
            problems.append(
                TargetProblem(
                    "duplicate", variable=row.variable, category=row.category, line=row.line, row=label
                )
            )
        seen.add((row.variable, row.category))
        sums[row.variable] += row.share
    for variable, total in sums.items():
        if abs(total - 1) > SHARE_TOLERANCE:
            problems.append(TargetProblem("sum_off", variable=variable, total=total))
    return problems


def _crossing_problem(row: TargetRow, label: str) -> TargetProblem | None:
    """A crossed variable (``sex:age_group``) must pair each part with one category, once each."""
    parts = [part.strip() for part in row.variable.split(":")]
    categories = [category.strip() for category in row.category.split(":")]
    if len(parts) != len(categories):
        return TargetProblem(
            "crossed_mismatch", category=row.category, variable=row.variable, line=row.line, row=label,
            column="category",
        )  # fmt: skip
    if "" in parts or "" in categories:
        return TargetProblem(
            "crossed_empty", variable=row.variable, category=row.category, line=row.line, row=label,
            column="variable" if "" in parts else "category",
        )  # fmt: skip
    if len(set(parts)) != len(parts):
        # ``sex:sex`` would keep only the respondents whose two halves agree: nonsense weights.
        return TargetProblem(
            "crossed_repeat", variable=row.variable, line=row.line, row=label, column="variable"
        )
    return None


def _category_problems(row: TargetRow, label: str, choices: dict[str, set[str]]) -> list[TargetProblem]:
    """Each part must be a single-choice question and each category one of its choices."""
    problems: list[TargetProblem] = []
    parts = [part.strip() for part in row.variable.split(":")]
    categories = [category.strip() for category in row.category.split(":")]
    for part, category in zip(parts, categories, strict=True):
        if part not in choices:
            problems.append(
                TargetProblem("not_single_choice", variable=part, line=row.line, row=label, column="variable")
            )
        elif category not in choices[part]:
            problems.append(
                TargetProblem(
                    "not_a_choice",
                    category=category,
                    variable=part,
                    line=row.line,
                    row=label,
                    column="category",
                )
            )
    return problems


class TargetService:
    """Store and read versioned target sets."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        consultation: Consultation,
        rows: list[TargetRow],
        questionnaire: Questionnaire,
        *,
        actor: str,
        label: str = "",
        source: str = "",
        population: float | None = None,
    ) -> TargetSet:
        problems: list[str] = list(check_targets(rows, questionnaire))
        if population is not None and not (math.isfinite(population) and population > 0):
            problems.append(TargetProblem("population", population=f"{population:g}"))  # NaN weights else
        if problems:
            raise TargetsInvalidError(problems)
        version = (
            self.session.scalar(
                select(func.max(TargetSet.version)).where(TargetSet.consultation_id == consultation.id)
            )
            or 0
        ) + 1
        target_set = TargetSet(
            consultation_id=consultation.id,
            version=version,
            label=label.replace("\x00", "")[:300],  # what the columns hold; both are only shown
            source=source.replace("\x00", "")[:500],
            population=population,
        )
        self.session.add(target_set)
        self.session.flush()
        self.session.add_all(
            Target(target_set_id=target_set.id, variable=r.variable, category=r.category, share=r.share)
            for r in rows
        )
        record(
            self.session, actor=actor, action="upload_targets", entity="target_set", entity_id=target_set.id,
            details={"consultation": consultation.slug, "version": version, "rows": len(rows)},
        )  # fmt: skip
        return target_set

    def latest(self, consultation: Consultation) -> TargetSet:
        found = self.session.scalar(
            select(TargetSet)
            .where(TargetSet.consultation_id == consultation.id)
            .order_by(TargetSet.version.desc())
            .limit(1)
        )
        if found is None:
            raise NotFoundError(f"consultation '{consultation.slug}' has no targets yet")
        return found

    def rows(self, target_set: TargetSet) -> list[TargetRow]:
        return [
            TargetRow(t.variable, t.category, t.share)
            for t in self.session.scalars(
                select(Target).where(Target.target_set_id == target_set.id).order_by(Target.id)
            )
        ]

    def version(self, consultation: Consultation, number: int) -> TargetSet:
        """Version ``number`` of the consultation's target sets (every upload stays one)."""
        found = self.session.scalar(
            select(TargetSet).where(TargetSet.consultation_id == consultation.id, TargetSet.version == number)
        )
        if found is None:
            raise NotFoundError(f"consultation '{consultation.slug}' has no targets version {number}")
        return found

    def sets_with_sizes(self, consultation: Consultation) -> list[tuple[TargetSet, int]]:
        """Every target set of the consultation, newest version first, with its number of rows."""
        rows = self.session.execute(
            select(TargetSet, func.count(Target.id))
            .outerjoin(Target, Target.target_set_id == TargetSet.id)
            .where(TargetSet.consultation_id == consultation.id)
            .group_by(TargetSet.id)
            .order_by(TargetSet.version.desc())
        ).all()
        return [(s, int(n)) for s, n in rows]

    def find_version(self, consultation: Consultation, number: int) -> TargetSet | None:
        """The consultation's target set of this version number, if there is one."""
        return self.session.scalar(
            select(TargetSet).where(TargetSet.consultation_id == consultation.id, TargetSet.version == number)
        )

    def rollback(self) -> None:
        """Forget a refused set, so the page drawn next shows the store as it was."""
        self.session.rollback()
