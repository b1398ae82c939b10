"""``survey quota``: the manual quota editor's twin on the command line (list, set from a CSV).

The same rule as the console's quota page: ``survey.store.services.field_quotas.set_quotas`` checks every cell
against the current questionnaire, replaces the consultation's quotas and audits the change.
"""

from __future__ import annotations

import csv
from pathlib import Path

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.db import transaction
from survey.store.errors import StoreError
from survey.store.services.consultations import ConsultationService

app = typer.Typer(help="Field quotas by hand: list them, or replace them from a CSV.", no_args_is_help=True)


@app.command("list")
def list_quotas(
    slug: str = typer.Argument(..., help="Consultation slug."), database: str | None = DatabaseOption
) -> None:
    """Every quota cell with its target and the counted responses that have it."""
    from field_app.reports import quota_cells  # noqa: PLC0415

    try:
        with transaction(sessions(database)) as session:
            cells = quota_cells(session, ConsultationService(session).get(slug))
    except StoreError as exc:
        fail(str(exc))
    out.print("variable,category,target,done", highlight=False)
    for cell in cells:
        out.print(f"{cell.variable},{cell.category},{cell.target},{cell.done}", highlight=False)


def _read(path: Path) -> list[tuple[str, str, int]]:
    """``variable,category,target`` rows, or a one-line exit naming the file, row and column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not {"variable", "category", "target"} <= set(reader.fieldnames):
                fail(f"{path}: the header must name variable, category and target")
            rows = []
            for number, row in enumerate(reader, start=2):
                target = (row.get("target") or "").strip()
                if not target.isdigit():
                    fail(f"{path}: line {number}: column 'target' must be a whole number of 0 or more")
                rows.append(
                    ((row.get("variable") or "").strip(), (row.get("category") or "").strip(), int(target))
                )
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        fail(f"{path}: cannot read it: {exc}")


@app.command("set")
def set_command(
    slug: str = typer.Argument(..., help="Consultation slug."),
    table: Path = typer.Argument(
        ..., help="CSV with columns variable,category,target (crossed: sex:age_group)."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Replace the consultation's quotas by the file's cells (all checked first; nothing changes on error)."""
    from field_app.schemas import QuotaCell  # noqa: PLC0415
    from survey.store.services.field_quotas import set_quotas  # noqa: PLC0415

    rows = _read(table)
    try:
        with transaction(sessions(database)) as session:
            consultation = ConsultationService(session).get(slug)
            cells = [QuotaCell(variable=v, category=c, target=t) for v, c, t in rows]
            set_quotas(session, consultation, cells, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"{len(rows)} quota cells set for '{slug}'")
