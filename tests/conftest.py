"""Shared fixtures: every store test runs on SQLite and on a real PostgreSQL.

PostgreSQL: each test run creates its own database (``test_<random>``) from the server named by
TEST_POSTGRES_URL (default: the local trust-auth server, database ``test``) and drops it at the end,
so concurrent runs never see each other's rows. Tables are emptied after each test.
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

import survey.store.models  # noqa: F401  (every mapped table, field and snapshot ones included)
from survey.settings import Settings, load_settings
from survey.store import migrate
from survey.store.db import make_engine, session_factory
from survey.store.models import Base
from survey.store.services.users import SCRYPT_N_VARIABLE
from tests.chromium import CHROMIUM, launch_args

# Staff passwords hash at a cheap scrypt cost in tests (the production cost has its own test,
# tests/store/test_password_cost.py): at 2**14 hashing was a large share of the suite's time.
# Set here, before any test runs, so the CLI and `survey serve` subprocesses inherit it.
os.environ.setdefault(SCRYPT_N_VARIABLE, "16")

# The cycle collector runs after 10,000 new objects instead of 700 in the test processes. A test
# worker keeps apps, live servers, data frames and ORM sessions coming and going, and at the default
# its full collections ran at about two tests in three, each walking everything not frozen. On the
# analyst, store and API files (two workers, two runs of each setting, alternated), collection took
# 7.7 and 7.7 CPU-s at the default against 4.4 and 3.5, and the whole run 93.2 and 91.4 CPU-s against
# 85.1 and 75.8 (`gc.callbacks` timing each collection, a cgroup counting the run; this machine).
# Cycles are still collected. The servers the tests start in subprocesses keep the product's setting.
gc.set_threshold(10_000)

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this run."""
    name = f"test_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database with no schema at all, for migration tests, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"test_mig_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def new_database(like_url: str, tag: str, tmp_dir: Path) -> str:
    """An empty database on the same backend (and server) as ``like_url``."""
    url = make_url(like_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_dir / f'{tag}_{secrets.token_hex(4)}.sqlite3'}"
    return _create_postgresql(f"{tag}_{secrets.token_hex(4)}", url)


def copy_database(source_url: str, tag: str, tmp_dir: Path) -> str:
    """A new database holding a copy of ``source_url``, made by the backend itself.

    Why: loading fixtures such as the 1,151 demo responses costs seconds; a copy costs milliseconds
    (PostgreSQL clones a template database, SQLite copies a file), so each module can start from the
    same loaded state without sharing rows with other modules. The source must have no open connection.
    """
    url = make_url(source_url)
    if url.get_backend_name() == "sqlite":
        target = tmp_dir / f"{tag}_{secrets.token_hex(4)}.sqlite3"
        shutil.copyfile(str(url.database), target)
        return f"sqlite:///{target}"
    return _create_postgresql(f"{tag}_{secrets.token_hex(4)}", url, template=url.database)


def _create_postgresql(name: str, like: URL, template: str | None = None) -> str:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    clause = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    admin.dispose()
    return like.set(database=name).render_as_string(hide_password=False)


def drop_database(database_url: str) -> None:
    """Drop a PostgreSQL copy made by ``copy_database`` (a SQLite copy goes with its temp folder)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def table_names(url: str) -> set[str]:
    """Tables present in a database, read through the same engine setup the app uses."""
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'store.sqlite3'}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """Parametrises every dependent test over both backends, schema at head (via Alembic)."""
    url: str = request.getfixturevalue(f"{request.param}_database")
    migrate.upgrade(url)
    return url


# PostgreSQL: every sequence a test used starts at 1 again, in the same round trip as the deletes.
_RESET_USED_SEQUENCES = """DO $$ DECLARE used text; BEGIN
  FOR used IN SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)
              FROM pg_sequences WHERE last_value IS NOT NULL
  LOOP PERFORM setval(used::regclass, 1, false); END LOOP;
