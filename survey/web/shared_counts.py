"""Counters of recent events per client or account, kept in memory the server's workers share.

``survey serve --workers N`` runs N processes. Had each its own counters, a client whose
connections the kernel spreads across them would get N times its limit: N times the password
guesses, N times the submissions. So the server's parent process makes one table per purpose
before it starts the workers and hands each worker the same memory (``attach``); a process run
on its own (tests, ``--workers 1``) makes the table for itself.

Nothing in a table names anyone. A key (``client:<address>``, ``account:<name>``) is turned into
a row number by a keyed hash whose secret never leaves memory, and a row holds bare counts, one
per time slot. Memory stays the same size whatever the number of clients. Two keys may fall on
one row; they then count together, which can only throttle early, never let anyone through.
With tens of thousands of rows that takes thousands of active keys at once to matter.

Time runs in slots (a window of 15 minutes in 15 slots of one minute): an event is forgotten when
its slot leaves the window, so up to one slot early, and a slot's column is wiped as it is reused.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import multiprocessing
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from multiprocessing.sharedctypes import RawArray
from typing import Any

DEFAULT_ROWS = 1 << 16


@dataclass(frozen=True)
class TableSpec:
    """What a table is: its window in slots and its number of rows (the memory follows)."""

    window: float
    slots: int
    rows: int = DEFAULT_ROWS

    @property
    def cells(self) -> int:
        """Slot stamps, then one column of counts per slot, then the in-flight count of each row."""
        return self.slots + self.slots * self.rows + self.rows


@dataclass(frozen=True)
class SharedTable:
    """The memory, lock and hash secret of one table, as the parent hands it to each worker."""

    spec: TableSpec
    cells: Any  # a multiprocessing RawArray of int64: picklable to spawned workers, no unlinking
    lock: Any  # a multiprocessing Lock: one for every process
    secret: bytes

    @classmethod
    def create(cls, spec: TableSpec) -> SharedTable:
        context = multiprocessing.get_context("spawn")
        return cls(spec, RawArray("q", spec.cells), context.Lock(), secrets.token_bytes(32))


class SlotCounts:
    """One table of counts; ``locked()`` around every read-then-write that must be atomic."""

    def __init__(
        self, spec: TableSpec, memory: SharedTable | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.spec = spec
        self._clock = clock
        self._slot_seconds = spec.window / spec.slots
        if memory is None:
            self._cells = memoryview(bytearray(8 * spec.cells)).cast("q")
            self._lock: AbstractContextManager[Any] = threading.Lock()
            self._secret = secrets.token_bytes(32)
        else:
            self._cells = memoryview(memory.cells).cast("B").cast("q")
            self._lock = memory.lock
            self._secret = memory.secret

    @property
    def nbytes(self) -> int:
        """The table's whole memory: fixed, however many clients it has counted."""
        return self._cells.nbytes

    def row(self, key: str) -> int:
        digest = hmac.new(self._secret, key.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big") % self.spec.rows

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
        live = [(self._cells[column], column) for column in range(slots)]
        return sorted((epoch, column) for epoch, column in live if 0 <= current - epoch < slots)

    def _count_index(self, column: int, row: int) -> int:
        return self.spec.slots + column * self.spec.rows + row

    def _pending_index(self, row: int) -> int:
        return self.spec.slots + self.spec.slots * self.spec.rows + row

    def add(self, row: int, now: float) -> None:
        """Count one event now (the lock is held)."""
        epoch = self._epoch(now)
        column = epoch % self.spec.slots
        if self._cells[column] != epoch:
            start = self._count_index(column, 0)
            self._cells[start : start + self.spec.rows] = _zeros(self.spec.rows)
            self._cells[column] = epoch
        self._cells[self._count_index(column, row)] += 1

    def counted(self, row: int, now: float) -> int:
        """Events of the window plus those in flight (the lock is held)."""
        recent = sum(self._cells[self._count_index(column, row)] for _, column in self._live(now))
        return recent + self._cells[self._pending_index(row)]

    def seconds_until_below(self, row: int, now: float, limit: int) -> float:
        """How long until the row counts fewer than ``limit``, as its oldest slots leave the window.

        One second when only events in flight hold it: those end within seconds (the lock is held).
        """
        remaining = self.counted(row, now)
        for epoch, column in self._live(now):
            remaining -= self._cells[self._count_index(column, row)]
            if remaining < limit:
                return max(1.0, (epoch + self.spec.slots) * self._slot_seconds - now)
        return 1.0

    def hold(self, row: int, change: int) -> None:
        """Count an event in flight (+1) or its end (-1) (the lock is held)."""
        self._cells[self._pending_index(row)] += change

    def clear(self, row: int) -> None:
        """Forget every event of the row (the lock is held); events in flight stay counted."""
        for column in range(self.spec.slots):
            self._cells[self._count_index(column, row)] = 0


_ZEROS: dict[int, memoryview] = {}


def _zeros(length: int) -> memoryview:
    if length not in _ZEROS:
        _ZEROS[length] = memoryview(bytearray(8 * length)).cast("q")
    return _ZEROS[length]


LOGINS = "logins"
REQUESTS = "requests"

# Failed sign-ins: 15 minutes in one-minute slots. Form posts and API submissions: one minute in
# ten-second slots. Every login form and both request limiters share their table, keys apart.
SPECS = {
    LOGINS: TableSpec(window=15 * 60, slots=15, rows=1 << 14),
    REQUESTS: TableSpec(window=60, slots=6),
}

_attached: dict[str, SharedTable] = {}


def create_shared() -> dict[str, SharedTable]:
    """Every table in memory that spawned workers can share (the server's parent calls this)."""
    return {name: SharedTable.create(spec) for name, spec in SPECS.items()}


def attach(memories: dict[str, SharedTable]) -> None:
    """Make this process count in the parent's tables (a worker calls this before building the app)."""
    _attached.update(memories)


def table(name: str) -> SlotCounts:
    """A view of the server's shared table of that name, or, in a process of its own, a new table.

    New rather than cached: each app built in one process (the tests build hundreds) counts apart.
    """
    return SlotCounts(SPECS[name], _attached.get(name))
