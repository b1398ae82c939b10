"""CSV as analysts save it: the separator a spreadsheet chose, and errors that name the line.

Why apart from :mod:`survey.tabular`: finding the separator and the first malformed line reads the
file as text with the standard library, which the columnar reader cannot tell us.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from pathlib import Path

import polars as pl

__all__ = ["SEPARATORS", "CsvError", "csv_separator", "read_csv"]

SEPARATORS = (",", ";", "\t")


class CsvError(ValueError):
    """What is wrong with a CSV file, in words for its author (the caller adds the path)."""


def csv_separator(path: Path) -> str:
    """The separator of the header line: comma, semicolon (French and Dutch spreadsheets) or tab.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
        >>> _ = p.write_text("sexe;poids\\nF;1,5\\n")
        >>> csv_separator(p)
        ';'
    """
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        header = fh.readline()
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(path: Path, categorical: Collection[str]) -> pl.DataFrame:
    """Every column as text, an empty cell as missing and nothing else; ``categorical`` columns as
    dictionary codes from the start. CsvError names a repeated column or the first ragged line."""
    separator = csv_separator(path)
    header = pl.read_csv(path, n_rows=0, infer_schema=False, separator=separator).columns
    _check_header(path, separator)
    wanted = set(categorical)
    overrides = {name: pl.Categorical for name in header if name in wanted}
    try:
        return pl.read_csv(path, infer_schema=False, schema_overrides=overrides, separator=separator)
    except pl.exceptions.PolarsError as exc:
        from survey.store.errors import first_line  # noqa: PLC0415  (only this error path needs it)

        reason = "not UTF-8 text (save it as CSV UTF-8)" if "utf-8" in str(exc) else first_line(exc)
        raise CsvError(_bad_line(path, separator) or reason) from None


def _check_header(path: Path, separator: str) -> None:
    """A column named twice would be renamed by the reader and weighted under a name nobody wrote."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        names = next(csv.reader(fh, delimiter=separator), [])
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CsvError(f"column {twice[0]!r} appears more than once in the header")


def _bad_line(path: Path, separator: str) -> str | None:
    """The first line whose number of fields differs from the header's (what a ragged file gets wrong)."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        rows = csv.reader(fh, delimiter=separator)
        width = len(next(rows, []))
        for row in rows:
            if row and len(row) != width:
                return f"line {rows.line_num} has {len(row)} fields, the header has {width}"
    return None
