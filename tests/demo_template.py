"""The demo loaded once per test run and backend, shared by every xdist worker, copied where it is used.

Why: ``load_demo`` stores 1,151 responses (about ten seconds on CI), and the analyst, planner and
operations tests each start from it. Each worker used to load it for each backend and each fixture
family; now the first worker that needs it loads it under a file lock, writes down where it is, and
every other module copies that database (milliseconds). The test run's main process drops the
PostgreSQL templates at the end (``drop_demo_templates``), after every worker is done with them.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from survey.store import migrate
from survey.store.db import make_engine, session_factory
from tests.conftest import copy_database, drop_database, new_database

DEMO_PASSWORD = "demo-pass-123"
FOLDER = "demo-templates"


def shared_folder(factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this run sees: the main process's base temp (a worker's is inside it)."""
    base = factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / FOLDER
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _locked(folder: Path, backend: str) -> Iterator[None]:
    with (folder / f"{backend}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def copy_demo(like_url: str, folder: Path, tag: str, tmp_dir: Path) -> str:
    """A new database holding the demo, on the backend of ``like_url``; the caller drops it."""
    from survey.demo.load import load_demo  # pyxform and the demo's loaders: only for the first copy

    backend = make_url(like_url).get_backend_name()
    with _locked(folder, backend):
        record = folder / f"{backend}.url"
        if not record.exists():
            template = new_database(like_url, "demo_tpl", folder)
            (folder / f"{backend}.made").write_text(template)  # dropped at the end even if loading fails
            migrate.upgrade(template)
            engine = make_engine(template)
            load_demo(session_factory(engine), password=DEMO_PASSWORD)
            engine.dispose()  # a PostgreSQL template must have no connection when it is copied
            record.write_text(template)
        return copy_database(record.read_text(), tag, tmp_dir)


def drop_demo_templates(base_temp: Path) -> None:
    """Drop the PostgreSQL templates this run made (SQLite ones go with the temp folder)."""
    for made in (base_temp / FOLDER).glob("*.made"):
        drop_database(made.read_text())
