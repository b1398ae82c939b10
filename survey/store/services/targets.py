"""Population targets: validated against the questionnaire's categories, stored as new versions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.errors import NotFoundError, TargetsInvalidError
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
        where = f"line {row.line}" if row.line else f"{row.variable}={row.category}"
        parts = row.variable.split(":")
        categories = row.category.split(":")
        if len(parts) != len(categories):
            problems.append(
                f"{where}: category '{row.category}' does not match crossed variable '{row.variable}'"
            )
            continue
        for part, category in zip(parts, categories, strict=True):
            if part not in choices:
                problems.append(
                    f"{where}: variable '{part}' is not a single-choice question of the questionnaire"
                )
            elif category not in choices[part]:
                problems.append(f"{where}: category '{category}' is not a choice of '{part}'")
        if not 0 <= row.share <= 1:
            problems.append(f"{where}: share {row.share} must be between 0 and 1")
        if (row.variable, row.category) in seen:
            problems.append(f"{where}: {row.variable}={row.category} appears twice")
        seen.add((row.variable, row.category))
        sums[row.variable] += row.share
    for variable, total in sums.items():
        if abs(total - 1) > SHARE_TOLERANCE:
            problems.append(f"variable '{variable}': shares sum to {total:.6f}, not 1")
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
        problems = check_targets(rows, questionnaire)
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
            label=label,
            source=source,
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
