"""Per-client rate limiting that never keeps an IP address.

A client's address becomes rows of a count table under a keyed hash (``shared_counts``): the
table holds bare counts for one minute, in ten-second slots, and the workers of one server count
in the same table, so a client gets its limit once, not once per worker.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from litestar.connection import ASGIConnection

from survey.http import shared_counts
from survey.http.shared_counts import REQUESTS, SPECS, CountTable, SlotCounts


def _own_table() -> SlotCounts:
    return SlotCounts(SPECS[REQUESTS])


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The address a limiter keys a client on (hashed there, never kept as it is)."""
    return connection.client.host if connection.client else "unknown"


def client_key(address: str | None) -> str:
    """What a client is counted as: its address, or for IPv6 its /64 network.

    One IPv6 host usually holds a whole /64 and can take a new address for every request.
    """
    if not address:
        return "unknown"
    if ":" not in address:
        return address  # IPv4 (or a test client's name): nothing to parse on the common path
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an IP (a test client, a Unix socket): counted as it is
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        prefix = parsed.packed[:8]
        return ":".join(f"{int.from_bytes(prefix[i : i + 2], 'big'):x}" for i in range(0, 8, 2)) + "::/64"
    return str(parsed)


class RateLimiter:
    """At most ``limit`` hits per client in the last minute (``limit`` 0 disables it).

    ``purpose`` keeps limiters that share a table apart; the table is made on first use, so a
    worker attaches to the server's shared memory before any limiter picks its table.
    """

    def __init__(
        self, limit: int, purpose: str = "requests", table: Callable[[], CountTable] = _own_table
    ) -> None:
        self.limit = limit
        self.purpose = purpose
        self._make_table = table
        self._table: CountTable | None = None
        self._making = threading.Lock()

    @property
    def table(self) -> CountTable:
        if self._table is None:
            with self._making:
                if self._table is None:
                    self._table = self._make_table()
        return self._table

    def hit(self, client: str | None) -> bool:
        """Count one request; False (and not counted) when the client has used up its limit."""
        if self.limit <= 0:
            return True
        table = self.table
        rows = table.rows(f"{self.purpose}:{client_key(client)}")
        with table.locked() as now:
            if table.counted(rows, now) >= self.limit:
                return False
            table.add(rows, now)
            return True


def _limit_from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.isdigit() else default


# Form posts (pages of the questionnaire) and API submissions per client and minute.
# SURVEY_RATE_LIMIT=0 disables both (load tests from one address).
FORMS = RateLimiter(
    _limit_from_env("SURVEY_RATE_LIMIT", 120), "forms", partial(shared_counts.table, REQUESTS)
)
API = RateLimiter(_limit_from_env("SURVEY_RATE_LIMIT", 120), "api", partial(shared_counts.table, REQUESTS))
