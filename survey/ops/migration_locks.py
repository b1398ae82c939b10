"""Which migrations hold a lock that stops responses being stored, and for how long.

Why: an upgrade mid-consultation runs ``survey db upgrade`` while tablets sync and citizens submit.
A migration that takes a write-blocking lock on ``responses`` or ``answers`` (rewriting the table,
building an index without CONCURRENTLY, adding a foreign key to it) holds every submission until it
commits: milliseconds on a test database, minutes on a million answers. Such a migration is run in
a quiet hour, or written another way.

Two honest observations per migration step, on a database the caller has populated:

* the locks the step's transaction holds on the big tables just before it commits (PostgreSQL's
  ``pg_locks`` for the migrating connection), which it keeps until the commit; on SQLite every
  migration holds the whole database's write lock;
* the SQL it sent, matched against rules naming the operations known to lock or rewrite a table
  (so a reader sees *why*).

The time the step took, commit included, bounds how long writers waited. ``bench/migrations.py``
measures it on a million answers; the test suite checks the flags on the demo's data.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, event, inspect

from survey.store.migrate import alembic_config

BIG_TABLES = ("responses", "answers")
# Lock modes that conflict with the ROW EXCLUSIVE lock every INSERT, UPDATE and DELETE takes.
WRITE_BLOCKING = frozenset({"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"})
_TABLES = "|".join(BIG_TABLES)
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (why, re.compile(pattern, re.IGNORECASE | re.DOTALL))
    for why, pattern in (
        ("index built without CONCURRENTLY (blocks writes while it builds)",
         rf"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)\S+\s+ON\s+\"?({_TABLES})\b"),
        ("column type changed (rewrites the table)", rf"^\s*ALTER\s+TABLE\s+\"?({_TABLES})\b.*\bTYPE\b"),
        ("NOT NULL set (scans the table under an exclusive lock)",
         rf"^\s*ALTER\s+TABLE\s+\"?({_TABLES})\b.*\bSET\s+NOT\s+NULL"),
        ("constraint added without NOT VALID (scans the table)",
         rf"^\s*ALTER\s+TABLE\s+\"?({_TABLES})\b.*\bADD\s+(CONSTRAINT\s+\S+\s+)?"
         rf"(CHECK|FOREIGN\s+KEY|PRIMARY\s+KEY|UNIQUE)\b(?!.*NOT\s+VALID)"),
        ("foreign key to a big table (locks it against writes while checked)",
         rf"\bREFERENCES\s+\"?({_TABLES})\b"),
        ("every row rewritten", rf"^\s*(UPDATE\s+\"?({_TABLES})\b|INSERT\s+INTO\s+\"?_alembic_tmp_({_TABLES})\b)"),
        ("table dropped or renamed", rf"^\s*(DROP\s+TABLE|ALTER\s+TABLE\s+\S+\s+RENAME\s+TO)\s+\"?({_TABLES})\b"),
    )
)  # fmt: skip


# What an operator must do before a downgrade that refuses otherwise (its refusal says so); a
# migration written later declares it in its own module as ``before_downgrade_sql``.
BEFORE_DOWNGRADE: dict[str, str] = {
    "0005": "UPDATE users SET role = 'analyst' WHERE role = 'coordinator'",
}


def before_downgrade_sql(revision: str) -> str | None:
    """The statement to run before taking ``revision`` down, if it needs one."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision)
    declared = getattr(script.module, "before_downgrade_sql", None) if script is not None else None
    return str(declared) if declared else BEFORE_DOWNGRADE.get(revision)


@dataclass
class Step:
    """One migration step as observed: its time, its write-blocking locks on big tables, its risky SQL."""

    revision: str
    seconds: float
    locks: dict[str, str] = field(default_factory=dict)  # table -> strongest write-blocking mode
    risky: list[str] = field(default_factory=list)  # "why: statement" for each rule hit

    @property
    def blocks_writes(self) -> bool:
        return bool(self.locks)


def risky_statements(statements: list[str]) -> list[str]:
    """The statements a rule names, each with the rule's reason first."""
    hits = []
    for statement in statements:
        for why, pattern in RULES:
            if pattern.search(statement):
                hits.append(f"{why}: {' '.join(statement.split())[:160]}")
                break
    return hits


@contextmanager
def _sql_of(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


_LOCKS = (
    "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE l.pid = pg_backend_pid() AND l.granted AND c.relname IN ({})"
).format(", ".join(f"'{t}'" for t in BIG_TABLES))


def migrate_step(engine: Engine, url: str, revision: str, *, down: bool = False) -> Step:
    """Upgrade (or downgrade) to ``revision`` on ``engine``, observing the locks held at each commit.

    Only tables that existed before the step count: a lock on a table made in the same transaction
    blocks no one. The locks are read just before each commit (a migration may commit more than
    once), through the driver's own cursor so that the read is not itself recorded as the step's SQL.
    """
    config = alembic_config(url)
    existing = set(inspect(engine).get_table_names())
    postgresql = engine.dialect.name == "postgresql"
    locks: dict[str, str] = {}

    def before_commit(connection: Connection) -> None:
        if not postgresql:
            return
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(_LOCKS)
        for name, mode in cursor.fetchall():
            if mode in WRITE_BLOCKING and name in existing:
                locks[str(name)] = str(mode)
        cursor.close()

    event.listen(engine, "commit", before_commit)
    try:
        with _sql_of(engine) as statements:
            started = time.perf_counter()
            with engine.connect() as connection:
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, revision)
                connection.commit()
            seconds = time.perf_counter() - started
    finally:
        event.remove(engine, "commit", before_commit)
    if not postgresql:  # SQLite: every step holds the one database write lock until it commits
        locks = {t: "database write lock" for t in BIG_TABLES if t in existing}
    return Step(revision, seconds, locks, risky_statements(statements) if postgresql else [])
