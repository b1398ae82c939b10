"""Acknowledged means stored, whatever happens to the server meanwhile.

A stream of submissions runs against the real ``survey serve --workers 2`` while a worker is killed
with SIGKILL and, on PostgreSQL, every database connection of the server is cut (what a database
restart does to it). Clients retry what was not acknowledged with the same UUID, as the citizen
pages and tablets do. Afterwards every acknowledged response is stored exactly once and nothing
that was never acknowledged came in twice.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from survey.store.db import make_engine, session_factory
from survey.store.models import Response
from tests.cli.test_serve import _workers_of
from tests.conftest import BACKENDS, POSTGRES_URL, drop_database, new_database
from tests.factories import valid_answers
from tests.served import Served, survey_serve

CLIENTS = 6
PER_CLIENT = 25


@pytest.fixture(params=BACKENDS)
def served_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for the server under test, on each backend."""
    like = f"sqlite:///{tmp_path / 'x.sqlite3'}" if request.param == "sqlite" else POSTGRES_URL
    url = new_database(like, "chaos", tmp_path)
    yield url
    drop_database(url)


def _submit_until_acknowledged(served: Served, payload: bytes, deadline: float) -> int:
    """Post one response until the server acknowledges it; the UUID stays the same on every retry."""
    request = urllib.request.Request(
        served.base + served.responses_path, data=payload, headers={"Content-Type": "application/json"}
    )
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return int(reply.status)
        except urllib.error.HTTPError as refused:
            if refused.code < 500:
                return refused.code  # a refusal is an answer too: the test then fails on it
        except OSError:
            pass  # connection reset by the killed worker, or refused while it is replaced
        time.sleep(0.05)
    raise AssertionError("a response was never acknowledged")


def _cut_database_connections(database_url: str) -> int:
    """What a PostgreSQL restart does to the server: every connection it holds is closed under it."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        cut = connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": make_url(database_url).database},
        ).all()
    admin.dispose()
    return len(cut)


def test_acknowledged_equals_stored_through_a_killed_worker_and_lost_connections(served_store: str) -> None:
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    halfway = threading.Event()
    with survey_serve(Path(), database_url=served_store) as served:
        deadline = time.monotonic() + 240

        def client() -> None:
            for _ in range(PER_CLIENT):
                response_uuid = str(uuid.uuid4())
                payload = json.dumps({"uuid": response_uuid, "version_id": served.version_id,
                                      "language": "fr", "answers": valid_answers()}).encode()  # fmt: skip
                status = _submit_until_acknowledged(served, payload, deadline)
                with lock:
                    acknowledged[response_uuid] = status
                    if len(acknowledged) >= CLIENTS * PER_CLIENT // 3:
                        halfway.set()

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        assert halfway.wait(timeout=120), "the stream never got a third of the way"
        workers = _workers_of(served.process.pid)
        assert len(workers) == 2, workers
        os.kill(min(workers), signal.SIGKILL)
        if make_url(served_store).get_backend_name() == "postgresql":
            assert _cut_database_connections(served_store) > 0
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads)
        assert served.process.poll() is None, "the server itself must survive a worker's death"

    assert len(acknowledged) == CLIENTS * PER_CLIENT
    assert set(acknowledged.values()) <= {200, 201}, acknowledged
    engine = make_engine(served_store)
    with session_factory(engine)() as session:
        stored = session.scalars(select(Response.uuid)).all()
        per_uuid = session.execute(
            select(Response.uuid, func.count()).group_by(Response.uuid).having(func.count() > 1)
        ).all()
    engine.dispose()
    assert per_uuid == [], "a response was stored twice"
    assert set(stored) == set(acknowledged), "acknowledged and stored differ"
