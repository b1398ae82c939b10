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

from survey.cli._common import fail, out, writable_file

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(help="Prepare population targets for weighting.", no_args_is_help=True)


@app.command("from-population")
def from_population(
    table: Path = typer.Argument(..., help="CSV with one column per characteristic and a 'count' column."),
    variables: str = typer.Option(..., help="Comma-separated margins, e.g. sex,age_group or sex:age_group."),
    output: Path = typer.Option(..., "--out", help="Targets CSV to write (variable,category,share)."),
) -> None:
    """Turn population counts into shares per margin, in the format `survey weight --targets` reads."""
    from survey.demo.population import margins_from_population

    writable_file(output)
    names = [v.strip() for v in variables.split(",") if v.strip()]
    population = _population(table, [p.strip() for v in names for p in v.split(":")])
    try:
        margins = margins_from_population(population, names)
    except KeyError as exc:  # a margin missing from the table
        fail(str(exc.args[0]))
    margins.to_csv(output, index=False)
    out.print(f"wrote {len(margins)} target rows to {output} (population {population['count'].sum():,.0f})")


def _population(table: Path, columns: list[str]) -> pd.DataFrame:
    """The table's margin columns as category labels and ``count`` as numbers; one line if not."""
    import pandas as pd

    from survey.tabular import TableError, analysis_frame, read_table

    try:
        raw = read_table(table, categorical=columns)
        if "count" not in raw.columns:
            fail(f"{table}: no column 'count'")
        present = [c for c in dict.fromkeys(columns) if c in raw.columns]
        frame = analysis_frame(raw, categories=present, numbers=["count"])
    except TableError as exc:
        fail(f"{table}: {exc}" if str(table) not in str(exc) else str(exc))
    for column in present:
        codes = frame[column].cat.codes.to_numpy()
        if (codes < 0).any():
            fail(f"{table}: column {column!r} is empty at data row {int((codes < 0).argmax()) + 1}")
    counts = frame["count"]
    if counts.isna().any():
        fail(f"{table}: column 'count' is empty at data row {int(counts.isna().to_numpy().argmax()) + 1}")
    return pd.DataFrame({c: frame[c].astype(str) for c in present} | {"count": counts})
