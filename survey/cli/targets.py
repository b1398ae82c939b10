"""``survey targets``: derive weighting margins from a population table."""

from __future__ import annotations

from pathlib import Path

import typer

from survey.cli._common import fail, out
from survey.demo.population import load_population_table, margins_from_population

app = typer.Typer(help="Prepare population targets for weighting.", no_args_is_help=True)


@app.command("from-population")
def from_population(
    table: Path = typer.Argument(..., help="CSV with one column per characteristic and a 'count' column."),
    variables: str = typer.Option(..., help="Comma-separated margins, e.g. sex,age_group or sex:age_group."),
    output: Path = typer.Option(..., "--out", help="Targets CSV to write (variable,category,share)."),
) -> None:
    """Turn population counts into shares per margin, in the format `survey weight --targets` reads."""
    try:
        population = load_population_table(table)
        margins = margins_from_population(population, [v.strip() for v in variables.split(",") if v.strip()])
    except FileNotFoundError:
        fail(f"{table}: file not found")
    except KeyError as exc:
        fail(str(exc.args[0]))
    margins.to_csv(output, index=False)
    out.print(f"wrote {len(margins)} target rows to {output} (population {population['count'].sum():,.0f})")
