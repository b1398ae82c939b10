"""Engines and sessions. SQLite gets foreign keys, WAL and a busy timeout so it behaves like a server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_savepoint(connection: Any, _name: str) -> None:
    # pysqlite opens a transaction only before a write, not before SAVEPOINT: a savepoint opened
    # first became the outer transaction and its RELEASE committed, so a request that failed
    # afterwards kept half its work. Open the transaction first. (Reads stay outside transactions,
    # as pysqlite does by default, so they never hold SQLite's single write lock.)
    dbapi_connection = connection.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine; the SQLite file's folder is created so a fresh checkout just works."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A URI filename (file:...?mode=ro&uri=true) names an existing file: nothing to create.
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        return engine
    # The web app runs handlers in at most 40 threads (anyio's default), each holding one connection
    # for its request: the pool must be able to give all of them one, or requests wait and time out.
    # Two workers then use at most 90 of PostgreSQL's default 100 connections.
    # No pre-ping: it cost a round trip per request. After a database restart SQLAlchemy invalidates
    # the whole pool on the first disconnect error, so one request fails (clients retry with the
    # same UUID, which is safe) instead of every request paying for the check.
    return create_engine(url, pool_size=20, max_overflow=25, pool_recycle=3600)


def on_postgresql(session: Session) -> bool:
    """Whether the session's database is PostgreSQL (the paths that differ: COPY, locks, raw SQL)."""
    return session.get_bind().dialect.name == "postgresql"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (services return them to callers)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


class TransactionService:
    """The request's transaction, for a handler that must undo a refused write.

    A console form that a service refused half-way is drawn again from the store as it was: the
    handler rolls back through this instead of holding the session itself.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def rollback(self) -> None:
        """Forget every change of this request so far; the next read starts a new transaction."""
        self._session.rollback()
