"""A field plan (``survey plan --apply``) becomes the consultation's quotas.

Why here and not in ``survey/cli/plan.py``: quotas are field tables, and ``survey`` may know
``field_app`` only where the product is assembled; the CLI's command table loads ``survey plan``
from ``register`` below, which hands the command this writer. A cell's quota is the count it
should reach (stored plus planned), because the tablets count every counted response towards it.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer
from sqlalchemy.orm import Session

from field_app.adaptive import status, switch_off, switch_on
from field_app.schemas import QuotaCell
from survey.analyst.representativeness import PlanRow
from survey.cli import plan
from survey.store.models import Consultation
from survey.store.services.field_quotas import set_quotas


def apply_plan(session: Session, consultation: Consultation, rows: Sequence[PlanRow], *, actor: str) -> None:
    """Replace the consultation's quotas by the plan's cells (checked and audited by ``set_quotas``)."""
    cells = [QuotaCell(variable=r.variable, category=r.category, target=r.after) for r in rows]
    set_quotas(session, consultation, cells, actor=actor)


def switch_adaptive(
    session: Session, consultation: Consultation, cells: str | None, budget: int, *, actor: str
) -> str:
    """``survey plan --adaptive`` (cells given) or ``--adaptive-off`` (None): the server's setting, audited."""
    if cells is None:
        done = switch_off(session, consultation, actor=actor)
        return (f"adaptive quotas of {consultation.slug} switched off; the quotas stay as last planned"
                if done else f"adaptive quotas of {consultation.slug} were not on")  # fmt: skip
    switch_on(session, consultation, cells, budget, actor=actor)
    found = status(session, consultation)
    left = found.remaining if found else budget
    return (f"adaptive quotas of {consultation.slug} on: {left} of {budget} field interviews left to plan over "
            f"{cells}; the server re-plans the quotas whenever the stored responses change")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add ``survey plan`` with ``--apply`` writing the field quotas (the CLI loads it from here)."""
    plan.register(app, apply_plan, switch_adaptive)
