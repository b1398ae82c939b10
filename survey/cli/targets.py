"""``survey targets``: derive weighting margins from a population table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from survey.cli._common import fail, out, writable_file
from survey.demo.population import load_population_table, margins_from_population
from survey.store.errors import first_line

app = typer.Typer(help="Prepare population targets for weighting.", no_args_is_help=True)


@app.command("from-population")
def from_population(
    table: Path = typer.Argument(..., help="CSV with one column per characteristic and a 'count' column."),
    variables: str = typer.Option(..., help="Comma-separated margins, e.g. sex,age_group or sex:age_group."),
    output: Path = typer.Option(..., "--out", help="Targets CSV to write (variable,category,share)."),
) -> None:
    """Turn population counts into shares per margin, in the format `survey weight --targets` reads."""
    writable_file(output)
    try:
        population = load_population_table(table)
        margins = margins_from_population(population, [v.strip() for v in variables.split(",") if v.strip()])
    except FileNotFoundError:
        fail(f"{table}: file not found")
    except KeyError as exc:  # a margin, or the count column, missing from the table
        fail(f"{table}: no column {exc.args[0]!r}" if exc.args[0] == "count" else str(exc.args[0]))
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:  # unreadable, not numbers
        fail(f"{table}: {first_line(exc)}")
    margins.to_csv(output, index=False)
    out.print(f"wrote {len(margins)} target rows to {output} (population {population['count'].sum():,.0f})")
