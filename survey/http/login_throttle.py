"""Throttle password logins: failed attempts per account and per client, in memory, short-lived.

Every password form (the tablets', the coordinators', the analysts') can be reached by a
stranger with a stolen tablet or a script, so failures are counted per account (guessing one
password) and per client (trying many accounts); each form counts apart. The counts live in a
table the server's workers share (``shared_counts``): a client gets five guesses at an account,
not five per worker. Nothing kept names anyone: keys are hashed to rows of bare counts under a
secret made at start-up, and counts leave after the window. Memory-only is deliberate: a restart
forgets, which costs an attacker nothing they could not get by waiting, and no IP ever reaches the
database.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from anyio import to_thread
from litestar import Request
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS
from sqlalchemy.orm import Session

from survey.http import shared_counts
from survey.http.ratelimit import client_address, client_key
from survey.http.shared_counts import LOGINS, SPECS, CountTable, Rows, SlotCounts
from survey.store.errors import AuthError
from survey.store.models import User
from survey.store.services.users import UserService

WINDOW_SECONDS = SPECS[LOGINS].window
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


class LoginLimiter:
    """Failed logins per account and per client over a sliding window, for one login form.

    The app passes the server's shared ``table`` and the form's name as ``form``. Without a
    table the limiter counts in one of its own, over ``window`` seconds read on ``clock`` (tests).
    """

    def __init__(
        self,
        *,
        per_account: int = MAX_PER_ACCOUNT,
        per_client: int = MAX_PER_CLIENT,
        table: CountTable | None = None,
        form: str = "",
        window: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if table is not None and (window is not None or clock is not None):
            raise ValueError("a shared table has its own window and clock")
        self.per_account = per_account
        self.per_client = per_client
        self.form = form
        spec = SPECS[LOGINS] if window is None else dataclasses.replace(SPECS[LOGINS], window=window)
        self.table: CountTable = table or SlotCounts(spec, clock=clock or time.monotonic)

    def _account_rows(self, username: str) -> Rows:
        return self.table.rows(f"{self.form}:account:{username.strip().lower()}")

    def _keys(self, username: str, address: str) -> list[tuple[Rows, int]]:
        return [
            (self._account_rows(username), self.per_account),
            (self.table.rows(f"{self.form}:client:{client_key(address)}"), self.per_client),
        ]

    def counts(self, username: str, address: str) -> tuple[int, int]:
        """Failures (and attempts in flight) counted now against the account and the client."""
        keys = self._keys(username, address)
        with self.table.locked() as now:
            account, client = (self.table.counted(rows, now) for rows, _ in keys)
        return account, client

    def check(self, username: str, address: str) -> None:
        """Raise TooManyAttempts while either counter is full; nothing is checked against the password."""
        keys = self._keys(username, address)
        with self.table.locked() as now:
            self._refuse_when_full(keys, now)

    @contextmanager
    def attempt(self, username: str, address: str) -> Iterator[None]:
        """Hold a place while one password is checked; an AuthError inside counts as a failure.

        Attempts in flight count against the limits as if they had failed, so a burst of parallel
        guesses cannot all pass the check before the first one is counted.
        """
        keys = self._keys(username, address)
        with self.table.locked() as now:
            self._refuse_when_full(keys, now)
            slots = [self.table.begin(rows, now) for rows, _ in keys]
        try:
            yield
        except AuthError:
            self.failed(username, address)
            raise
        else:
            self.succeeded(username)
        finally:
            with self.table.locked():
                for (rows, _), slot in zip(keys, slots, strict=True):
                    self.table.end(rows, slot)

    def _refuse_when_full(self, keys: list[tuple[Rows, int]], now: float) -> None:
        waits = [
            self.table.seconds_until_below(rows, now, limit)
            for rows, limit in keys
            if self.table.counted(rows, now) >= limit
        ]
        if waits:
            seconds = math.ceil(max(waits))
            raise TooManyAttempts(
                detail=f"Too many failed login attempts. Wait {_whole_minutes(seconds)} minute(s) before "
                "trying again, or ask your supervisor to check the account.",
                headers={"Retry-After": str(seconds)},
            )

    def failed(self, username: str, address: str) -> None:
        """Count one failed attempt against the account and the client."""
        keys = self._keys(username, address)
        with self.table.locked() as now:
            for rows, _ in keys:
                self.table.add(rows, now)

    def succeeded(self, username: str) -> None:
        """A right password clears the account's count (not the client's: it may be trying others)."""
        rows = self._account_rows(username)
        with self.table.locked() as now:
            self.table.clear(rows, now)


def limiter_of(request: Request[Any, Any, Any], key: str) -> LoginLimiter:
    """The limiter of one login form, made on the app's first use, counting in the server's table."""
    state = request.app.state
    limiter = state.get(key)
    if limiter is None:
        limiter = state[key] = LoginLimiter(table=shared_counts.table(LOGINS), form=key)
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
