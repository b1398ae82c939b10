"""Throttle password logins: failed attempts per account and per client, in memory, short-lived.

Every password form (the tablets', the coordinators', the analysts') can be reached by a
stranger with a stolen tablet or a script, so failures are counted per account (guessing one
password) and per client (trying many accounts); each form keeps its own limiter. The client is never stored in clear: its address is keyed-hashed with a secret made
at start-up, so the map cannot be turned back into addresses, and every entry vanishes after the
window. Memory-only is deliberate: a restart forgets, which costs an attacker nothing they could
not get by waiting, and no IP ever reaches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from anyio import to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS
from sqlalchemy.orm import Session

from survey.store.errors import AuthError
from survey.store.models import User
from survey.store.services.users import UserService

WINDOW_SECONDS = 15 * 60
MAX_PER_ACCOUNT = 5
MAX_PER_CLIENT = 20


def _whole_minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


class TooManyAttempts(HTTPException):
    """429 with a Retry-After header and a sentence the person signing in can act on."""

    status_code = HTTP_429_TOO_MANY_REQUESTS
    error_code = "too_many_attempts"  # the field API's stable code (see field_app.errors)

    @property
    def retry_after(self) -> str:
        """Seconds until the oldest counted failure leaves the window (the Retry-After value)."""
        return (self.headers or {}).get("Retry-After", "60")

    @property
    def minutes(self) -> int:
        """The same wait in whole minutes, for a sentence a person reads."""
        return _whole_minutes(int(self.retry_after))


@dataclass
class LoginLimiter:
    """Sliding-window counters of failed logins; thread-safe (handlers run in worker threads)."""

    window: float = WINDOW_SECONDS
    per_account: int = MAX_PER_ACCOUNT
    per_client: int = MAX_PER_CLIENT
    clock: Callable[[], float] = time.monotonic
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _pending: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client_key(self, address: str) -> str:
        """What is kept of a client address: a keyed hash, useless without this process's secret."""
        return "client:" + hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:32]

    def _keys(self, username: str, address: str) -> list[tuple[str, int]]:
        return [
            ("account:" + username.strip().lower(), self.per_account),
            (self.client_key(address), self.per_client),
        ]

    def check(self, username: str, address: str) -> None:
        """Raise TooManyAttempts while either counter is full; nothing is checked against the password."""
        with self._lock:
            self._admit(self._keys(username, address))

    @contextmanager
    def attempt(self, username: str, address: str) -> Iterator[None]:
        """Hold a place while one password is checked; an AuthError inside counts as a failure.

        Attempts in flight count against the limits as if they had failed, so a burst of parallel
        guesses cannot all pass the check before the first one is counted.
        """
        keys = self._keys(username, address)
        with self._lock:
            self._admit(keys)
            for key, _ in keys:
                self._pending[key] = self._pending.get(key, 0) + 1
        try:
            yield
        except AuthError:
            self.failed(username, address)
            raise
        else:
            self.succeeded(username)
        finally:
            with self._lock:
                for key, _ in keys:
                    self._pending[key] -= 1
                    if not self._pending[key]:
                        del self._pending[key]

    def _admit(self, keys: list[tuple[str, int]]) -> None:
        """Forget what left the window, then refuse if a counter is full (the lock is held)."""
        now = self.clock()
        self._purge(now)
        self._refuse_when_full(keys, now)

    def _refuse_when_full(self, keys: list[tuple[str, int]], now: float) -> None:
        waits = []
        for key, limit in keys:
            failures = self._failures.get(key, ())
            if len(failures) + self._pending.get(key, 0) >= limit:
                waits.append(failures[0] + self.window - now if failures else 1.0)
        if waits:
            seconds = math.ceil(max(waits))
            raise TooManyAttempts(
                detail=f"Too many failed login attempts. Wait {_whole_minutes(seconds)} minute(s) before "
                "trying again, or ask your supervisor to check the account.",
                headers={"Retry-After": str(seconds)},
            )

    def failed(self, username: str, address: str) -> None:
        """Count one failed attempt against the account and the client."""
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(username, address):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str) -> None:
        """A right password clears the account's count (not the client's: it may be trying others)."""
        with self._lock:
            self._failures.pop("account:" + username.strip().lower(), None)

    def held_keys(self) -> list[str]:
        """The keys held now (for tests and debugging: they must never contain an address)."""
        with self._lock:
            return list(self._failures)

    def _purge(self, now: float) -> None:
        for key in list(self._failures):
            times = self._failures[key]
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._failures[key]


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The address a limiter keys a client on (hashed there, never kept as it is)."""
    return connection.client.host if connection.client else "unknown"


def limiter_of(request: Request[Any, Any, Any], key: str) -> LoginLimiter:
    """The limiter of one login form: one per application instance (so per worker), made on first use."""
    state = request.app.state
    limiter = state.get(key)
    if limiter is None:
        limiter = state[key] = LoginLimiter()
    return cast(LoginLimiter, limiter)


async def throttled_sign_in(
    request: Request[Any, Any, Any], key: str, session: Session, username: str, password: str
) -> User:
    """The account behind these credentials, failures counted in the ``key`` form's limiter.

    Raises TooManyAttempts while the account or the client is throttled (the password is then not
    even checked) and AuthError for a wrong one. scrypt runs in a thread: it takes tens of
    milliseconds that the event loop owes to other requests.
    """
    with limiter_of(request, key).attempt(username, client_address(request)):
        return await to_thread.run_sync(UserService(session).authenticate, username, password)
