"""``survey serve --workers N``: every worker has its own socket on the port and takes connections;
SIGTERM stops them all after they have written what they acknowledged."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import func, select

from survey.store import migrate
from survey.store.db import make_engine, session_factory
from survey.store.models import Response
from tests.conftest import free_port
from tests.factories import valid_answers
from tests.web.conftest import SLUG, store_consultation

SURVEY = [sys.executable, "-m", "survey"]


def _get(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=5) as reply:
        return json.loads(reply.read())  # type: ignore[no-any-return]


def _post(url: str, payload: dict[str, object]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        return int(reply.status)


def _wait_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else "server exited"
        try:
            if _get(f"{base}/health")["status"] == "ok":
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not become healthy")


def test_workers_share_the_port_and_stop_on_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    version_id = store_consultation(session_factory(engine)).id
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*SURVEY, "serve", "--workers", "2", "--port", str(port), "--database-url", url],
        env={**os.environ, "SURVEY_RATE_LIMIT": "0"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_healthy(base, server)
        sent = 30
        for _ in range(sent):  # urllib opens a new connection for each request
            payload = {"uuid": str(uuid.uuid4()), "version_id": version_id, "language": "fr",
                       "answers": valid_answers()}  # fmt: skip
            assert _post(f"{base}/api/consultations/{SLUG}/responses", payload) == 201
        # Each worker reports its own count; over many connections both answer.
        seen = {_get(f"{base}/health")["submissions"]["responses"] for _ in range(30)}
        assert sum(seen) == sent or seen == {sent // 2}, seen
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        with socket.socket() as probe:  # no worker still listens (closed connections may linger)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
    finally:
        if server.poll() is None:
            server.kill()
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == sent
    engine.dispose()


def _wait_ready_line(server: subprocess.Popen[str], timeout: float = 120) -> None:
    """Read the server's output until it says every worker listens."""
    assert server.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        assert line, "the server exited before its workers listened"
        if line.startswith("ready:"):
            assert line.strip() == "ready: 2 workers listening"
            return
    raise AssertionError("no 'ready:' line")


def test_keep_alive_clients_connecting_at_ready_are_spread_over_both_workers(tmp_path: Path) -> None:
    """Connections made the moment the server says ready reach both workers, not the first to start."""
    url = f"sqlite:///{tmp_path / 'ready.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    version_id = store_consultation(session_factory(engine)).id
    engine.dispose()
    port = free_port()
    server = subprocess.Popen(
        [*SURVEY, "serve", "--workers", "2", "--port", str(port), "--database-url", url],
        env={**os.environ, "SURVEY_RATE_LIMIT": "0"}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        _wait_ready_line(server)
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(20)]
        for connection in connections:
            connection.connect()  # all open before any request: a pool warming up
        for connection in connections:
            payload = {"uuid": str(uuid.uuid4()), "version_id": version_id, "language": "fr",
                       "answers": valid_answers()}  # fmt: skip
            connection.request("POST", f"/api/consultations/{SLUG}/responses", json.dumps(payload),
                               {"Content-Type": "application/json"})  # fmt: skip
            assert connection.getresponse().read() and connection.sock is not None
        for connection in connections:
            connection.close()
        per_worker = {_get(f"http://127.0.0.1:{port}/health")["submissions"]["responses"] for _ in range(30)}
        assert 0 not in per_worker, per_worker  # both workers stored some
        assert sum(per_worker) == 20 or per_worker == {10}, per_worker
    finally:
        server.terminate()
        server.wait(30)


def test_a_taken_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*SURVEY, "serve", "--workers", "2", "--port", str(port), "--database-url", f"sqlite:///{tmp_path / 'x.db'}"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
