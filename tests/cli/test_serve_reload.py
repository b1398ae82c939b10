"""Rolling restart: SIGHUP to ``survey serve --workers 2`` replaces every worker without refusing a request.

Clients post submissions without pause, each on a new connection and without any retry, while the
server reloads; a refused or reset connection, or any answer but 201, fails the test. Afterwards
every acknowledged response is stored exactly once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import func, select

from survey.store import migrate
from survey.store.db import make_engine, session_factory
from survey.store.models import Response
from tests.cli.test_serve import _workers_of
from tests.conftest import free_port
from tests.factories import valid_answers
from tests.served import SURVEY, Served, survey_serve

CLIENTS = 4


class _Stream:
    """Clients posting submissions until stopped; what each got back, and when."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.acknowledged: list[tuple[float, str]] = []
        self.failures: list[str] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client) for _ in range(CLIENTS)]

    def __enter__(self) -> _Stream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _client(self) -> None:
        while not self.stop.is_set():
            response_uuid = str(uuid.uuid4())
            payload = json.dumps({"uuid": response_uuid, "version_id": self.served.version_id,
                                  "language": "fr", "answers": valid_answers()}).encode()  # fmt: skip
            request = urllib.request.Request(
                self.served.base + self.served.responses_path,
                data=payload,
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as reply:  # a new connection each time
                    status = int(reply.status)
            except urllib.error.HTTPError as refused:
                status = refused.code
            except OSError as exc:  # refused, reset, closed without an answer: what must not happen
                with self._lock:
                    self.failures.append(f"{type(exc).__name__}: {exc}")
                continue
            with self._lock:
                if status == 201:
                    self.acknowledged.append((time.monotonic(), response_uuid))
                else:
                    self.failures.append(f"HTTP {status}")

    def count(self) -> int:
        with self._lock:
            return len(self.acknowledged)


def _wait(condition: object, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)  # watching other processes: there is no event to wait on


def test_sighup_replaces_every_worker_while_submissions_stream_in(tmp_path: Path) -> None:
    with survey_serve(tmp_path) as served, _Stream(served) as stream:
        old = _workers_of(served.process.pid)
        assert len(old) == 2, old
        _wait(lambda: stream.count() >= 20, "the stream never started")
        reload_began = time.monotonic()
        served.process.send_signal(signal.SIGHUP)
        # Done when two workers run and neither is an old one (the old ones have exited).
        _wait(lambda: (now := _workers_of(served.process.pid)) and len(now) == 2 and not now & old,
              "the workers were not all replaced")  # fmt: skip
        reload_ended = time.monotonic()
        settled = stream.count()
        _wait(lambda: stream.count() >= settled + 20, "the new workers answer nothing")
        assert served.process.poll() is None
    assert stream.failures == []
    during = [u for at, u in stream.acknowledged if reload_began <= at <= reload_ended]
    assert len(during) >= 10, f"only {len(during)} submissions acknowledged during the reload"

    acknowledged = {u for _, u in stream.acknowledged}
    assert len(acknowledged) == len(stream.acknowledged)
    engine = make_engine(served.url)
    with session_factory(engine)() as session:
        stored = session.scalars(select(Response.uuid)).all()
        twice = session.execute(
            select(Response.uuid, func.count()).group_by(Response.uuid).having(func.count() > 1)
        ).all()
    engine.dispose()
    assert twice == [], "a response was stored twice"
    assert set(stored) == acknowledged, "acknowledged and stored differ"


def test_one_worker_says_sighup_needs_more_workers_and_keeps_serving(tmp_path: Path) -> None:
    port = free_port()
    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    migrate.upgrade(url)
    server = subprocess.Popen(
        [*SURVEY, "serve", "--port", str(port), "--database-url", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}/health"), "the server never answered")
        server.send_signal(signal.SIGHUP)
        time.sleep(0.5)  # a process killed by the signal would be gone by now
        assert server.poll() is None
        assert _answers(f"http://127.0.0.1:{port}/health")
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "SIGHUP ignored: a rolling restart needs survey serve --workers 2 or more" in stderr


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return int(reply.status) == 200
    except OSError:
        return False
