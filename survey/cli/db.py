"""``survey db``: schema migrations through Alembic."""

from __future__ import annotations

import typer
from sqlalchemy.exc import OperationalError

from survey.cli._common import DatabaseOption, console, database_url, fail, out
from survey.store import migrate
from survey.store.db import make_engine

app = typer.Typer(help="Create or migrate the database schema (Alembic).", no_args_is_help=True)


@app.command()
def upgrade(
    revision: str = typer.Argument("head", help="Target revision."),
    database: str | None = DatabaseOption,
) -> None:
    """Upgrade the schema to the newest revision (or REVISION)."""
    url = database_url(database)
    try:
        migrate.upgrade(url, revision)
    except OperationalError as exc:
        fail(f"cannot reach the database: {exc.orig}")
    console.print(f"schema at [bold]{revision}[/]")


@app.command()
def downgrade(
    revision: str = typer.Argument(..., help="Target revision; 'base' removes every table."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: downgrading may delete data."),
    database: str | None = DatabaseOption,
) -> None:
    """Downgrade the schema; asks for --yes because data in dropped tables is lost."""
    if not yes:
        fail("downgrade can delete data: repeat with --yes to confirm")
    migrate.downgrade(database_url(database), revision)
    console.print(f"schema at [bold]{revision}[/]")


@app.command()
def current(database: str | None = DatabaseOption) -> None:
    """Print the schema revision of the database and the newest one shipped."""
    engine = make_engine(database_url(database))
    try:
        revision = migrate.current_revision(engine)
    except OperationalError as exc:
        fail(f"cannot reach the database: {exc.orig}")
    out.print(f"database: {revision or 'empty'}  shipped: {migrate.head_revision()}")
