"""``survey demo``: the demo consultation on a fresh database, optionally served right away."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from survey.cli._common import DatabaseOption, console, database_url, out, sessions
from survey.demo.load import load_demo
from survey.store import migrate


def demo(
    serve: bool = typer.Option(False, "--serve/--no-serve", help="Start the web app afterwards."),
    password: str | None = typer.Option(
        None, envvar="SURVEY_DEMO_PASSWORD", help="Password of the demo staff accounts (random if unset)."
    ),
    seed: int = typer.Option(2022, min=0, max=2**32 - 1, help="Seed of the simulated respondents."),
    host: str | None = typer.Option(None, help="Host to listen on with --serve."),
    port: int | None = typer.Option(None, help="Port to listen on with --serve."),
    database: str | None = DatabaseOption,
) -> None:
    """Migrate the database and load the demo: form, population targets, staff and 1,151 responses."""
    url = database_url(database)
    migrate.upgrade(url)
    columns = (TextColumn("storing responses"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("responses", total=None)
        report = load_demo(
            sessions(url), password=password, seed=seed,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )  # fmt: skip
    out.print(
        f"demo consultation '{report.slug}': {report.stored} responses stored, {report.duplicates} already there"
    )
    if report.password:
        out.print(f"staff accounts admin, analyst, coordinator, interviewer1-3 — password: {report.password}")
    if serve:
        from survey.cli.serve import run_server  # noqa: PLC0415

        run_server(url, host, port)
