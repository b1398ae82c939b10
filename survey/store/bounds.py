"""What the store's columns can hold, checked where a value comes in.

Why: PostgreSQL refuses an id above 2**31 - 1, a NUL character in text or a timestamp before
year 1 with a database error, and inside a group commit that error would fail every response
written with it. Checked at the edge, each becomes a 4xx (or an item marked invalid) naming
its field, and nothing else is touched.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["MAX_ID", "has_nul", "id_in_range", "is_language_tag", "storable_time"]

MAX_ID = 2**31 - 1  # every id column is a PostgreSQL integer
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}")
_LANGUAGE_COLUMN = 16


def id_in_range(value: int) -> bool:
    return 1 <= value <= MAX_ID


def is_language_tag(text: str) -> bool:
    """``fr``, ``nl-BE``: a BCP 47 shape that fits the 16-character language column."""
    return len(text) <= _LANGUAGE_COLUMN and _LANGUAGE_TAG.fullmatch(text) is not None


def storable_time(value: dt.datetime | None) -> bool:
    """False only for a moment with no place on the UTC calendar (``0001-01-01T00:00+23:59``).

    A tablet whose clock battery died reports 1970: odd, but kept as sent, never a lost interview.
    """
    if value is None or value.tzinfo is None:
        return True
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        return False
    return True


def has_nul(text: str | None) -> bool:
    return text is not None and "\x00" in text
