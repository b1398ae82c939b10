"""``survey serve --workers N``: every worker has its own socket on the port and takes connections;
SIGTERM stops them all after they have written what they acknowledged."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

from survey.store.db import make_engine, session_factory
from survey.store.models import Response
from tests.conftest import free_port
from tests.factories import valid_answers
from tests.served import SURVEY, Served, get_json, post_json, survey_serve


def _payload(served: Served) -> dict[str, object]:
    return {
        "uuid": str(uuid.uuid4()),
        "version_id": served.version_id,
        "language": "fr",
        "answers": valid_answers(),
    }


def _per_worker_responses(served: Served) -> set[int]:
    """Each worker reports its own count; thirty new connections reach both."""
    return {get_json(f"{served.base}/health")["submissions"]["responses"] for _ in range(30)}


def test_workers_share_the_port_and_stop_on_sigterm(tmp_path: Path) -> None:
    with survey_serve(tmp_path) as served:
        sent = 30
        for _ in range(sent):  # urllib opens a new connection for each request
            assert post_json(served.base + served.responses_path, _payload(served)) == 201
        seen = _per_worker_responses(served)
        assert sum(seen) == sent or seen == {sent // 2}, seen
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=30) == 0
        with socket.socket() as probe:  # no worker still listens (closed connections may linger)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", served.port))
    engine = make_engine(served.url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == sent
    engine.dispose()


def test_keep_alive_clients_connecting_at_ready_are_spread_over_both_workers(tmp_path: Path) -> None:
    """Connections made the moment the server says ready reach both workers, not the first to start."""
    with survey_serve(tmp_path) as served:
        connections = [http.client.HTTPConnection("127.0.0.1", served.port, timeout=10) for _ in range(20)]
        for connection in connections:
            connection.connect()  # all open before any request: a pool warming up
        for connection in connections:
            connection.request("POST", served.responses_path, json.dumps(_payload(served)),
                               {"Content-Type": "application/json"})  # fmt: skip
            assert connection.getresponse().status == 201
            connection.close()
        per_worker = _per_worker_responses(served)
        assert 0 not in per_worker, per_worker  # both workers stored some
        assert sum(per_worker) == 20 or per_worker == {10}, per_worker


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


def test_a_worker_that_cannot_start_ends_the_server_with_one_line_and_exit_1(tmp_path: Path) -> None:
    done = subprocess.run(
        [*SURVEY, "serve", "--workers", "2", "--port", str(free_port()), "--database-url", "postgresql+nosuchdriver://x/y"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "a worker could not build the app: Can't load plugin" in done.stderr
    assert "a worker exited during start-up (code 1)" in done.stderr
    assert "Traceback" not in done.stderr


def _workers_of(pid: int) -> set[int]:
    """The worker processes of a server (read from /proc: the tests run on Linux)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended while we looked
        if parent == pid and b"spawn_main" in command:
            found.add(int(stat.parent.name))
    return found


def test_a_worker_killed_later_is_replaced_and_the_server_keeps_answering(tmp_path: Path) -> None:
    with survey_serve(tmp_path) as served:
        workers = _workers_of(served.process.pid)
        assert len(workers) == 2, workers
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        now = workers
        while time.monotonic() < deadline:
            now = _workers_of(served.process.pid)
            if len(now) == 2 and victim not in now:
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"the killed worker was not replaced: {now}")
        for _ in range(20):  # new connections reach the survivor, and the replacement once it listens
            assert post_json(served.base + served.responses_path, _payload(served)) == 201
        assert served.process.poll() is None
