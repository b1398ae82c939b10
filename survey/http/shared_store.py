"""Redis, when ``REDIS_URL`` is set: rate limits, sign-in throttles and staff sessions shared by servers.

Why: the workers of one ``survey serve`` share memory, but several servers behind one proxy each
counted on their own, so a client got the limits once per server. With ``REDIS_URL`` every server
counts in, and reads sessions from, the same Redis. Without it, nothing here is used and the shared
memory of :mod:`survey.http.shared_counts` stays the default.

Nothing kept names anyone, as in memory: a count's key is an HMAC of ``client:<address>`` or
``account:<name>`` under a secret derived from ``SECRET_KEY`` (which the servers share), and a
session is kept under the SHA-256 of its random id. Every key expires with its window or session.

Counts live in one Redis key per key and time slot (epoch of wall-clock time, which servers share,
where the memory table uses the monotonic clock of one machine). A decision (count, then add) holds
a short Redis lock per table, so a burst spread over servers cannot slip past a limit between the
two steps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from sqlalchemy.orm import Session

from survey.http.shared_counts import Rows, TableSpec
from survey.settings import Settings

__all__ = ["RedisSessions", "RedisSlotCounts", "connect", "session_store"]

_PREFIX = "survey:"
_LOCK_SECONDS = 2.0
_COUNTS, _IN_FLIGHT = "n", "f"


def connect(url: str) -> redis.Redis:
    """A client with short timeouts: a Redis that does not answer fails a request, it does not hang it."""
    return redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0, health_check_interval=30)


def counts_secret(secret_key: str) -> bytes:
    """The counts' hash key, the same on every server given the same SECRET_KEY, never stored."""
    return hmac.new(secret_key.encode(), b"survey-shared-counts", hashlib.sha256).digest()


class RedisSlotCounts:
    """The table interface of :class:`survey.http.shared_counts.SlotCounts`, kept in Redis."""

    def __init__(self, spec: TableSpec, client: redis.Redis, secret: bytes, name: str) -> None:
        self.spec = spec
        self._redis = client
        self._secret = secret
        self._name = name
        self._slot_seconds = spec.window / spec.slots
        self._lock = client.lock(
            f"{_PREFIX}lock:{name}", timeout=_LOCK_SECONDS, sleep=0.001, blocking_timeout=5
        )

    def rows(self, key: str) -> Rows:
        """One row per key: a 128-bit keyed hash, so no two keys share counts and none can be read back."""
        digest = hmac.new(self._secret, key.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        return (int.from_bytes(digest[:16], "big"),)

    @contextmanager
    def locked(self) -> Iterator[float]:
        """Hold the table (across servers) for one decision; yields the wall-clock time to decide with."""
        if not self._lock.acquire(token=uuid.uuid4().hex.encode()):
            raise redis.exceptions.LockError(f"the {self._name} counts stayed locked")
        try:
            yield time.time()
        finally:
            with contextlib.suppress(redis.exceptions.LockNotOwnedError):
                self._lock.release()  # unless held past its timeout: another decision has it now

    def _epoch(self, now: float) -> int:
        return math.floor(now / self._slot_seconds)

    def _key(self, kind: str, row: int, epoch: int) -> str:
        return f"{_PREFIX}{self._name}:{kind}:{row:032x}:{epoch}"

    def _kinds(self) -> tuple[str, ...]:
        return (_COUNTS, _IN_FLIGHT) if self.spec.in_flight else (_COUNTS,)

    def _slots(self, row: int, now: float) -> list[tuple[int, int]]:
        """(epoch, count) of each live slot of the row, oldest first."""
        current = self._epoch(now)
        epochs = list(range(current - self.spec.slots + 1, current + 1))
        keys = [self._key(kind, row, epoch) for epoch in epochs for kind in self._kinds()]
        values = self._redis.mget(keys)
        per = len(self._kinds())
        return [
            (epoch, sum(int(v or 0) for v in values[i * per : (i + 1) * per]))
            for i, epoch in enumerate(epochs)
        ]

    def counted(self, rows: Rows, now: float) -> int:
        return min(sum(count for _, count in self._slots(row, now)) for row in rows)

    def _incr(self, kind: str, rows: Rows, epoch: int, by: int) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for row in rows:
            key = self._key(kind, row, epoch)
            pipe.incrby(key, by)
            pipe.expire(key, math.ceil(self.spec.window + self._slot_seconds))
        pipe.execute()

    def add(self, rows: Rows, now: float) -> None:
        self._incr(_COUNTS, rows, self._epoch(now), 1)

    def begin(self, rows: Rows, now: float) -> int:
        epoch = self._epoch(now)
        self._incr(_IN_FLIGHT, rows, epoch, 1)
        return epoch

    def end(self, rows: Rows, epoch: int) -> None:
        if self._epoch(time.time()) - epoch < self.spec.slots:
            self._incr(_IN_FLIGHT, rows, epoch, -1)

    def seconds_until_below(self, rows: Rows, now: float, limit: int) -> float:
        for row in rows:
            slots = self._slots(row, now)
            remaining = sum(count for _, count in slots)
            for epoch, count in slots:
                remaining -= count
                if remaining < limit:
                    return max(1.0, (epoch + self.spec.slots) * self._slot_seconds - now)
        return 1.0

    def clear(self, rows: Rows, now: float) -> None:
        """Forget the key's counted events; those in flight stay counted."""
        current = self._epoch(now)
        keys = [
            self._key(_COUNTS, row, e)
            for row in rows
            for e in range(current - self.spec.slots + 1, current + 1)
        ]
        self._redis.delete(*keys)


class RedisSessions:
    """Staff sessions in Redis: ``session:<hash>`` holds the account id until the session expires;
    ``user-sessions:<id>`` lists an account's hashes so a password or role change can end them all."""

    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def start(self, db: Session | None, user_id: int, digest: str, expires: dt.datetime) -> None:
        seconds = max(1, math.ceil((expires - dt.datetime.now(dt.UTC)).total_seconds()))
        pipe = self._redis.pipeline()
        pipe.set(f"{_PREFIX}session:{digest}", str(user_id), ex=seconds)
        pipe.sadd(f"{_PREFIX}user-sessions:{user_id}", digest)
        pipe.expire(f"{_PREFIX}user-sessions:{user_id}", seconds, gt=True)
        pipe.expire(f"{_PREFIX}user-sessions:{user_id}", seconds, nx=True)
        pipe.execute()

    def alive(self, db: Session | None, user_id: int, digest: str) -> bool:
        stored: Any = self._redis.get(f"{_PREFIX}session:{digest}")
        return stored is not None and int(stored) == user_id

    def end(self, db: Session | None, digest: str) -> None:
        stored: Any = self._redis.getdel(f"{_PREFIX}session:{digest}")
        if stored is not None:
            self._redis.srem(f"{_PREFIX}user-sessions:{int(stored)}", digest)

    def end_all(self, db: Session | None, user_id: int) -> None:
        members: Any = self._redis.smembers(f"{_PREFIX}user-sessions:{user_id}")
        keys = [f"{_PREFIX}session:{m.decode() if isinstance(m, bytes) else m}" for m in members]
        self._redis.delete(*keys, f"{_PREFIX}user-sessions:{user_id}")


def session_store(settings: Settings) -> RedisSessions | None:
    """The Redis session store when REDIS_URL is set; None means the database's table."""
    return RedisSessions(connect(settings.redis_url)) if settings.redis_url else None
