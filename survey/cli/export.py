"""``survey export``: weighted responses with labels and a codebook (CSV, Parquet, SPSS, Stata)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import survey.store.models  # noqa: F401  (every mapped table, field and snapshot ones included)
from survey.analyst.export import FORMATS, attachments_path, load_corrections, write_attachments, write_export
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
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write text cells beginning with = + - @ tab or CR as typed, not prefixed with ' "
            "(a spreadsheet may run them as formulas).",
        ),
    ] = False,
    with_superseded: Annotated[
        bool,
        typer.Option(
            "--with-superseded",
            help="Also write the interviews field corrections replaced (audit): no weight, superseded_by set.",
        ),
    ] = False,
    attachments: Annotated[
        bool,
        typer.Option(
            "--attachments",
            help="Also write OUT.attachments.zip: the photos, recordings and files of the exported responses, "
            "with attachments.csv saying which response and question each answers.",
        ),
    ] = False,
    database_url: str | None = DatabaseOption,
) -> None:
    """One row per counted response (a correction replaces its original), the final weight in column
    ``weight``, plus OUT.codebook.csv. CSV cells that could run as spreadsheet formulas are neutralised."""
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    if method not in METHODS:
        fail(f"--method must be one of {', '.join(METHODS)}")
    dest = out_path or Path(f"{consultation}.{fmt}")
    if not dest.resolve().parent.is_dir():
        fail(f"cannot write {dest}: folder {dest.parent} does not exist")
    try:
        with stages(4 if attachments else 3) as stage, sessions(database_url)() as session:
            stage("loading responses")
            context = load_context(session, consultation)
            if not context.target_rows:
                fail(f"consultation '{consultation}' has no targets: upload them before exporting")
            stage("weighting")
            analysis = run_analysis(context, WeightingSpec(method=method))
            stage(f"writing {fmt}")
            corrections = load_corrections(session, context, with_superseded=with_superseded)
            result = write_export(context, analysis, fmt, dest, corrections=corrections, raw=raw)
            if attachments:
                stage("writing attachments")
                files = write_attachments(session, context, analysis, corrections, dest)
    except (StoreError, WeightingError) as exc:
        fail(str(exc))
    extra = len(corrections.originals) if corrections.originals is not None else 0
    audit = f" + {extra} superseded" if with_superseded else ""
    out.print(f"wrote {dest} ({analysis.design.n} rows{audit}) and {result.codebook}", highlight=False)
    if attachments:
        out.print(f"wrote {attachments_path(dest)} ({files} files)", highlight=False)
    for note in result.notes:
        out.print(f"note: {note}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``survey export`` to the main app."""
    app.command("export", help=export_command.__doc__)(export_command)
