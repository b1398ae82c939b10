"""``survey form``: validate and import XLSForm questionnaires."""

from __future__ import annotations

from pathlib import Path

import typer

from survey.cli._common import DatabaseOption, console, fail, out, sessions
from survey.questionnaire.xlsform import ImportResult
from survey.store.db import transaction
from survey.store.services.consultations import ConsultationService
from survey.store.services.form_check import FormReport, check_path

app = typer.Typer(help="Validate and import XLSForm questionnaires.", no_args_is_help=True)


AllowLocation = typer.Option(
    False,
    "--allow-location",
    help="Accept geopoint rows: the form will collect a position, which is personal data.",
)


def _report(path: Path, *, allow_location: bool = False) -> tuple[FormReport, ImportResult]:
    """The report the console's upload shows too (``form_check``), printed line by line."""
    report = check_path(path, allow_location=allow_location)
    for issue in report.problems:
        console.print(f"[red]✗[/] {issue}", highlight=False, soft_wrap=True)
    if report.result is None:
        fail(report.summary())
    for warning in report.warnings:
        console.print(f"[yellow]![/] {warning}", highlight=False, soft_wrap=True)
    return report, report.result


@app.command()
def validate(
    path: Path = typer.Argument(
        ...,
        help="XLSForm file (.xlsx or .xls); CSV files of select_one_from_file rows are read from its folder.",
    ),
    allow_location: bool = AllowLocation,
) -> None:
    """Check a form without storing it; lists every problem with its sheet, row and column."""
    report, _result = _report(path, allow_location=allow_location)
    out.print(report.summary())


@app.command("import")
def import_form(
    path: Path = typer.Argument(
        ...,
        help="XLSForm file (.xlsx or .xls); CSV files of select_one_from_file rows are read from its folder.",
    ),
    consultation: str = typer.Option(
        ..., "--consultation", "-c", help="Slug of the consultation (created if new)."
    ),
    database: str | None = DatabaseOption,
    allow_location: bool = AllowLocation,
) -> None:
    """Validate and store a new questionnaire version; an identical form is recognised, not duplicated."""
    _, result = _report(path, allow_location=allow_location)
    with transaction(sessions(database)) as session:
        service = ConsultationService(session)
        target = service.find(consultation) or service.create(
            consultation, result.questionnaire.title, actor="cli"
        )
        stored = service.add_version(target, result.questionnaire, source_name=path.name, actor="cli")
        number, digest = stored.version.number, stored.version.content_hash
    verb = "stored as" if stored.created else "identical to existing"
    out.print(f"{path.name}: {verb} version {number} of '{consultation}' (sha256 {digest[:12]}…)")
