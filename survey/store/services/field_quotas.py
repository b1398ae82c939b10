"""Field quotas: cells of one single-choice question, or of crossed ones, each with a target count.

Set by supervisors (field API, console, ``survey quota``), by a one-off field plan
(``survey plan --apply``) or by the adaptive plan; every way goes through :func:`set_quotas`, which
checks every cell against the current questionnaire and lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import delete
from sqlalchemy.orm import Session

from survey.questionnaire.model import QuestionType
from survey.store.bounds import MAX_ID
from survey.store.errors import StoreError
from survey.store.models import Consultation, FieldAdaptivePlan, FieldQuota
from survey.store.services.audit import record
from survey.store.services.consultations import ConsultationService, load_questionnaire

SEPARATOR = ":"  # the same spelling as crossed weighting targets: sex:age_group = F:18-24


class QuotaTarget(Protocol):
    """A cell as every door hands it in (the field API's ``QuotaCell``, the console's quota line)."""

    @property
    def variable(self) -> str: ...

    @property
    def category(self) -> str: ...

    @property
    def target(self) -> int: ...


def cell_parts(cell: QuotaTarget) -> list[tuple[str, str]]:
    """``(question, choice)`` pairs of a cell; a single-question cell has one pair."""
    return list(zip(cell.variable.split(SEPARATOR), cell.category.split(SEPARATOR), strict=False))


def _problems(cell: QuotaTarget, choices: dict[str, set[str]]) -> list[str]:
    """Everything wrong with one cell, each naming the cell, so one upload reports them all."""
    name = f"{cell.variable}={cell.category}"
    variables, categories = cell.variable.split(SEPARATOR), cell.category.split(SEPARATOR)
    problems = [f"{name}: target must be between 0 and {MAX_ID}"] if not 0 <= cell.target <= MAX_ID else []
    if len(variables) != len(categories):
        return [*problems, f"{name}: {len(variables)} questions but {len(categories)} categories"]
    if len(set(variables)) != len(variables):
        problems.append(f"{name}: a question appears twice")
    problems += [
        f"{name}: '{c}' is not a choice of the single-choice question '{v}'"
        for v, c in zip(variables, categories, strict=True)
        if c not in choices.get(v, set())
    ]
    return problems


def set_quotas(
    session: Session,
    consultation: Consultation,
    cells: Sequence[QuotaTarget],
    *,
    actor: str,
    keep_adaptive: bool = False,
) -> None:
    """Check cells against the current questionnaire, then replace the consultation's quotas.

    Quotas set by hand (or a one-off ``survey plan --apply``) replace the adaptive plan's, so they
    also switch adaptive quotas off (audited): otherwise the next re-plan would undo them.
    ``keep_adaptive`` is the re-plan's own write (`field_app.adaptive`).
    """
    questionnaire = load_questionnaire(ConsultationService(session).current_version(consultation))
    choices = {
        q.name: {c.name for c in questionnaire.choices_for(q)}
        for q in questionnaire.questions
        if q.type is QuestionType.SELECT_ONE
    }
    problems = [p for cell in cells for p in _problems(cell, choices)]
    seen = [(c.variable, c.category) for c in cells]
    problems += [f"{v}={c}: listed twice" for v, c in sorted(set(seen)) if seen.count((v, c)) > 1]
    if problems:
        raise StoreError("; ".join(problems))
    adaptive = None if keep_adaptive else session.get(FieldAdaptivePlan, consultation.id)
    if adaptive is not None and adaptive.enabled:
        adaptive.enabled = False
        record(session, actor=actor, action="adaptive_quotas_off", entity="consultation",
               entity_id=consultation.id, details={"reason": "quotas set by hand"})  # fmt: skip
    session.execute(delete(FieldQuota).where(FieldQuota.consultation_id == consultation.id))
    session.add_all(
        FieldQuota(consultation_id=consultation.id, variable=c.variable, category=c.category, target=c.target)
        for c in cells
    )
    session.flush()
    record(session, actor=actor, action="set_quotas", entity="consultation", entity_id=consultation.id,
           details={"cells": len(cells)})  # fmt: skip
