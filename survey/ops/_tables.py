"""Rows per table, read on one connection (so inside one snapshot when the caller holds one)."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, func, inspect, select, table

SCHEMA_TABLE = "alembic_version"


@dataclass(frozen=True)
class Snapshot:
    """What was read in the backup's snapshot of the database."""

    revision: str | None
    counts: dict[str, int]
    server: str  # the server's (or SQLite library's) version


def table_counts(connection: Connection) -> dict[str, int]:
    """``{table: rows}`` for every table but Alembic's bookkeeping, in name order."""
    names = sorted(n for n in inspect(connection).get_table_names() if n != SCHEMA_TABLE)
    return {
        name: int(connection.scalar(select(func.count()).select_from(table(name))) or 0) for name in names
    }


def revision_of(connection: Connection) -> str | None:
    """The schema revision seen by this connection (None: no schema yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def holds_rows(connection: Connection) -> bool:
    """Whether any table holds a row: a database with only an empty schema counts as empty."""
    return any(table_counts(connection).values())
