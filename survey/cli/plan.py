"""``survey plan``: the field interviews that make the weighted results most precise, as a quota file.

Thin over `weighting.field_plan`: this module reads the store through the analyst services,
parses files and prints; every figure comes from the library. Bad input exits 2 with one line.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Annotated, Protocol

import numpy as np
import pandas as pd
import typer
from rich.table import Table
from sqlalchemy.orm import Session

from survey.analyst.representativeness import (
    PlanRow,
    build_cells,
    parse_specs,
    plan_rows,
    simulation_inputs,
)
from survey.analyst.services import Context, load_context
from survey.analyst.spreadsheet import neutralise_frame
from survey.cli._common import DatabaseOption, fail, out, sessions, writable_file
from survey.store.db import transaction
from survey.store.errors import StoreError, first_line
from survey.store.models import Consultation
from survey.store.services.consultations import ConsultationService
from weighting import Targets, WeightingError
from weighting.field_plan import FieldPlan, plan, plan_for_moe, proportional, simulate
from weighting.representativeness import Cells, WeightEffect

__all__ = ["register"]

MAX_BUDGET = 1_000_000
MAX_DRAWS = 10_000


class QuotaWriter(Protocol):
    """Writes a plan as field quotas: given by the CLI's composition root (``survey`` cannot import ``field_app``)."""

    def __call__(
        self, session: Session, consultation: Consultation, rows: list[PlanRow], *, actor: str
    ) -> None:
        """Replace the consultation's quotas by ``rows`` (checked and audited)."""


COLUMNS = ["variable", "category", "target_share", "responses", "planned", "after"]


