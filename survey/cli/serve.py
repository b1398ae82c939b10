"""``survey serve``: run the web app with uvicorn."""

from __future__ import annotations

import os

import typer

from survey.cli._common import DatabaseOption, database_url, out
from survey.settings import get_settings


def run_server(url: str, host: str | None, port: int | None, workers: int = 1) -> None:
    """Serve the app factory; the URL goes through the environment so every worker sees it."""
    import uvicorn  # noqa: PLC0415

    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    out.print(f"serving on http://{host}:{port}/  (API docs: http://{host}:{port}/schema)")
    uvicorn.run(
        "survey.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )


def serve(
    host: str | None = typer.Option(None, help="Interface to listen on (default SURVEY_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default SURVEY_PORT or 8000)."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    database: str | None = DatabaseOption,
) -> None:
    """Run the web app (citizen pages, field app, analyst API)."""
    run_server(database_url(database), host, port, workers)
