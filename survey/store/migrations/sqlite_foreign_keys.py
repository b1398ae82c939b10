"""Switching SQLite's foreign-key enforcement off around a batch rebuild, and proving it safe.

Why: on SQLite, Alembic's batch mode drops and recreates a table to change a constraint or drop a
column. When other tables point at it (consultations, users), dropping it with enforcement on
fails, or worse, cascades. The copy keeps every id, so enforcement can be off for the rebuild and
``foreign_key_check`` proves no reference was lost before it is switched back on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import op

__all__ = ["foreign_keys_off"]


def _set(state: str, table: str) -> None:
    # SQLite ignores PRAGMA foreign_keys inside a transaction, and the engine's begin hook opens one
    # (BEGIN IMMEDIATE) even in autocommit mode, so that one is committed first.
    with op.get_context().autocommit_block():
        raw = op.get_bind().connection.dbapi_connection
        if raw is None:
            return
        if raw.in_transaction:
            raw.execute("COMMIT")
        if state == "ON":
            orphans = raw.execute("PRAGMA foreign_key_check").fetchall()
            if orphans:
                msg = f"foreign keys broken after rebuilding {table}: {orphans[:5]}"
                raise RuntimeError(msg)
        raw.execute(f"PRAGMA foreign_keys = {state}")


@contextmanager
def foreign_keys_off(table: str) -> Iterator[None]:
    """Around a batch rebuild of ``table``: enforcement off on SQLite (nothing elsewhere), checked after."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _set("OFF", table)
    yield
    if sqlite:
        _set("ON", table)
