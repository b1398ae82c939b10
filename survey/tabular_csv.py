"""CSV as analysts save it: the separator a spreadsheet chose, and errors that name the line.

Why apart from :mod:`survey.tabular`: finding the separator and the first malformed line reads the
file as text with the standard library, which the columnar reader cannot tell us.

One rule for every CSV the platform reads (data and targets files on the command line, targets
uploaded in the workbench), so a file that works in one place works in the others:

* the text is UTF-8 when it is valid UTF-8 (a byte-order mark is dropped), else Windows-1252, what
  French and Dutch Excel write under "CSV (separated by semicolons)"; anything else is refused;
* the separator is the one of comma, semicolon and tab the header line holds most of;
* in a file separated by semicolons or tabs a number may have a decimal comma (``0,51``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the workbench's target upload reads text with these rules and no columnar reader
    import polars as pl

__all__ = [
    "SEPARATORS",
    "CsvError",
    "EncodingError",
    "csv_separator",
    "decimal_comma",
    "decode_text",
    "header_separator",
    "read_csv",
]

SEPARATORS = (",", ";", "\t")


class CsvError(ValueError):
    """What is wrong with a CSV file, in words for its author (the caller adds the path)."""


class EncodingError(CsvError):
    """The bytes are neither UTF-8 nor Windows-1252 text; ``line`` is where the first such byte is."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} is neither UTF-8 nor Windows-1252 text (save the file as CSV UTF-8)")
        self.line = line


def decode_text(raw: bytes) -> str:
    """The file's text: UTF-8 when it is valid UTF-8 (without a byte-order mark), else Windows-1252.

    Why this order: a Windows-1252 file with accented letters is almost never valid UTF-8, while
    every UTF-8 file is "valid" Windows-1252 (as nonsense such as ``Ã©``); trying UTF-8 first reads
    each file as its author wrote it. Five bytes mean nothing in Windows-1252: a file with one of
    them is neither, and EncodingError says where.

    Examples:
        >>> decode_text("sexe;région\\nF;Liège\\n".encode("cp1252"))
        'sexe;région\\nF;Liège\\n'
        >>> decode_text(b"\\xef\\xbb\\xbfsexe;r\\xc3\\xa9gion\\n")
        'sexe;région\\n'
    """
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise EncodingError(raw[: exc.start].count(b"\n") + 1) from None


def header_separator(header: str) -> str:
    """The separator of a header line: the one of comma, semicolon and tab it holds most of (comma
    when it holds none)."""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def decimal_comma(separator: str) -> bool:
    """Whether numbers may be written ``0,51``: only where the comma does not separate fields."""
    return separator != ","


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
        return header_separator(fh.readline())


def read_csv(path: Path, categorical: Collection[str]) -> pl.DataFrame:
    """Every column as text, an empty cell as missing and nothing else; ``categorical`` columns as
    dictionary codes from the start. CsvError names a repeated column or the first ragged line."""
    import polars as pl  # noqa: PLC0415

    separator = csv_separator(path)
    header = pl.read_csv(path, n_rows=0, infer_schema=False, separator=separator).columns
    _check_header(path, separator)
    wanted = set(categorical)
    overrides = {name: pl.Categorical for name in header if name in wanted}
    try:
        return pl.read_csv(path, infer_schema=False, schema_overrides=overrides, separator=separator)
    except pl.exceptions.PolarsError as exc:
        from survey.store.errors import first_line  # noqa: PLC0415  (only this error path needs it)

        if "utf-8" in str(exc).lower():  # not UTF-8: Windows-1252, as Excel writes it, or refused
            text = decode_text(path.read_bytes())
            return _read_text(text, overrides, separator) if text else pl.DataFrame()
        raise CsvError(_bad_line(path, separator) or first_line(exc)) from None


def _read_text(text: str, overrides: dict[str, type[pl.Categorical]], separator: str) -> pl.DataFrame:
    """A Windows-1252 file's text, read as the UTF-8 files are (the slow path only such files take)."""
    import polars as pl  # noqa: PLC0415

    try:
        return pl.read_csv(
            io.BytesIO(text.encode()), infer_schema=False, schema_overrides=overrides, separator=separator
        )
    except pl.exceptions.PolarsError as exc:
        from survey.store.errors import first_line  # noqa: PLC0415

        raise CsvError(_bad_text_line(text, separator) or first_line(exc)) from None


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
        return _ragged(csv.reader(fh, delimiter=separator))


def _bad_text_line(text: str, separator: str) -> str | None:
    return _ragged(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def _ragged(rows: Any) -> str | None:
    width = len(next(rows, []))
    for row in rows:
        if row and len(row) != width:
            return f"line {rows.line_num} has {len(row)} fields, the header has {width}"
    return None
