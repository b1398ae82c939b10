"""``survey targets``: derive weighting margins from a population table.

The table is read by :mod:`survey.tabular`, like the data `survey weight` reads: ``NA`` or ``null``
is a category (Namibia, "not applicable"), ``1.0`` is ``1``, and an empty cell is refused, naming its
column and row, since a person in no category would shrink every share without a word.
"""

# ruff: noqa: PLC0415
# (pandas and polars are imported inside the command, so `survey --help` stays fast)

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from survey.cli._common import DatabaseOption, fail, out, writable_file

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(help="Prepare population targets for weighting.", no_args_is_help=True)


@app.command("from-population")
def from_population(
    table: Path = typer.Argument(..., help="CSV with one column per characteristic and a 'count' column."),
    variables: str = typer.Option(..., help="Comma-separated margins, e.g. sex,age_group or sex:age_group."),
    output: Path = typer.Option(..., "--out", help="Targets CSV to write (variable,category,share)."),
    consultation: str | None = typer.Option(
        None,
        "--consultation",
        help="Also store them as the consultation's next target set (as the console does).",
    ),
    label: str = typer.Option("", "--label", help="With --consultation: a label for the stored set."),
    source: str = typer.Option("", "--source", help="With --consultation: where the counts come from."),
    database: str | None = DatabaseOption,
) -> None:
    """Turn population counts into shares per margin, in the format `survey weight --targets` reads."""
    from survey.store.services.population_targets import PopulationError, margin_names, margins_of

    writable_file(output)
    try:
        margins, total = margins_of(table, margin_names(variables))
    except PopulationError as exc:
        fail(str(exc))
    if consultation is not None:
        version = _store(
            consultation, margins, total, label, source or f"population table {table.name}", database
        )
        out.print(f"stored as version {version} of the targets of '{consultation}'")
    margins.to_csv(output, index=False)
    out.print(f"wrote {len(margins)} target rows to {output} (population {total:,.0f})")


def _store(
    slug: str, margins: pd.DataFrame, total: float, label: str, source: str, database: str | None
) -> int:
    """The margins as the consultation's next target set, checked against its questionnaire."""
    from survey.cli._common import sessions
    from survey.store.db import transaction
    from survey.store.errors import StoreError
    from survey.store.services.consultations import ConsultationService, load_questionnaire
    from survey.store.services.population_targets import target_rows
    from survey.store.services.targets import TargetService

    try:
        with transaction(sessions(database)) as session:
            found = ConsultationService(session).get(slug)
            questionnaire = load_questionnaire(ConsultationService(session).current_version(found))
            stored = TargetService(session).add(found, target_rows(margins), questionnaire, actor="cli",
                                                label=label, source=source, population=total)  # fmt: skip
            return stored.version
    except StoreError as exc:
        fail(f"--consultation {slug}: {exc}")
