"""``survey serve --workers 2`` in a subprocess on a fresh SQLite store, for tests of the real server.

What it adds over an in-process app: several worker processes behind one port, the kernel
spreading connections across them, and what they share (rate limits, login throttles).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from survey.store import migrate
from survey.store.db import make_engine, session_factory
from tests.conftest import free_port
from tests.web.conftest import SLUG, store_consultation

SURVEY = [sys.executable, "-m", "survey"]


@dataclass
class Served:
    """The running server: where it listens, the consultation's form version, its process."""

    url: str
    port: int
    version_id: int
    process: subprocess.Popen[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def responses_path(self) -> str:
        return f"/api/consultations/{SLUG}/responses"


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as reply:  # a new connection each time
        return json.loads(reply.read())


def status_of(
    url: str, body: bytes = b"", headers: dict[str, str] | None = None, method: str = "POST"
) -> int:
    """The HTTP status of one request on a new connection (an error status is returned, not raised)."""
    request = urllib.request.Request(url, data=body or None, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def post_json(url: str, payload: dict[str, object]) -> int:
    return status_of(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def _wait_ready_line(server: subprocess.Popen[str], workers: int, timeout: float = 120) -> None:
    """Read the server's output until it says every worker listens; fail at the deadline, never hang."""
    assert server.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = server.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            assert server.poll() is None, (
                f"the server exited (code {server.returncode}) before its workers listened"
            )
            continue
        if line.startswith("ready:"):
            assert line.strip() == f"ready: {workers} workers listening"
            return
    raise AssertionError(f"no 'ready:' line within {timeout:.0f} s")


@contextmanager
def survey_serve(
    tmp_path: Path,
    *,
    rate_limit: int = 0,
    workers: int = 2,
    prepare: Callable[[sessionmaker[Session]], None] | None = None,
    database_url: str | None = None,
) -> Iterator[Served]:
    """Migrate a store (a fresh SQLite file unless ``database_url`` names an empty database), add the
    demo consultation (and what ``prepare`` adds), serve it until the block ends."""
    url = database_url or f"sqlite:///{tmp_path / 'served.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    version_id = store_consultation(sessions).id
    if prepare is not None:
        prepare(sessions)
    engine.dispose()
    port = free_port()
    process = subprocess.Popen(
        [*SURVEY, "serve", "--workers", str(workers), "--port", str(port), "--database-url", url],
        env={**os.environ, "SURVEY_RATE_LIMIT": str(rate_limit)},
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        _wait_ready_line(process, workers)
        yield Served(url, port, version_id, process)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
