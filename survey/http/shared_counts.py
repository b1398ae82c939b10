"""Counters of recent events per client or account, kept in memory the server's workers share.

``survey serve --workers N`` runs N processes. Had each its own counters, a client whose
connections the kernel spreads across them would get N times its limit: N times the password
guesses, N times the submissions. So the server's parent process makes one table per purpose
before it starts the workers and hands each worker the same memory (``attach``); a process run
on its own (tests, ``--workers 1``) makes its tables for itself.

Nothing in a table names anyone. A key (``client:<address>``, ``account:<name>``) is turned into
two row numbers by a keyed hash whose secret never leaves memory, and rows hold bare counts, one
per time slot. Memory stays the same size whatever the number of clients. A key's count is the
smaller of its two rows (a count-min sketch): another key adds to it only by sharing both rows,
so counts can run high, never low, and a stranger cannot fill a table cheaply: pushing most
accounts of the login table past their limit takes hundreds of thousands of failed sign-ins
within the window, each paying the full password hash (tens of milliseconds), while each client
gets twenty.

Time runs in slots (a window of 15 minutes in 15 slots of one minute): an event is forgotten when
its slot leaves the window, so up to one slot early, and a slot's column is wiped as it is reused.
Attempts in flight are counted in slots too, so one a dying worker never ends is forgotten with
the window instead of holding an account for good.

The lock is an ``flock`` on a file beside the memory: the kernel releases it when its holder
dies, so a worker killed mid-update cannot freeze the others.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import math
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.sharedctypes import RawArray
from typing import Any, Protocol

_COUNTS, _IN_FLIGHT = 0, 1

Rows = tuple[int, ...]


@dataclass(frozen=True)
class TableSpec:
    """What a table is: its window in slots, its rows, and whether it counts events in flight."""

    window: float
    slots: int
    rows: int = 1 << 16
    in_flight: bool = False

    @property
    def cells(self) -> int:
        """One column of counts per slot, and as many of events in flight when it has them."""
        return self.slots * self.rows * (2 if self.in_flight else 1)


@dataclass(frozen=True)
class SharedTable:
    """The memory, lock file and hash secret of one table, as the parent hands it to each worker."""

    spec: TableSpec
    stamps: Any  # RawArray of int64, one per slot: picklable to spawned workers, nothing to unlink
    cells: Any  # RawArray of int32
    lock_path: str
    secret: bytes

    @classmethod
    def create(cls, spec: TableSpec, lock_dir: str) -> SharedTable:
        handle, path = tempfile.mkstemp(prefix="counts-", suffix=".lock", dir=lock_dir)
        os.close(handle)
        return cls(spec, RawArray("q", spec.slots), RawArray("i", spec.cells), path, secrets.token_bytes(32))


class _ProcessLock:
    """Threads of this process queue on a thread lock, processes on an ``flock`` the kernel frees on death."""

    def __init__(self, path: str) -> None:
        self._threads = threading.Lock()
        self._fd = os.open(path, os.O_RDWR)

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *_: object) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()


class SlotCounts:
    """One table of counts; every read and write happens inside ``locked()``."""

    def __init__(
        self, spec: TableSpec, memory: SharedTable | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.spec = spec
        self._clock = clock
        self._slot_seconds = spec.window / spec.slots
        self._lock: Any
        if memory is None:
            self._stamps = memoryview(bytearray(8 * spec.slots)).cast("q")
            self._cells = memoryview(bytearray(4 * spec.cells)).cast("i")
            self._lock = threading.Lock()
            self._secret = secrets.token_bytes(32)
        else:
            self._stamps = memoryview(memory.stamps).cast("B").cast("q")
            self._cells = memoryview(memory.cells).cast("B").cast("i")
            self._lock = _ProcessLock(memory.lock_path)
            self._secret = memory.secret
        self._zeros = memoryview(bytearray(4 * spec.rows)).cast("i")

    def rows(self, key: str) -> Rows:
        """The key's rows: a keyed hash, so neither the key nor the address behind it can be read back."""
        digest = hmac.new(self._secret, key.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        first = int.from_bytes(digest[:8], "big") % self.spec.rows
        # the second row is never the first: a key hashed twice onto one row would count each event twice
        second = (first + 1 + int.from_bytes(digest[8:16], "big") % (self.spec.rows - 1)) % self.spec.rows
        return (first, second)

    @contextmanager
    def locked(self) -> Iterator[float]:
        """Hold the table for one decision; yields the time to decide with."""
        with self._lock:
            yield self._clock()

    def _epoch(self, now: float) -> int:
        return math.floor(now / self._slot_seconds)

    def _live(self, now: float) -> list[tuple[int, int]]:
        """(epoch, column) of every slot still inside the window at ``now``, oldest first."""
        current = self._epoch(now)
        slots = self.spec.slots
        return sorted(
            (self._stamps[column], column)
            for column in range(slots)
            if 0 <= current - self._stamps[column] < slots
        )

    def _index(self, kind: int, column: int, row: int) -> int:
        return (kind * self.spec.slots + column) * self.spec.rows + row

    def _kinds(self) -> range:
        return range(2 if self.spec.in_flight else 1)

    def _column_now(self, now: float) -> tuple[int, int]:
        """The (epoch, column) events of ``now`` go to, wiped first when it held an older slot."""
        epoch = self._epoch(now)
        column = epoch % self.spec.slots
        if self._stamps[column] != epoch:
            for kind in self._kinds():
                start = self._index(kind, column, 0)
                self._cells[start : start + self.spec.rows] = self._zeros
            self._stamps[column] = epoch
        return epoch, column

    def _slot_total(self, column: int, row: int) -> int:
        return sum(self._cells[self._index(kind, column, row)] for kind in self._kinds())

    def _totals(self, rows: Rows, live: list[tuple[int, int]]) -> dict[int, int]:
        return {row: sum(self._slot_total(column, row) for _, column in live) for row in rows}

    def counted(self, rows: Rows, now: float) -> int:
        """Events of the window, those in flight included (the lock is held)."""
        return min(self._totals(rows, self._live(now)).values())

    def add(self, rows: Rows, now: float) -> None:
        """Count one event now (the lock is held)."""
        _, column = self._column_now(now)
        for row in rows:
            self._cells[self._index(_COUNTS, column, row)] += 1

    def begin(self, rows: Rows, now: float) -> int:
        """Count an event in flight; returns the slot to ``end`` it in (the lock is held)."""
        epoch, column = self._column_now(now)
        for row in rows:
            self._cells[self._index(_IN_FLIGHT, column, row)] += 1
        return epoch

    def end(self, rows: Rows, epoch: int) -> None:
        """An event in flight is over; if its slot has left the window, it was forgotten already."""
        column = epoch % self.spec.slots
        if self._stamps[column] == epoch:
            for row in rows:
                self._cells[self._index(_IN_FLIGHT, column, row)] -= 1

    def seconds_until_below(self, rows: Rows, now: float, limit: int) -> float:
        """How long until the key counts fewer than ``limit``, as its oldest slots leave the window."""
        live = self._live(now)
        remaining = self._totals(rows, live)
        for epoch, column in live:
            for row in rows:
                remaining[row] -= self._slot_total(column, row)
            if min(remaining.values()) < limit:
                return max(1.0, (epoch + self.spec.slots) * self._slot_seconds - now)
        return 1.0

    def clear(self, rows: Rows, now: float) -> None:
        """Forget the key's events (the lock is held); events in flight stay counted.

        In each slot the key's own count is at most the smaller of its rows, and only that much
        is taken from each: what other keys sharing one row counted is left to them.
        """
        for _, column in self._live(now):
            cells = [self._index(_COUNTS, column, row) for row in rows]
            own = min(self._cells[cell] for cell in cells)
            for cell in set(cells):
                self._cells[cell] -= own


LOGINS = "logins"
REQUESTS = "requests"

# Failed sign-ins: 15 minutes in one-minute slots, with the attempts in flight. Form posts and API
# submissions: one minute in ten-second slots. Every login form shares its table, keys apart; so
# do the two request limiters.
SPECS = {
    LOGINS: TableSpec(window=15 * 60, slots=15, in_flight=True),
    REQUESTS: TableSpec(window=60, slots=6),
}

_attached: dict[str, SharedTable] = {}


class CountTable(Protocol):
    """What the limiters need of a table: :class:`SlotCounts` in memory, or Redis across servers."""

    spec: TableSpec

    def rows(self, key: str) -> Rows: ...
    def locked(self) -> contextlib.AbstractContextManager[float]: ...
    def counted(self, rows: Rows, now: float) -> int: ...
    def add(self, rows: Rows, now: float) -> None: ...
    def begin(self, rows: Rows, now: float) -> int: ...
    def end(self, rows: Rows, epoch: int) -> None: ...
    def seconds_until_below(self, rows: Rows, now: float, limit: int) -> float: ...
    def clear(self, rows: Rows, now: float) -> None: ...


_remote: Callable[[str], CountTable] | None = None


def use_remote(factory: Callable[[str], CountTable] | None) -> None:
    """Count in tables ``factory`` makes (Redis, with REDIS_URL) instead of memory; None goes back."""
    global _remote  # noqa: PLW0603 - one choice per process, made as the app is built
    _remote = factory


def create_shared(lock_dir: str) -> dict[str, SharedTable]:
    """Every table in memory that spawned workers can share (the server's parent calls this)."""
    return {name: SharedTable.create(spec, lock_dir) for name, spec in SPECS.items()}


def attach(memories: dict[str, SharedTable]) -> None:
    """Make this process count in the parent's tables (a worker calls this before building the app)."""
    _attached.update(memories)


def table(name: str) -> CountTable:
    """A view of the server's shared table of that name, or, in a process of its own, a new table.

    New rather than cached: each app built in one process (the tests build hundreds) has login
    limiters of its own; the request limiters, made once per process, keep theirs for good.
    """
    if _remote is not None:
        return _remote(name)
    return SlotCounts(SPECS[name], _attached.get(name))
