"""SQLite: the online backup API, in one step, so the copy is one consistent state of the file.

Why one step: ``sqlite3_backup_step`` in several steps restarts whenever another connection
writes, which under a stream of submissions could never finish; one step holds a read
transaction for the copy, and writers (WAL mode) carry on meanwhile.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from survey.ops._tables import Snapshot, revision_of, table_counts
from survey.ops.errors import OperationsError


def path_of(url: str) -> Path:
    """The database file a ``sqlite:///…`` URL names (an in-memory database cannot be backed up)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise OperationsError(f"cannot back up or restore SQLite database {database!r}: name a file")
    return Path(database)


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # pages=-1: every page in one step
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def dump(url: str, out: Path) -> Snapshot:
    """Copy the database to ``out``; the counts and revision are read from the copy itself."""
    source = path_of(url)
    if not source.is_file():
        raise OperationsError(f"SQLite database {source} does not exist")
    _copy(source, out)
    engine = create_engine(f"sqlite:///{out}")
    try:
        with engine.connect() as connection:
            snapshot = Snapshot(revision_of(connection), table_counts(connection), sqlite3.sqlite_version)
    finally:
        engine.dispose()
    return snapshot


def restore(url: str, database_file: Path) -> None:
    """Replace the target's content with the backup's, page by page through the same API."""
    target = path_of(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(database_file, target)