END $$"""
_emptying_engines: dict[str, Engine] = {}


def _empty_tables(engine_url: str) -> None:
    """Delete every row, children first, and start PostgreSQL's ids at 1 again.

    Why DELETE and not TRUNCATE: a test leaves a handful of rows, and TRUNCATE of all tables cost
    about 0.45 s on PostgreSQL (new files for every table) against 0.1 s for a DELETE per table,
    after each of several hundred tests. On PostgreSQL the deletes and the sequence reset go as one
    script over a connection kept for the run (one round trip instead of one per table, no new
    connection per test): about 15 ms instead of 200 ms on a loaded machine. Only the sequences a
    test used are reset, as RESTART IDENTITY did.
    """
    tables = list(reversed(Base.metadata.sorted_tables))
    if make_url(engine_url).get_backend_name() == "postgresql":
        engine = _emptying_engines.get(engine_url)
        if engine is None:  # pre-ping: a test may cut every connection (tests/cli/test_serve_chaos.py)
            engine = _emptying_engines[engine_url] = create_engine(
                engine_url, pool_size=1, pool_pre_ping=True
            )
        script = "; ".join(
            f"DELETE FROM {engine.dialect.identifier_preparer.format_table(t)}" for t in tables
        )
        with engine.begin() as connection:
            connection.exec_driver_sql(f"{script}; {_RESET_USED_SEQUENCES}")
        return
    engine = make_engine(engine_url)
    with engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on a migrated database, emptied after the test."""
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()
    _empty_tables(database_url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        {
            "DATABASE_URL": database_url,
            "SURVEY_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "test-secret-key-0123456789",
        }
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The real app under uvicorn in a thread, for browser tests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._app = ExitStack()

    def __enter__(self) -> LiveServer:
        import uvicorn

        from tests.app_pool import lent_app

        app = self._app.enter_context(lent_app(self.settings))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self._app.close()


@pytest.fixture
def live_server(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[LiveServer]:
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """One Playwright driver per run: the sync API refuses a second one while the first is alive."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Any) -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    instance = playwright_session.chromium.launch(
        executable_path=CHROMIUM, args=launch_args(playwright_session)
    )
    yield instance
    instance.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Collect once, then freeze what survives, before pytest's unraisable-exception check collects.

    That check (a cleanup run after this hook) calls ``gc.collect()`` five times so that garbage a
    finaliser leaves is found too; with the suite's modules loaded, each call walked the whole heap
    again: 1.7 s of CPU per process for ``pytest --co`` (of 8). The first collection here finds every
    cycle as the check's first one did; what finalisers then leave is new, not frozen, and is still
    found by the check's five.
    """
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The main process (not an xdist worker) drops the demo templates every worker copied from."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from tests.demo_template import drop_demo_templates

    drop_demo_templates(session.config._tmp_path_factory.getbasetemp())  # type: ignore[attr-defined]


# The slowest files, slowest first (junit sums of 2026-12-06 on two workers). ``scripts/test.sh`` runs
# ``--dist loadfile --no-loadscope-reorder``, so files go to the workers in collection order: starting
# the long ones first lets the short ones fill in at the end and both workers finish together (xdist's
# own order, most tests first, used to leave a two-test file of minutes for last).
SLOW_FILES_FIRST = (
    "tests/security/test_fuzz_api.py",
    "tests/analyst/test_browser.py",
    "tests/web/test_browser.py",
    "tests/cli/test_demo.py",
    "tests/analyst/test_cli.py",
    "tests/analyst/test_web.py",
    "tests/cli/test_form_import.py",
    "tests/cli/test_serve.py",
    "tests/field_app/test_pwa.py",
    "tests/ops/test_backup_cli.py",
    "tests/field_app/test_tablet_types.py",
    "tests/field_app/test_coordinator_demo.py",
    "tests/cli/test_serve_chaos.py",
    "tests/cli/test_bad_input.py",
    "tests/field_app/test_tablet_flow.py",
    "tests/field_app/test_api.py",
    "tests/openrosa/test_collect.py",
    "tests/field_app/test_supersede.py",
    "tests/field_app/test_tablet_account.py",
    "tests/cli/test_cli_bad_files.py",
    "tests/field_app/test_tablet_home.py",
    "tests/field_app/test_tablet_start.py",
    "tests/security/test_serve_key.py",
    "tests/field_app/test_pwa_i18n.py",
    "tests/ops/test_image_start.py",
    "tests/field_app/test_tablet_tabs.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Known slow files first, each file's tests kept in pytest's order (a stable sort)."""
    rank = {name: index for index, name in enumerate(SLOW_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
