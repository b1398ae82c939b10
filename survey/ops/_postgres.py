"""PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot, ``pg_restore`` into a cleared schema.

Why an exported snapshot: the manifest's row counts and schema revision are read in the very
snapshot pg_dump copies, so they describe the dump exactly, and everything committed before the
backup began is in it (PostgreSQL's repeatable read sees every earlier commit, none later).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from survey.ops._tables import Snapshot, revision_of, table_counts
from survey.ops.errors import OperationsError


def _client(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI for the client tools and their environment; the password goes through PGPASSWORD,
    never on a command line that ``ps`` shows."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise OperationsError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def tool_version(name: str) -> str:
    """``pg_dump (PostgreSQL) 15.20`` and the like, for the manifest."""
    done = subprocess.run([_tool(name), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout.strip()


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603 - our own argument list, no shell
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise OperationsError(f"{what} failed: {lines[0] if lines else f'exit {done.returncode}'}")


def dump(url: str, out: Path) -> Snapshot:
    """Dump the database to ``out`` and return what its snapshot holds."""
    pg_dump = _tool("pg_dump")
    uri, env = _client(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            snapshot_id = connection.scalar(text("SELECT pg_export_snapshot()"))
            snapshot = Snapshot(
                revision_of(connection),
                table_counts(connection),
                str(connection.scalar(text("SHOW server_version"))),
            )
            # The snapshot lives as long as this transaction: pg_dump must finish before it ends.
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={out}", f"--dbname={uri}"],
                env,
                "pg_dump",
            )
    finally:
        engine.dispose()
    return snapshot


# An extension's own functions and types (pg_trgm, citext, ... installed in public) are left to it:
# PostgreSQL refuses to drop them one by one, and the dump recreates extensions IF NOT EXISTS.
_NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {}.oid AND d.deptype = 'e')"


def clear(connection: Connection) -> None:
    """Drop every table, view, sequence, function and type of schema ``public``, keeping the schema.

    Why not DROP SCHEMA: the schema belongs to the database owner and carries its grants; dropping
    the objects leaves them as they were, and pg_restore then recreates exactly what was dumped.
    Extension members are kept (see ``_NOT_EXTENSION``).
    """
    objects = connection.execute(
        text(
            "SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' "
            "WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, quote_ident(c.relname) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND "
            + _NOT_EXTENSION.format("c")
        )
    ).all()
    for kind, name in objects:
        connection.execute(text(f"DROP {kind} IF EXISTS public.{name} CASCADE"))
    functions = connection.scalars(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND " + _NOT_EXTENSION.format("p")
        )
    ).all()
    for signature in functions:
        connection.execute(text(f"DROP FUNCTION IF EXISTS {signature} CASCADE"))
    types = connection.scalars(
        text(
            "SELECT quote_ident(t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r') AND " + _NOT_EXTENSION.format("t")
        )
    ).all()
    for name in types:
        connection.execute(text(f"DROP TYPE IF EXISTS public.{name} CASCADE"))


def restore(url: str, dump_file: Path) -> None:
    """Clear the target's schema and load the dump, all or nothing (one transaction each)."""
    pg_restore = _tool("pg_restore")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            clear(connection)
    finally:
        engine.dispose()
    uri, env = _client(url)
    _run(
        [
            pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
            f"--dbname={uri}", str(dump_file),
        ],
        env,
        "pg_restore",
    )  # fmt: skip
