"""``survey targets``: derive weighting margins from a population table.

The table is read by :mod:`survey.tabular`, like the data `survey weight` reads: ``NA`` or ``null``
is a category (Namibia, "not applicable"), ``1.0`` is ``1``, and an empty cell is refused, naming its
column and row, since a person in no category would shrink every share without a word.
"""

# ruff: noqa: PLC0415
# (pandas and polars are imported inside the command, so `survey --help` stays fast)

from __future__ import annotations

from pathlib import Path

import typer

from survey.cli._common import fail, out, writable_file

app = typer.Typer(help="Prepare population targets for weighting.", no_args_is_help=True)


@app.command("from-population")
def from_population(
    table: Path = typer.Argument(..., help="CSV with one column per characteristic and a 'count' column."),
    variables: str = typer.Option(..., help="Comma-separated margins, e.g. sex,age_group or sex:age_group."),
    output: Path = typer.Option(..., "--out", help="Targets CSV to write (variable,category,share)."),
) -> None:
    """Turn population counts into shares per margin, in the format `survey weight --targets` reads."""
    from survey.store.services.population_targets import PopulationError, margin_names, margins_of

    writable_file(output)
    try:
        margins, total = margins_of(table, margin_names(variables))
    except PopulationError as exc:
        fail(str(exc))
    margins.to_csv(output, index=False)
    out.print(f"wrote {len(margins)} target rows to {output} (population {total:,.0f})")
