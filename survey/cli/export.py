"""``survey export``: weighted responses with labels and a codebook (CSV, Parquet, SPSS, Stata)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import survey.analyst.models  # noqa: F401  (registers the snapshot table)
from survey.analyst.export import FORMATS, write_export
from survey.analyst.services import METHODS, WeightingSpec, load_context, run_analysis
from survey.cli._common import DatabaseOption, fail, out, sessions, stages
from survey.store.errors import StoreError
from weighting import WeightingError

__all__ = ["register"]


def export_command(
    consultation: Annotated[str, typer.Argument(help="Consultation slug, e.g. brussels-futures.")],
    fmt: Annotated[str, typer.Option("--format", help="csv | parquet | sav (SPSS) | dta (Stata).")] = "csv",
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: SLUG.FORMAT).")
    ] = None,
    method: Annotated[str, typer.Option(help="Weighting method for the weight column.")] = "rake",
    database_url: str | None = DatabaseOption,
) -> None:
    """One row per complete response, the final weight in column ``weight``, plus OUT.codebook.csv."""
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    if method not in METHODS:
        fail(f"--method must be one of {', '.join(METHODS)}")
    dest = out_path or Path(f"{consultation}.{fmt}")
    if not dest.resolve().parent.is_dir():
        fail(f"cannot write {dest}: folder {dest.parent} does not exist")
    try:
        with stages(3) as stage, sessions(database_url)() as session:
            stage("loading responses")
            context = load_context(session, consultation)
            if not context.target_rows:
                fail(f"consultation '{consultation}' has no targets: upload them before exporting")
            stage("weighting")
            analysis = run_analysis(context, WeightingSpec(method=method))
            stage(f"writing {fmt}")
            codebook = write_export(context, analysis, fmt, dest)
    except (StoreError, WeightingError) as exc:
        fail(str(exc))
    out.print(f"wrote {dest} ({analysis.design.n} rows) and {codebook}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``survey export`` to the main app."""
    app.command("export", help=export_command.__doc__)(export_command)
