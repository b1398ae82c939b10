"""PostgreSQL shortcuts for the bulk write paths, on the session's own connection and transaction.

Group-committed online submissions and field sync batches write hundreds of rows a transaction.
On this path SQLAlchemy's per-statement work (building the statement, its cache key, expanding
IN lists, result objects; a savepoint's bookkeeping) cost more CPU than PostgreSQL spent running
the statements, so these helpers speak to the driver directly. They share the session's
connection, so everything still commits or rolls back with the session's transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from survey.store.db import on_postgresql

_SAVEPOINTS = itertools.count()


def _driver_connection(session: Session) -> Any:
    return session.connection().connection.dbapi_connection


def fetch(session: Session, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    """Rows of one query with ``%s`` placeholders (psycopg's), run on the session's connection."""
    with _driver_connection(session).cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def next_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` fresh values of ``table``'s id sequence, in one round trip."""
    rows = fetch(
        session,
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        (table, count),
    )
    return [int(row[0]) for row in rows]


def copy_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """COPY rows into ``table``: the cheapest way in, for the server and for Python alike."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with _driver_connection(session).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A savepoint that undoes only the block when it raises, and lets the exception through.

    Plain SQL on PostgreSQL; SQLAlchemy's nested transaction elsewhere. The block must write
    through these helpers or Core, not through ORM objects the session would need to forget.
    """
    if not on_postgresql(session):
        with session.begin_nested():
            yield
        return
    name = f"bulk_{next(_SAVEPOINTS)}"
    with _driver_connection(session).cursor() as cursor:
        cursor.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
            raise
        cursor.execute(f"RELEASE SAVEPOINT {name}")


def integrity_error(session: Session) -> type[Exception]:
    """The driver's IntegrityError: raw statements fail with it, outside SQLAlchemy's wrapping."""
    dbapi: Any = session.get_bind().dialect.dbapi
    error: type[Exception] = dbapi.IntegrityError
    return error


def refusal_errors(session: Session) -> tuple[type[Exception], ...]:
    """What the database raises when it refuses a row (a constraint, a value its column cannot
    hold), as opposed to the connection failing: wrapped by SQLAlchemy, or raw from the driver on
    this module's paths."""
    dbapi: Any = session.get_bind().dialect.dbapi
    return (DataError, IntegrityError, dbapi.DataError, dbapi.IntegrityError)
