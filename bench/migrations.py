"""How long each migration blocks submissions on a store of about a million answers.

Usage: python bench/migrations.py [--database-url URL] [--answers 1000000]
(default: a new PostgreSQL database on the test server, dropped at the end; a sqlite:/// URL
names a file to create).

The demo is loaded at head and its responses copied (new ids and UUIDs) until the answers table
holds the requested number of rows. Then, from head down, each migration is taken down and up
again: the upgrade runs in survey.ops.migration_locks.migrate_step, which reports the time the step
took to its commit and the write-blocking locks it held on responses and answers. A migration that
holds such a lock stops every submission for its whole time; the operator's guide says to run
those at a quiet hour. One line per migration:

    0007  upgrade  12.34 s  BLOCKS WRITES  responses: ShareLock  | index built without CONCURRENTLY …
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from survey.demo.load import load_demo
from survey.ops.migration_locks import before_downgrade_sql, migrate_step
from survey.store import migrate
from survey.store.db import make_engine, session_factory

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


def grow(engine: Engine, answers: int) -> None:
    """Copy the demo's responses and their answers until ``answers`` rows exist.

    A copy gets new ids and UUIDs (the copy number in the UUID's first 8 hex digits); columns under
    a unique constraint other than those (a resume token) are left empty in copies.
    """
    found = inspect(engine)
    unique = {c for u in found.get_unique_constraints("responses") for c in u["column_names"]}
    unique |= {c for i in found.get_indexes("responses") if i["unique"] for c in i["column_names"] if c}
    copied = [c for c in found.get_columns("responses") if c["name"] not in ("id", "uuid")]
    select_list = ", ".join("NULL" if c["name"] in unique and c["nullable"] else c["name"] for c in copied)
    names = ", ".join(c["name"] for c in copied)
    hex8 = (
        "lpad(to_hex(CAST(:copy AS integer)), 8, '0')"
        if engine.dialect.name == "postgresql"
        else "printf('%08x', :copy)"
    )
    answer_columns = [
        c["name"] for c in found.get_columns("answers") if c["name"] not in ("id", "response_id")
    ]
    with engine.connect() as connection:
        top = int(connection.scalar(text("SELECT max(id) FROM responses")) or 0)
    copy = 0
    started = time.perf_counter()
    while _count(engine, "answers") < answers:
        copy += 1
        offset = copy * (top + 1)
        with engine.begin() as connection:
            connection.execute(
                text(
                    f"INSERT INTO responses (id, uuid, {names}) SELECT id + :offset, {hex8} || substr(uuid, 9), "
                    f"{select_list} FROM responses WHERE id <= :top"
                ),
                {"offset": offset, "copy": copy, "top": top},
            )
            cols = ", ".join(answer_columns)
            connection.execute(
                text(
                    f"INSERT INTO answers (response_id, {cols}) SELECT response_id + :offset, {cols} "
                    "FROM answers WHERE response_id <= :top"
                ),
                {"offset": offset, "top": top},
            )
        done = time.perf_counter() - started
        print(f"  copy {copy}: {_count(engine, 'answers'):,} answers ({done:.0f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", help="where to build the store (default: a new PostgreSQL database)"
    )
    parser.add_argument("--answers", type=int, default=1_000_000, help="rows in answers (default 1,000,000)")
    args = parser.parse_args()
    made = None
    url = args.database_url
    if url is None:
        made = f"bench_migrations_{secrets.token_hex(4)}"
        admin = make_engine(SERVER).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{made}"'))
        admin.dispose()
        url = make_url(SERVER).set(database=made).render_as_string(hide_password=False)
    try:
        run(url, args.answers)
    finally:
        if made is not None:
            admin = make_engine(SERVER).execution_options(isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)'))
            admin.dispose()


def run(url: str, answers: int) -> None:
    print(f"building the store ({make_url(url).get_backend_name()}): demo, then copies", flush=True)
    migrate.upgrade(url)
    engine = make_engine(url)
    load_demo(session_factory(engine), password=secrets.token_urlsafe(12))
    grow(engine, answers)
    print(f"{_count(engine, 'responses'):,} responses, {_count(engine, 'answers'):,} answers", flush=True)
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    revision = migrate.current_revision(engine)
    while revision is not None:
        parent = scripts.get_revision(revision).down_revision
        target = str(parent) if parent else "base"
        if parent is None:
            break  # below the first migration there is no store to upgrade
        prepare = before_downgrade_sql(revision)
        if prepare:
            with engine.begin() as connection:
                connection.execute(text(prepare))
        try:
            down = migrate_step(engine, url, target, down=True)
        except IntegrityError as exc:
            print(f"{revision}  downgrade failed, walk stops: {str(exc).splitlines()[0]}", flush=True)
            break
        step = migrate_step(engine, url, str(revision))
        blocking = (
            "BLOCKS WRITES  " + ", ".join(f"{t}: {m}" for t, m in step.locks.items())
            if step.locks
            else "no write-blocking lock on big tables"
        )
        why = f"  | {step.risky[0]}" if step.risky else ""
        print(
            f"{revision}  upgrade {step.seconds:8.2f} s  {blocking}{why}   (downgrade {down.seconds:.2f} s)",
            flush=True,
        )
        migrate_step(engine, url, target, down=True)
        revision = target
    engine.dispose()


if __name__ == "__main__":
    main()
