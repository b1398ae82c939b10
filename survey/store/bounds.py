"""What the store's columns can hold, checked where a value comes in.

Why: PostgreSQL refuses an id above 2**31 - 1, a NUL character in text or a timestamp before
year 1 with a database error, and inside a group commit that error would fail every response
written with it. Checked at the edge, each becomes a 4xx (or an item marked invalid) naming
its field, and nothing else is touched.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["LANGUAGE_TAG", "MAX_ID", "has_nul", "id_in_range", "plausible_time"]

MAX_ID = 2**31 - 1  # every id column is a PostgreSQL integer
# Tablets with a wrong clock are tolerated; a date no device can have been set to is not.
_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}")  # fits the 16-character column


def id_in_range(value: int) -> bool:
    return 1 <= value <= MAX_ID


def plausible_time(value: dt.datetime | None) -> bool:
    """None, or a moment between 2000 and 2100 (a naive time is read as UTC)."""
    if value is None:
        return True
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    try:
        return _EARLIEST <= aware <= _LATEST
    except OverflowError:  # an offset that takes it below year 1
        return False


def has_nul(text: str | None) -> bool:
    return text is not None and "\x00" in text
