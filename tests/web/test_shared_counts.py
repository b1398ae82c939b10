"""Rate limits and login throttles count once per server, not once per worker process.

The table is checked on its own (slots, expiry, Retry-After in closed form, attempts in flight,
keys sharing a row, a spawned process writing into the same memory or dying with its lock), then through ``survey serve --workers 2``, where the kernel spreads
connections across both workers and a client must still get its limit exactly once.
"""

from __future__ import annotations

import base64
import multiprocessing
import os
import signal
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.http.login_throttle import MAX_PER_ACCOUNT, LoginLimiter, TooManyAttempts
from survey.http.ratelimit import RateLimiter, client_key
from survey.http.shared_counts import SharedTable, SlotCounts, TableSpec
from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services.users import UserService
from tests.factories import valid_answers
from tests.served import post_json, status_of, survey_serve

SPEC = TableSpec(window=60, slots=6, rows=1024, in_flight=True)


def test_counts_leave_slot_by_slot_and_retry_after_is_when_enough_have_left() -> None:
    now = [5.0]
    table = SlotCounts(SPEC, clock=lambda: now[0])
    rows = table.rows("client:10.0.0.1")
    with table.locked() as at:
        table.add(rows, at)  # second 5: slot 0 (0-10 s), forgotten at 60 s
    now[0] = 25.0
    with table.locked() as at:
        table.add(rows, at)  # second 25: slot 2, forgotten at 80 s
    now[0] = 30.0
    with table.locked() as at:
        assert table.counted(rows, at) == 2
        assert table.seconds_until_below(rows, at, limit=2) == 30.0  # slot 0 leaves at 60
        assert table.seconds_until_below(rows, at, limit=1) == 50.0  # both gone at 80
    now[0] = 60.0
    with table.locked() as at:
        assert table.counted(rows, at) == 1
    now[0] = 200.0  # every slot reused since: the old counts are wiped, not added to
    with table.locked() as at:
        table.add(rows, at)
        assert table.counted(rows, at) == 1


def test_an_attempt_in_flight_counts_until_it_ends_or_its_slot_leaves_the_window() -> None:
    now = [0.0]
    table = SlotCounts(SPEC, clock=lambda: now[0])
    rows = table.rows("account:ana")
    with table.locked() as at:
        ended, leaked = table.begin(rows, at), table.begin(rows, at)
        assert table.counted(rows, at) == 2
        table.end(rows, ended)
        assert table.counted(rows, at) == 1
    now[0] = 61.0  # the one never ended (its worker died) is forgotten with the window
    with table.locked() as at:
        assert table.counted(rows, at) == 0
        table.end(rows, leaked)  # ending it late takes nothing from the counts of now
        table.add(rows, at)
        assert table.counted(rows, at) == 1


def _sharing_one_row(table: SlotCounts) -> tuple[str, str]:
    """Two keys with one row in common and one apart."""
    first = "account:first"
    mine = set(table.rows(first))
    for i in range(100_000):
        other = f"account:other{i}"
        theirs = set(table.rows(other))
        if len(mine) == len(theirs) == 2 and len(mine & theirs) == 1:
            return first, other
    raise AssertionError("no key shares exactly one row")


def test_a_key_sharing_one_row_with_another_is_not_counted_for_it() -> None:
    table = SlotCounts(TableSpec(window=60, slots=6, rows=64))
    busy, quiet = _sharing_one_row(table)
    with table.locked() as now:
        for _ in range(5):
            table.add(table.rows(busy), now)
        table.add(table.rows(quiet), now)
        assert table.counted(table.rows(busy), now) == 5
        assert table.counted(table.rows(quiet), now) == 1  # the smaller of its rows: its own
        table.clear(table.rows(quiet), now)
        assert table.counted(table.rows(quiet), now) == 0
        assert table.counted(table.rows(busy), now) == 5  # clearing one key leaves the other's count


