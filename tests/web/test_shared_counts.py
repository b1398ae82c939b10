"""Rate limits and login throttles count once per server, not once per worker process.

The table is checked on its own (slots, expiry, Retry-After in closed form, a spawned process
writing into the same memory), then through ``survey serve --workers 2``, where the kernel spreads
connections across both workers and a client must still get its limit exactly once.
"""

from __future__ import annotations

import base64
import multiprocessing
import uuid
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services.users import UserService
from survey.web.login_throttle import MAX_PER_ACCOUNT, LoginLimiter, TooManyAttempts
from survey.web.ratelimit import RateLimiter
from survey.web.shared_counts import SharedTable, SlotCounts, TableSpec
from tests.factories import valid_answers
from tests.served import post_json, status_of, survey_serve

SPEC = TableSpec(window=60, slots=6, rows=1024)


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
    with pytest.raises(TooManyAttempts) as refused:
        tablets.check("ana", "10.0.0.1")
    assert (
        840 <= int(refused.value.retry_after) <= 900
    )  # the first failure leaves the window in 14-15 minutes


def _add_admin(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        UserService(session).create("boss", "right-password", Role.ADMIN, actor="test")


def _basic(password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"boss:{password}".encode()).decode()}


def test_two_workers_give_a_client_its_limits_once(tmp_path: Path) -> None:
    with survey_serve(tmp_path, rate_limit=5, prepare=_add_admin) as served:
        submissions = []
        for _ in range(12):  # urllib opens a new connection for each: the kernel spreads them
            body = {"uuid": str(uuid.uuid4()), "version_id": served.version_id, "language": "fr",
                    "answers": valid_answers()}  # fmt: skip
            submissions.append(post_json(served.base + served.responses_path, body))
        # Counted per worker, about ten would get through.
        assert sorted(submissions) == [201] * 5 + [429] * 7, submissions
        devices = f"{served.base}/field/api/admin/devices"
        guesses = [
            status_of(devices, headers=_basic("wrong-password"), method="GET")
            for _ in range(MAX_PER_ACCOUNT + 3)
        ]
        assert guesses == [401] * MAX_PER_ACCOUNT + [429] * 3, guesses
        assert status_of(devices, headers=_basic("right-password"), method="GET") == 429  # the account waits