def _read_csv(path: Path, option: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        fail(f"{option} {path}: {first_line(exc)}")


def _limits(path: Path, cells: Cells) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Per-cell costs and caps from ``variable,category,cost`` and/or ``max`` rows of the planned cells."""
    frame = _read_csv(path, "--costs")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if not {"variable", "category"} <= set(frame.columns) or not {"cost", "max"} & set(frame.columns):
        fail("--costs needs the columns variable,category and cost and/or max")
    index = {label: i for i, label in enumerate(cells.labels())}
    costs = np.ones(len(index)) if "cost" in frame.columns else None
    caps = np.full(len(index), np.inf) if "max" in frame.columns else None
    for line, row in enumerate(frame.to_dict("records"), start=2):
        variable, category = str(row["variable"]).strip(), str(row["category"]).strip()
        if variable != cells.name or category not in index:
            fail(f"--costs line {line}: {variable}={category} is not one of the planned {cells.name} cells")
        for column, array, low in (("cost", costs, 0.0), ("max", caps, -1.0)):
            if array is None or str(row[column]).strip() == "":
                continue
            try:
                value = float(row[column])
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value <= low:
                fail(f"--costs line {line}: {column} of {variable}={category} must be a number > {low:g}")
            array[index[category]] = value
    return costs, caps


def _write(rows: list[PlanRow], path: Path, *, raw: bool = False) -> None:
    """Temp file beside ``path``, then rename: the plan file appears only when complete.

    Categories come from target files and questionnaires, so one may begin like a spreadsheet
    formula (``=HYPERLINK(...)``): unless ``raw``, such cells get the apostrophe `survey export` gives them.
    """
    frame = pd.DataFrame([vars(r) for r in rows], columns=COLUMNS)
    if not raw:
        frame = neutralise_frame(frame)
    fd, tmp = tempfile.mkstemp(dir=path.resolve().parent, suffix=".csv")
    os.close(fd)
    try:
        frame.to_csv(tmp, index=False, float_format="%.6g")
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _show(rows: list[PlanRow], result: FieldPlan, usual: FieldPlan) -> None:
    table = Table(*COLUMNS, title="Field plan")
    for r in rows:
        table.add_row(
            r.variable, r.category, f"{r.target_share:.1%}", str(r.responses), str(r.planned), str(r.after)
        )
    out.print(table)
    summary = Table(
        "", "stored now", "after this plan", "after proportional", title="Post-stratified weights"
    )

    def cols(pick: str) -> list[str]:
        effects: list[WeightEffect] = [result.before, result.after, usual.after]
        return [_figure(getattr(e, pick), pick) for e in effects]

    summary.add_row("interviews", "", str(int(result.planned.sum())), str(int(usual.planned.sum())))
    for label, pick in (("responses", "n"), ("Kish deff", "deff"), ("effective n", "n_eff"),
                        ("largest weight / mean", "max_weight"), ("MOE of 50 %", "moe"),
                        ("population in empty cells", "uncovered_share")):  # fmt: skip
        summary.add_row(label, *cols(pick))
    out.print(summary)
    for note in result.cells.notes:
        out.print(f"note: {note}", highlight=False)
    if result.unplaced:
        out.print(f"note: {result.unplaced} interviews could not be placed (every cell at its max)")


def _show_simulation(
    cells: Cells,
    inputs: tuple[np.ndarray, dict[str, np.ndarray]],
    result: FieldPlan,
    usual: FieldPlan,
    draws: int,
    seed: int,
) -> None:
    """Bias and RMSE of the weighted shares of every single-choice question, per scenario."""
    online, outcomes = inputs
    if not outcomes:
        out.print("note: --simulate: no single-choice question besides the cells to simulate")
        return
    plans = {
        "this plan": result.planned,
        "proportional": usual.planned,
        "no more field work": 0 * result.planned,
    }
    found = simulate(cells, online, outcomes, plans, draws=draws, seed=seed)
    table = Table("scenario", "interviews", "mean |bias|", "largest |bias|", "RMSE",
                  title=f"{draws} simulated samples: weighted shares of {len(outcomes)} questions (points)")  # fmt: skip
    for row in found:
        table.add_row(row.scenario, str(row.interviews), f"{100 * row.bias:.2f}", f"{100 * row.worst_bias:.2f}",
                      f"{100 * row.rmse:.2f}")  # fmt: skip
    out.print(table)


def _figure(value: float, pick: str) -> str:
    if not math.isfinite(value):
        return "∞ (empty cells)"
    if pick in {"moe", "uncovered_share"}:
        return f"±{value:.1%}" if pick == "moe" else f"{value:.1%}"
    return f"{value:,.0f}" if pick in {"n", "n_eff"} else f"{value:.3f}"


def _cells(context: Context, specs: list[tuple[str, ...]], given: Targets | None) -> Cells:
    """The planned cells from the stored responses and the given (else the stored) targets."""
    slug = context.consultation.slug
    if given is None and not context.target_rows:
        fail(f"{slug} has no targets yet: upload some or pass --targets")
    columns = [v for s in specs for v in s]
    unknown = [c for c in columns if c not in context.frame.columns]
    if unknown:
        fail(f"--cells: {unknown[0]!r} is not a question of {slug}")
    return build_cells(context.frame.select(columns).to_pandas(), given or context.targets, specs)


class AdaptiveSwitch(Protocol):
    """Switches the server's adaptive quotas (given by the composition root, like `QuotaWriter`)."""

    def __call__(
        self, session: Session, consultation: Consultation, cells: str | None, budget: int, *, actor: str
    ) -> str:
        """Switch on with ``cells`` and ``budget`` (off when ``cells`` is None); a line saying what it did."""


def _no_switch(
    session: Session, consultation: Consultation, cells: str | None, budget: int, *, actor: str
) -> str:
    fail("--adaptive needs the field app (run the full `survey` command)")


_switch: list[AdaptiveSwitch] = [_no_switch]


def _adaptive(database_url: str | None, consultation: str, cells: str | None, budget: int) -> None:
    """Store the setting on the server, which then re-plans whenever the stored counts change."""
    try:
        with transaction(sessions(database_url)) as session:
            found = ConsultationService(session).get(consultation)
            said = _switch[0](session, found, cells, budget, actor="cli:plan")
    except StoreError as exc:
        fail(f"--adaptive: {exc}")
    out.print(said, highlight=False)


def _no_quotas(session: Session, consultation: Consultation, rows: list[PlanRow], *, actor: str) -> None:
    fail("--apply needs the field app (run the full `survey` command)")


_writer: list[QuotaWriter] = [_no_quotas]


def plan_command(
    consultation: Annotated[str, typer.Argument(help="Consultation slug, e.g. brussels-futures.")],
    cells: Annotated[
        str | None,
        typer.Option(help="Quota cells: questions, crossed with ':' (sex:age_group,education). Required."),
    ] = None,
    budget: Annotated[int | None, typer.Option(help="Field interviews to plan.")] = None,
    moe: Annotated[
        float | None, typer.Option(help="Plan the fewest interviews reaching this MOE (0.03).")
    ] = None,
    targets: Annotated[
        Path | None, typer.Option(help="variable,category,share CSV (default: stored).")
    ] = None,
    costs: Annotated[
        Path | None, typer.Option(help="variable,category,cost and/or max per planned cell.")
    ] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Write the plan as CSV.")] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="--out: write cells beginning with = + - @ tab or CR as they are, not prefixed with ' "
            "(a spreadsheet may run them as formulas).",
        ),
    ] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Replace the field quotas with this plan.")] = False,
    simulate: Annotated[
        int, typer.Option(min=0, max=MAX_DRAWS, help="Simulate K samples: bias and RMSE with this plan.")
    ] = 0,
    seed: Annotated[int, typer.Option(min=0, help="Random seed of --simulate.")] = 2022,
    adaptive: Annotated[
        bool,
        typer.Option(
            "--adaptive",
            help="Switch the server's adaptive quotas on: it re-plans what is left of --budget and updates "
            "the field quotas whenever the stored responses change.",
        ),
    ] = False,
    adaptive_off: Annotated[
        bool,
        typer.Option("--adaptive-off", help="Switch adaptive quotas off (the quotas stay as last planned)."),
    ] = False,
    database_url: str | None = DatabaseOption,
) -> None:
    """Plan field interviews that minimise the design effect of the post-stratified weights."""
    if adaptive_off:
        _adaptive(database_url, consultation, None, 0)
        return
    if cells is None:
        fail("--cells is required, e.g. --cells sex:age_group,education")
    _check_options(budget, moe, adaptive=adaptive, asks_more=costs is not None or bool(simulate) or apply)
    if out_path is not None:
        writable_file(out_path)
    try:
        specs = parse_specs(cells)
        given = Targets.from_frame(_read_csv(targets, "--targets")) if targets else None
        if adaptive:
            if given is not None:
                fail("--adaptive plans against the stored targets (no --targets)")
            _adaptive(database_url, consultation, cells, budget or 0)
            return
        with sessions(database_url)() as session:
            context = load_context(session, consultation)
            table = _cells(context, specs, given)
            inputs = simulation_inputs(context, given or context.targets, specs, table) if simulate else None
        costs_, caps = _limits(costs, table) if costs else (None, None)
        result = (
            plan(table, budget, caps=caps, costs=costs_)
            if budget is not None
            else plan_for_moe(table, float(moe or 0), caps=caps, costs=costs_, limit=MAX_BUDGET)
        )
        usual = proportional(table, int(result.planned.sum()))
        unit = plan(table, budget, caps=caps) if costs_ is not None and budget is not None else None
    except (StoreError, WeightingError) as exc:
        fail(str(exc))
    rows = plan_rows(result, specs)
    _show(rows, result, usual)
    if unit is not None and costs_ is not None:
        out.print(f"cost of this plan: {result.cost:g}; the best plan of {budget} interviews, as precise, costs "
                  f"{float(np.dot(unit.planned, costs_)):g}", highlight=False)  # fmt: skip
    if inputs is not None:
        _show_simulation(table, inputs, result, usual, simulate, seed)
    if out_path is not None:
        _write(rows, out_path, raw=raw)
        out.print(f"wrote {out_path}", highlight=False)
    if apply:
        _apply(database_url, consultation, rows)