def test_a_key_has_two_distinct_rows_so_each_event_counts_once() -> None:
    """With both rows taken from the hash alone, one key in ``rows`` landed twice on one row, counted every
    event twice and was refused at half its limit (seen as a flaky test of a limit of 4)."""
    table = SlotCounts(TableSpec(window=60, slots=6, rows=2))  # two rows: a coincidence every other key
    keys = [f"api:10.0.0.{n}" for n in range(64)]
    assert all(len(set(table.rows(key))) == 2 for key in keys)
    with table.locked() as now:
        for key in keys[:8]:
            table.add(table.rows(key), now)
        assert table.counted(table.rows(keys[0]), now) == 8  # every key on both rows: 8 events, not 16


def test_rows_are_keyed_by_a_secret_of_the_table() -> None:
    one, other = SlotCounts(SPEC), SlotCounts(SPEC)
    keys = [f"client:10.0.{i // 256}.{i % 256}" for i in range(200)]
    assert [one.rows(key) for key in keys] != [other.rows(key) for key in keys]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::7", "2001:db8:1:2::/64"),  # the same host taking a new address
        ("::ffff:203.0.113.9", "203.0.113.9"),
        (None, "unknown"),
        ("testclient", "testclient"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64_network(address: str | None, key: str) -> None:
    assert client_key(address) == key


def test_a_limiter_on_a_shared_table_refuses_a_window_of_its_own() -> None:
    with pytest.raises(ValueError, match="own window"):
        LoginLimiter(table=SlotCounts(SPEC), window=60)


def _count_three_times(memory: SharedTable) -> None:
    table = SlotCounts(memory.spec, memory)
    rows = table.rows("api:10.0.0.7")
    for _ in range(3):
        with table.locked() as now:
            table.add(rows, now)


def _die_holding_the_lock(memory: SharedTable) -> None:
    with SlotCounts(memory.spec, memory).locked():
        os.kill(os.getpid(), signal.SIGKILL)


def _run_in_spawned_process(target: Callable[[SharedTable], None], memory: SharedTable) -> int | None:
    child = multiprocessing.get_context("spawn").Process(target=target, args=(memory,))
    child.start()
    try:
        child.join(60)
        return child.exitcode
    finally:
        if child.is_alive():
            child.kill()


def test_a_spawned_process_counts_in_the_same_memory(tmp_path: Path) -> None:
    memory = SharedTable.create(SPEC, str(tmp_path))
    assert _run_in_spawned_process(_count_three_times, memory) == 0
    table = SlotCounts(SPEC, memory)
    limiter = RateLimiter(4, "api", lambda: table)
    assert limiter.hit("10.0.0.7")  # the fourth request of this client, three made by the other process
    assert not limiter.hit("10.0.0.7")
    assert limiter.hit("10.0.0.8")


def test_a_process_killed_holding_the_lock_does_not_freeze_the_others(tmp_path: Path) -> None:
    memory = SharedTable.create(SPEC, str(tmp_path))
    assert _run_in_spawned_process(_die_holding_the_lock, memory) == -signal.SIGKILL
    table = SlotCounts(SPEC, memory)
    taken = threading.Event()

    def take() -> None:
        with table.locked():
            taken.set()

    threading.Thread(target=take, daemon=True).start()  # a daemon: a frozen lock must not hang pytest
    assert taken.wait(10), "the lock of a dead process was never released"


def test_login_limiters_of_two_forms_in_one_table_count_apart() -> None:
    table = SlotCounts(TableSpec(window=900, slots=15, rows=1024, in_flight=True))
    tablets, analysts = LoginLimiter(table=table, form="field"), LoginLimiter(table=table, form="analyst")
    for _ in range(MAX_PER_ACCOUNT):
        tablets.failed("ana", "10.0.0.1")
    analysts.check("ana", "10.0.0.1")
    assert tablets.counts("ana", "10.0.0.1") == (MAX_PER_ACCOUNT, MAX_PER_ACCOUNT)
    assert analysts.counts("ana", "10.0.0.1") == (0, 0)
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
