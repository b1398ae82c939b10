"""Per-client rate limiting that never keeps an IP address.

Clients are told apart by a keyed hash of their address under a random salt that lives only in
this process's memory and is replaced every window; once replaced, yesterday's keys cannot be tied
back to anyone. Counts are kept for one window only. Each worker process counts on its own, which
is good enough to slow down a flood from one client without any shared state or storage.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` hits per client per ``window`` seconds (``limit`` 0 disables it)."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._salt = secrets.token_bytes(16)
        self._started = clock()
        self._counts: dict[str, int] = {}

    def _key(self, client: str) -> str:
        return hmac.new(self._salt, client.encode(), hashlib.sha256).hexdigest()[:24]

    def hit(self, client: str | None) -> bool:
        """Count one request; False when the client is over its limit for this window."""
        if self.limit <= 0:
            return True
        with self._lock:
            now = self._clock()
            if now - self._started >= self.window:
                # New window: forget every count and the salt they were keyed with.
                self._salt = secrets.token_bytes(16)
                self._started = now
                self._counts.clear()
            key = self._key(client or "unknown")
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key] <= self.limit

    def __len__(self) -> int:
        return len(self._counts)


def _limit_from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.isdigit() else default


# Form posts (pages of the questionnaire) and API submissions per client and minute.
# SURVEY_RATE_LIMIT=0 disables both (load tests from one address).
FORMS = RateLimiter(_limit_from_env("SURVEY_RATE_LIMIT", 120))
API = RateLimiter(_limit_from_env("SURVEY_RATE_LIMIT", 120))