def _check_options(budget: int | None, moe: float | None, *, adaptive: bool, asks_more: bool) -> None:
    """Refuse contradictory or out-of-range options before any database work."""
    if (budget is None) == (moe is None):
        fail("give exactly one of --budget N or --moe 0.03")
    if adaptive and (budget is None or asks_more):
        fail("--adaptive plans a --budget (no --moe, --costs, --simulate or --apply)")
    if budget is not None and not 0 <= budget <= MAX_BUDGET:
        fail(f"--budget must be between 0 and {MAX_BUDGET:,}")
    if moe is not None and not 0 < moe < 1:
        fail("--moe must be a proportion between 0 and 1, e.g. 0.03")


def _apply(database_url: str | None, consultation: str, rows: list[PlanRow]) -> None:
    """--apply: the plan replaces the field quotas, in one transaction with its audit entry."""
    try:
        with transaction(sessions(database_url)) as session:
            found = ConsultationService(session).get(consultation)
            _writer[0](session, found, rows, actor="cli:plan")
    except StoreError as exc:
        fail(f"--apply: {exc}")
    out.print(f"field quotas of {consultation} replaced by this plan ({len(rows)} cells)", highlight=False)


def register(
    app: typer.Typer, quotas: QuotaWriter | None = None, adaptive: AdaptiveSwitch | None = None
) -> None:
    """Add ``survey plan`` to the main app; ``quotas`` lets ``--apply`` write the field quotas,
    ``adaptive`` lets ``--adaptive`` switch the server's adaptive quotas."""
    if quotas is not None:
        _writer[0] = quotas
    if adaptive is not None:
        _switch[0] = adaptive
    app.command("plan", help=plan_command.__doc__)(plan_command)
