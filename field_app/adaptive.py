"""Adaptive quotas: the field quotas follow the plan, re-planned whenever what is stored changes.

Why lazily, when quotas are read (tablets, coordinators, the workbench) rather than on a timer:
the plan depends only on the stored responses and targets, so it can only change after a sync, a
web submission, a correction or a new target set; reading a cheap fingerprint of those
(`fingerprint`) before each quota read re-plans exactly when needed, never twice for the same
data, and needs no background process. The plan is `weighting.field_plan.plan` over what is left
of the campaign's budget (each field or paper response stored since it was switched on is one
interview spent, wherever it fell), written as quotas by `survey.store.services.field_quotas.set_quotas`
(checked and audited), each cell's target being what it should reach: stored plus planned (a cell
already past what it was asked keeps that target, so its overshoot stays visible).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from field_app.schemas import QuotaCell
from survey.store.errors import StoreError
from survey.store.models import Consultation, FieldAdaptivePlan, FieldQuota, Mode, Response, TargetSet, utcnow
from survey.store.services.audit import record
from survey.store.services.counted import counted
from survey.store.services.field_quotas import set_quotas
from weighting import WeightingError

__all__ = ["ACTOR", "MAX_BUDGET", "AdaptiveStatus", "refresh", "status", "switch_off", "switch_on"]

ACTOR = "adaptive"  # the audit's actor of every automatic re-plan
MAX_BUDGET = 1_000_000
log = logging.getLogger(__name__)


def _field_count(session: Session, consultation: Consultation) -> int:
    """Counted responses not collected online (field tablets and paper)."""
    found = session.scalar(
        select(func.count(Response.id)).where(counted(consultation.id), Response.mode != Mode.ONLINE.value)
    )
    return int(found or 0)


def fingerprint(session: Session, consultation: Consultation) -> str:
    """What the plan depends on, in a few integers: counted responses, the newest one, the target set.

    A new response raises the count and the newest id; an erasure lowers the count; a correction
    adds a newer response; new targets change the latest target set.
    """
    count, newest = session.execute(
        select(func.count(Response.id), func.max(Response.id)).where(counted(consultation.id))
    ).one()
    targets = session.scalar(
        select(func.max(TargetSet.id)).where(TargetSet.consultation_id == consultation.id)
    )
    return f"{int(count or 0)}:{int(newest or 0)}:{int(targets or 0)}"


def _check(cells: str, budget: int) -> str:
    """The cells as written canonically (``sex:age_group,education``); StoreError naming the field."""
    if not 0 <= budget <= MAX_BUDGET:
        raise StoreError(f"budget: give 0 to {MAX_BUDGET:,} field interviews")
    # The planning modules load numpy, pandas and polars: imported where a plan is made, not by every
    # server process (tablets read quotas through this module; most reads need no new plan).
    from survey.analyst.representativeness import parse_specs  # noqa: PLC0415
    from weighting.targets import CROSS  # noqa: PLC0415

    try:
        specs = parse_specs(cells)
    except WeightingError as exc:
        raise StoreError(f"cells: {exc}") from exc
    written = ",".join(CROSS.join(s) for s in specs)
    if len(written) > 500:
        raise StoreError("cells: at most 500 characters")
    return written


def _replan(session: Session, consultation: Consultation, row: FieldAdaptivePlan, seen: str) -> None:
    """Plan what is left of the budget from everything stored and make it the quotas.

    Raises:
        StoreError: The cells or the targets cannot give a plan (unknown question, no targets...).
    """
    # Here, not at the top: see _check (the plan needs numpy, pandas and polars; a quota read does not).
    from survey.analyst.representativeness import build_cells, parse_specs, plan_rows  # noqa: PLC0415
    from survey.analyst.services import load_context  # noqa: PLC0415
    from weighting.field_plan import plan  # noqa: PLC0415

    specs = parse_specs(row.cells)
    context = load_context(session, consultation.slug)
    if not context.target_rows:
        raise StoreError(f"cells: {consultation.slug} has no targets yet; upload them first")
    columns = [v for s in specs for v in s]
    unknown = [c for c in columns if c not in context.frame.columns]
    if unknown:
        raise StoreError(f"cells: {unknown[0]!r} is not a question of {consultation.slug}")
    try:
        table = build_cells(context.frame.select(columns).to_pandas(), context.targets, specs)
        remaining = max(row.budget - (_field_count(session, consultation) - row.start_field), 0)
        rows = plan_rows(plan(table, remaining), specs)
    except WeightingError as exc:
        raise StoreError(f"cells: {exc}") from exc
    asked = (
        {
            (q.variable, q.category): q.target
            for q in session.scalars(select(FieldQuota).where(FieldQuota.consultation_id == consultation.id))
        }
        if row.planned_at is not None  # only what an earlier plan of this campaign asked
        else {}
    )
    cells = [
        QuotaCell(variable=r.variable, category=r.category, target=_kept_target(r.after, r.planned, r.responses,
                                                                                asked.get((r.variable, r.category))))
        for r in rows
    ]  # fmt: skip
    set_quotas(session, consultation, cells, actor=ACTOR, keep_adaptive=True)
    row.seen, row.planned_at, row.problem = seen, utcnow(), ""


def _kept_target(after: int, planned: int, stored: int, asked: int | None) -> int:
    """The cell's new target: stored plus planned, except where the cell already holds more than was
    asked of it and the new plan asks nothing more: then the old target stays, so the overshoot
    (two tablets filling the last place offline) remains visible as "over target" instead of being
    absorbed into a target that merely equals what is stored."""
    if planned == 0 and asked is not None and asked < stored:
        return asked
    return after


def refresh(session: Session, consultation: Consultation) -> bool:
    """Re-plan the quotas if the consultation is adaptive and the stored counts changed since the last plan.

    Called before every quota read, so the usual path is two small reads. When the counts changed,
    the setting's row is locked first (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
    SQLite, taken before any read of the plan so its snapshot is current) and the check made again,
    so several tablets reading at once plan once: the others find the fingerprint already current.
    A plan that cannot be made leaves the quotas as they were and keeps the reason for the
    workbench. Returns whether the quotas were replaced.
    """
    mine = FieldAdaptivePlan.consultation_id == consultation.id
    row = session.scalar(select(FieldAdaptivePlan).where(mine, FieldAdaptivePlan.enabled.is_(True)))
    if row is None or fingerprint(session, consultation) == row.seen:
        return False
    session.execute(
        update(FieldAdaptivePlan).where(mine).values(seen=FieldAdaptivePlan.seen),
        execution_options={"synchronize_session": False},
    )
    session.refresh(row)
    seen = fingerprint(session, consultation)
    if not row.enabled or seen == row.seen:
        return False
    try:
        with session.begin_nested():
            _replan(session, consultation, row, seen)
    except StoreError as exc:
        log.warning("adaptive quotas of %s not re-planned: %s", consultation.slug, exc)
        row.seen, row.problem = seen, str(exc)[:2000]
        return False
    return True


def switch_on(session: Session, consultation: Consultation, cells: str, budget: int, *, actor: str) -> None:
    """Make the consultation's quotas follow a plan of ``budget`` field interviews over ``cells``.

    Switching on (again) starts the campaign now: field responses stored before it are not spent
    budget. Changing the cells or budget of a running campaign keeps its start. The first plan is
    made at once, so a bad choice is refused here (StoreError naming the field), not later.
    """
    written = _check(cells, budget)
    row = session.get(FieldAdaptivePlan, consultation.id)
    if row is None:
        row = FieldAdaptivePlan(consultation_id=consultation.id, enabled=False, cells=written, budget=budget)
        session.add(row)
    if not row.enabled:
        row.start_field = _field_count(session, consultation)
        row.planned_at = None  # quotas set by hand meanwhile asked nothing of this campaign
    row.enabled, row.cells, row.budget = True, written, budget
    row.updated_by, row.updated_at, row.problem = actor, utcnow(), ""
    session.flush()
    _replan(session, consultation, row, fingerprint(session, consultation))
    session.flush()
    record(session, actor=actor, action="adaptive_quotas_on", entity="consultation", entity_id=consultation.id,
           details={"cells": written, "budget": budget, "start_field": row.start_field})  # fmt: skip


def switch_off(session: Session, consultation: Consultation, *, actor: str) -> bool:
    """Stop following the plan; the quotas stay as last planned. False when it was not on."""
    row = session.get(FieldAdaptivePlan, consultation.id)
    if row is None or not row.enabled:
        return False
    row.enabled, row.updated_by, row.updated_at = False, actor, utcnow()
    session.flush()
    record(session, actor=actor, action="adaptive_quotas_off", entity="consultation",
           entity_id=consultation.id, details={})  # fmt: skip
    return True


@dataclass(frozen=True)
class AdaptiveStatus:
    """The setting as the workbench, the JSON API and the CLI show it."""

    enabled: bool
    cells: str
    budget: int
    start_field: int
    field_now: int
    planned_at: dt.datetime | None
    problem: str

    @property
    def spent(self) -> int:
        """Field and paper interviews stored since the campaign began."""
        return max(self.field_now - self.start_field, 0)

    @property
    def remaining(self) -> int:
        """Interviews of the budget still to plan."""
        return max(self.budget - self.spent, 0)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "enabled": self.enabled, "cells": self.cells, "budget": self.budget,
            "start_field": self.start_field, "field_now": self.field_now, "spent": self.spent,
            "remaining": self.remaining, "problem": self.problem,
            "planned_at": self.planned_at.isoformat() if self.planned_at else None,
        }  # fmt: skip


def status(session: Session, consultation: Consultation) -> AdaptiveStatus | None:
    """The consultation's adaptive setting (after bringing its plan up to date), or None if never set."""
    refresh(session, consultation)
    row = session.get(FieldAdaptivePlan, consultation.id)
    if row is None:
        return None
    return AdaptiveStatus(row.enabled, row.cells, row.budget, row.start_field,
                          _field_count(session, consultation), row.planned_at, row.problem)  # fmt: skip


def followed_plan(session: Session, consultation: Consultation) -> tuple[str, int] | None:
    """The cells and interviews left of the plan an adaptive consultation follows (for the monitor)."""
    found = status(session, consultation)
    return (found.cells, found.remaining) if found is not None and found.enabled else None
