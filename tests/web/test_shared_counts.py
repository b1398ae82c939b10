"""Rate limits and login throttles count once per server, not once per worker process.

The table is checked on its own (slots, expiry, Retry-After in closed form, a spawned process
writing into the same memory), then through ``survey serve --workers 2``, where the kernel spreads
connections across both workers and a client must still get its limit exactly once.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from survey.store import migrate
from survey.store.db import make_engine, session_factory, transaction
from survey.store.models import Role
from survey.store.services.users import UserService
from survey.web.login_throttle import MAX_PER_ACCOUNT, LoginLimiter, TooManyAttempts
from survey.web.ratelimit import RateLimiter
from survey.web.shared_counts import SharedTable, SlotCounts, TableSpec
from tests.cli.test_serve import _wait_healthy
from tests.conftest import free_port
from tests.factories import valid_answers
from tests.web.conftest import SLUG, store_consultation

SPEC = TableSpec(window=60, slots=6, rows=1024)
SURVEY = [sys.executable, "-m", "survey"]


def test_counts_leave_slot_by_slot_and_retry_after_is_when_enough_have_left() -> None:
    now = [5.0]
    table = SlotCounts(SPEC, clock=lambda: now[0])
    row = table.row("client:10.0.0.1")
    with table.locked() as at:
        table.add(row, at)  # second 5: slot 0 (0-10 s), forgotten at 60 s
    now[0] = 25.0
    with table.locked() as at:
        table.add(row, at)  # second 25: slot 2, forgotten at 80 s
    now[0] = 30.0
    with table.locked() as at:
        assert table.counted(row, at) == 2
        assert table.seconds_until_below(row, at, limit=2) == 30.0  # slot 0 leaves at 60
        assert table.seconds_until_below(row, at, limit=1) == 50.0  # both gone at 80
        table.hold(row, +1)
        assert table.counted(row, at) == 3
        assert table.seconds_until_below(row, at, limit=1) == 1.0  # only the attempt in flight remains
        table.hold(row, -1)
    now[0] = 60.0
    with table.locked() as at:
        assert table.counted(row, at) == 1
    now[0] = 200.0  # every slot reused since: the old counts are wiped, not added to
    with table.locked() as at:
        table.add(row, at)
        assert table.counted(row, at) == 1


def test_rows_are_keyed_by_a_secret_of_the_table() -> None:
    one, other = SlotCounts(SPEC), SlotCounts(SPEC)
    keys = [f"client:10.0.{i // 256}.{i % 256}" for i in range(200)]
    assert [one.row(key) for key in keys] != [other.row(key) for key in keys]


def _count_three_times(memory: SharedTable) -> None:
    table = SlotCounts(memory.spec, memory)
    row = table.row("api:10.0.0.7")
    for _ in range(3):
        with table.locked() as now:
            table.add(row, now)


def test_a_spawned_process_counts_in_the_same_memory() -> None:
    memory = SharedTable.create(SPEC)
    child = multiprocessing.get_context("spawn").Process(target=_count_three_times, args=(memory,))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    table = SlotCounts(SPEC, memory)
    limiter = RateLimiter(4, "api", lambda: table)
    assert limiter.hit("10.0.0.7")  # the fourth request of this client, three made by the other process
    assert not limiter.hit("10.0.0.7")
    assert limiter.hit("10.0.0.8")


def test_login_limiters_of_two_forms_in_one_table_count_apart() -> None:
    table = SlotCounts(TableSpec(window=900, slots=15, rows=1024))
    tablets, analysts = LoginLimiter(table=table, form="field"), LoginLimiter(table=table, form="analyst")
    for _ in range(MAX_PER_ACCOUNT):
        tablets.failed("ana", "10.0.0.1")
    analysts.check("ana", "10.0.0.1")
    try:
        tablets.check("ana", "10.0.0.1")
        raise AssertionError("expected the tablet form to be throttled")
    except TooManyAttempts as refused:
        assert 840 <= int(refused.retry_after) <= 900  # the first failure leaves the window in 14-15 minutes


def _post(url: str, body: bytes, headers: dict[str, str], method: str = "POST") -> int:
    request = urllib.request.Request(url, data=body or None, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # a new connection each time
            return int(reply.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def test_two_workers_give_a_client_its_limits_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    version_id = store_consultation(sessions).id
    with transaction(sessions) as session:
        UserService(session).create("boss", "right-password", Role.ADMIN, actor="test")
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*SURVEY, "serve", "--workers", "2", "--port", str(port), "--database-url", url],
        env={**os.environ, "SURVEY_RATE_LIMIT": "5"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_healthy(base, server)
        submissions = []
        for _ in range(12):
            body = {
                "uuid": str(uuid.uuid4()),
                "version_id": version_id,
                "language": "fr",
                "answers": valid_answers(),
            }
            submissions.append(
                _post(f"{base}/api/consultations/{SLUG}/responses", json.dumps(body).encode(),
                      {"Content-Type": "application/json"})
            )  # fmt: skip
        # Counted per worker, about ten would get through: the kernel spreads the connections.
        assert sorted(submissions) == [201] * 5 + [429] * 7, submissions
        wrong = {"Authorization": "Basic " + base64.b64encode(b"boss:wrong-password").decode()}
        right = {"Authorization": "Basic " + base64.b64encode(b"boss:right-password").decode()}
        guesses = [
            _post(f"{base}/field/api/admin/devices", b"", wrong, "GET") for _ in range(MAX_PER_ACCOUNT + 3)
        ]
        assert guesses == [401] * MAX_PER_ACCOUNT + [429] * 3, guesses
        assert _post(f"{base}/field/api/admin/devices", b"", right, "GET") == 429  # the account waits
    finally:
        server.terminate()
        server.wait(30)
