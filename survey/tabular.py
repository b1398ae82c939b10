"""Read and write the analyst's data files faithfully: one reader for `survey weight`, `estimate` and `targets`.

Why one module: the commands used to read the same file two ways (pandas' typed reader with its
default NA strings in one, text in the other), so a real category ``NA`` (Namibia, "not
applicable"), ``None`` or ``null`` became missing in one command and not the other, and ``1.0`` met
the target ``1`` in one and not the other. The rules, once, for every command:

* **Missing** is an empty cell (or one of only spaces), and nothing else unless ``na_values`` names
  more values (``--na-values NA,-9``). ``NA``, ``None``, ``null`` and ``n/a`` are categories.
* **Categories** (weighting variables, strata, clusters, subgroups, text outcomes) are text, with
  leading and trailing whitespace removed (Python's ``str.strip``: spaces, tabs, no-break spaces), in
  the data and in the targets alike; spaces inside a label are kept.
* **Numeric-looking categories**: a label written as a decimal number loses the trailing zeros of its
  fraction, and then a bare point: ``1.0`` and ``1`` are one category, ``2.50`` and ``2.5`` are one.
  Leading zeros are kept, so ``01`` and ``1`` stay apart (postcodes and codes keep their identity).
  A number stored as a number (Parquet, SPSS, Stata) gets the same label: ``1.0`` is ``1``.
* **Copied columns** are written back as read: a CSV column is text from end to end, so ``007``,
  ``1.0``, `` x `` and ``NA`` come out byte for byte as they went in. (The text columns a command
  reads as categories are dictionary-encoded, with the same values, when it writes Parquet.) The one
  exception is `survey weight`'s CSV output: a text cell a spreadsheet would run as a formula gets a
  leading apostrophe (:mod:`survey.analyst.spreadsheet`) unless ``--raw``.

The file kind follows the extension: ``.parquet``; ``.sav`` (SPSS) and ``.dta`` (Stata) in, with value
labels as categories; anything else is CSV (UTF-8).
"""

# ruff: noqa: PLC0415
# (numpy is imported inside the functions that use it: `survey weight` starts reading its data
# before numpy loads, so that the import and the read run side by side)

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias, overload

import polars as pl

from survey.category_labels import CROSS, category_label, crossed_label
from survey.tabular_csv import CsvError, csv_separator, decimal_comma, read_csv

if TYPE_CHECKING:  # pandas loads only for the callers that ask for a pandas frame
    import numpy as np
    import pandas as pd

__all__ = [
    "CROSS",
    "PARQUET_CODEC",
    "STAT_FORMATS",
    "TableError",
    "analysis_columns",
    "analysis_frame",
    "category_label",
    "csv_separator",
    "holds_numbers",
    "invisible_twin",
    "na_set",
    "read_table",
    "read_targets",
    "target_variables",
    "write_table",
]

STAT_FORMATS = (".sav", ".dta")
WRITABLE = (".csv", ".parquet")
# Snappy: the codec every Parquet reader has (pyarrow and pandas, R arrow, DuckDB, Spark, older
# readers too). Measured on `survey weight`'s 1M-row output (8 columns, 5 of them dictionaries,
# polars 2.1), CPU time and size: snappy 0.09 s, 15.6 MB; zstd level 1 0.12 s, 10.2 MB; zstd's
# default level 0.17 s, 8.2 MB; lz4 as snappy; uncompressed 0.05 s, 25.7 MB.
PARQUET_CODEC: Literal["snappy"] = "snappy"
_LOOKUP_LIMIT = 1 << 24


class TableError(ValueError):
    """A file that cannot be read as a table, or a column that cannot be used as asked (one line)."""


def na_set(values: str | Iterable[str] | None) -> frozenset[str]:
    """The extra missing-value markers of ``--na-values`` (comma-separated), as stripped labels."""
    if values is None:
        return frozenset()
    items = values.split(",") if isinstance(values, str) else values
    return frozenset(v.strip() for v in items if v.strip())


def invisible_twin(label: str, candidates: Iterable[str]) -> str | None:
    """The candidate that ``label`` matches once invisible characters and odd spaces are ignored.

    Why: ``'north\\u200b'`` or ``'Saint\\xa0Gilles'`` look like the target on screen; naming both with
    quotes tells the analyst why they did not meet.
    """
    key = _visible(label)
    return next((c for c in candidates if c != label and _visible(c) == key), None)


def _visible(text: str) -> str:
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cf", "Cc"})
    return " ".join(kept.split())


def read_table(
    path: Path, *, categorical: Collection[str] = (), columns: Collection[str] | None = None
) -> pl.DataFrame:
    """The file as a polars frame; CSV columns as text (``categorical`` ones as dictionary codes).

    ``columns``: of a Parquet file, read only these (those it has), for a caller that copies the
    rest without decoding them (:mod:`survey.parquet_splice`). Raises TableError with one line
    naming the file when it cannot be read.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":  # streamed: text becomes codes row group by row group (half the peak)
            scan = pl.scan_parquet(path)
            schema = scan.collect_schema()
            if columns is not None:
                scan = scan.select([c for c in schema if c in columns])
            text = [c for c in categorical if schema.get(c) == pl.String]
            return scan.with_columns(pl.col(text).cast(pl.Categorical)).collect(engine="streaming")
        if suffix in STAT_FORMATS:
            return _read_stat(path)
        return read_csv(path, categorical)
    except CsvError as exc:
        raise TableError(f"cannot read {path}: {exc}") from None
    except TableError:
        raise
    except FileNotFoundError:
        raise TableError(f"cannot read {path}: file not found") from None
    except IsADirectoryError:
        raise TableError(f"cannot read {path}: it is a folder") from None
    except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
        raise TableError(f"cannot read {path}: {_first_line(exc)}") from None


def _read_stat(path: Path) -> pl.DataFrame:
    """SPSS or Stata: value labels become the categories; an unlabelled value keeps its number's label."""
    import pyreadstat  # only these two formats need it

    reader = pyreadstat.read_sav if path.suffix.lower() == ".sav" else pyreadstat.read_dta
    try:
        frame, meta = reader(str(path), apply_value_formats=False)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        raise TableError(f"cannot read {path}: {_first_line(exc)}") from None
    for column, labels in meta.variable_value_labels.items():
        named = {_stat_key(k): str(v) for k, v in labels.items()}
        frame[column] = [
            None if _missing(v) else named.get(_stat_key(v), _number_label(v)) for v in frame[column]
        ]
    return pl.from_pandas(frame)


def _first_line(exc: BaseException) -> str:
    """The store's one-line message, loaded only on this error path (it brings the questionnaire model)."""
    from survey.store.errors import first_line

    return first_line(exc)


def _stat_key(value: object) -> object:
    import numpy as np

    return float(value) if isinstance(value, int | float | np.number) else value


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number_label(value: object) -> str:
    import numpy as np

    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def read_targets(path: Path) -> pl.DataFrame:
    """A targets file under the same rules as the data: ``NA`` is a category, ``1.0`` is ``1``.

    Crossed categories (``F:1.0``) follow the rule part by part; a file separated by semicolons may
    write shares with decimal commas. Values stay text; the weighting library checks them and names
    the line.
    """
    frame = read_table(path)
    rename = {c: c.strip().lower() for c in frame.columns}
    frame = frame.rename(rename)
    values = [c for c in ("share", "count") if c in frame.columns and frame.schema[c] == pl.String]
    if (
        values
        and path.suffix.lower() not in (".parquet", *STAT_FORMATS)
        and decimal_comma(csv_separator(path))
    ):
        frame = frame.with_columns(pl.col(values).str.replace(",", ".", literal=True))  # decimal commas
    if "category" in frame.columns:
        # a few hundred labels: a Python loop, not map_elements, whose bytecode inspection loads `dis`
        texts = frame.get_column("category").cast(pl.String).to_list()
        labels = [None if t is None else crossed_label(t) for t in texts]
        frame = frame.with_columns(pl.Series("category", labels, dtype=pl.String))
    return frame


def target_variables(frame: pl.DataFrame) -> list[str]:
    """The data columns a targets table (as :func:`read_targets` gives it) names, crossed ones apart.

    Why before the library parses them: the data's reading starts with these columns as dictionary
    codes while the library loads; a name the library later refuses costs nothing here.
    """
    if "variable" not in frame.columns:
        return []
    names = frame.get_column("variable").cast(pl.String).drop_nulls().unique(maintain_order=True)
    return list(dict.fromkeys(part.strip() for name in names.to_list() for part in name.split(CROSS)))


def analysis_frame(
    raw: pl.DataFrame,
    *,
    categories: Sequence[str] = (),
    numbers: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    na_values: frozenset[str] = frozenset(),
    decimal_comma: bool = False,
) -> pd.DataFrame:
    """The columns a command computes on, read under the module's rules (the raw frame is untouched).

    ``categories`` become pandas categoricals built from dictionary codes; ``numbers`` floats (a cell
    that is not a number is an error naming its row); ``outcomes`` numbers when every present value
    is one, else categories (``decimal_comma``: numbers may be written ``1,5``, as in a CSV separated by
    semicolons). Unknown names are left out: the library names them in its own words.
    """
    import pandas as pd

    columns = _columns(raw, categories, numbers, outcomes, na_values, decimal_comma)
    frame = {
        name: pd.Categorical.from_codes(value[0], categories=pd.Index(value[1], dtype=object))
        if isinstance(value, tuple)
        else value
        for name, value in columns.items()
    }
    return pd.DataFrame(frame, index=pd.RangeIndex(raw.height))


def analysis_columns(
    raw: pl.DataFrame,
    *,
    categories: Sequence[str] = (),
    numbers: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    na_values: frozenset[str] = frozenset(),
    decimal_comma: bool = False,
) -> pl.DataFrame:
    """:func:`analysis_frame` as a polars frame, categories as ``Enum`` columns of the same codes.

    Why: `survey weight` hands the weighting library a polars frame and never imports pandas (a
    fifth of a second of its run on a million rows). A text column's Enum is built from its
    dictionary codes by one gather, without numpy: see :func:`_text_enum`.
    """
    columns: list[pl.Series] = []
    for name in dict.fromkeys([*categories, *numbers, *outcomes]):
        if name not in raw.columns:
            continue
        series = raw.get_column(name)
        values: np.ndarray | None = None
        if name in numbers or name in outcomes:  # an outcome is numeric if every value is a number
            values = _numbers(series, na_values, strict=name in numbers, decimal_comma=decimal_comma)
        if values is not None:
            columns.append(pl.Series(name, values))
        elif series.dtype == pl.String or isinstance(series.dtype, pl.Categorical | pl.Enum):
            columns.append(_text_enum(series, na_values))
        else:  # a typed column (Parquet, SPSS, Stata)
            columns.append(_enum(name, *_categorical(series, na_values)))
    return pl.DataFrame(columns)


def _enum(name: str, codes: np.ndarray, names: list[str]) -> pl.Series:
    """An Enum column whose physical values are ``codes`` (-1 = missing)."""
    index = pl.Series(codes)
    if (codes < 0).any():
        index = index.set(index < 0, None)
    return pl.Series(name, names, dtype=pl.Enum(names)).gather(index)


def _text_enum(series: pl.Series, na_values: frozenset[str]) -> pl.Series:
    """A text column's labels as an Enum, from its dictionary: labels are worked out per distinct
    value, and the rows go through one gather by their codes (no numpy array, no hash per row
    when the reader has dictionary-encoded the column)."""
    values, codes = _dictionary(series)
    labels = [None if value is None else category_label(value) for value in values]
    names = sorted({lab for lab in labels if lab and lab not in na_values})
    wanted = set(names)
    by_code = [lab if lab in wanted else None for lab in labels]
    return pl.Series(series.name, by_code, dtype=pl.Enum(names)).gather(codes)


def _dictionary(series: pl.Series) -> tuple[list[str | None], pl.Series]:
    """The value of each dictionary code (None for a code no row uses) and the rows' codes.

    A String column is dictionary-encoded here, one hash per row (a CSV or Parquet reading does it
    for the columns it is told about). A Categorical's codes index polars' shared dictionary, which
    may hold other columns' values too: a code that no row of this column uses is left out, and a
    shared dictionary much larger than the column is traded for one of the column's own.
    """
    import numpy as np

    if series.dtype == pl.String:
        series = series.cast(pl.Categorical(pl.Categories.random()))
    dtype = series.dtype
    if isinstance(dtype, pl.Enum):
        values: list[str | None] = dtype.categories.to_list()
    else:
        assert isinstance(dtype, pl.Categorical)  # the caller passes text columns only
        values = dtype.categories.to_series().to_list()
    if len(values) > max(4 * len(series), 1 << 16):
        return _dictionary(series.cast(pl.String))
    ids = series.to_physical()
    codes = ids.fill_null(len(values)) if ids.null_count() else ids
    used = np.bincount(codes.to_numpy(), minlength=len(values))
    return [v if used[i] else None for i, v in enumerate(values)], ids


Codes: TypeAlias = "tuple[np.ndarray, list[str]]"


def _columns(
    raw: pl.DataFrame,
    categories: Sequence[str],
    numbers: Sequence[str],
    outcomes: Sequence[str],
    na_values: frozenset[str],
    decimal_comma: bool,
) -> dict[str, np.ndarray | Codes]:
    """Per column used, float values or category codes with their labels."""
    columns: dict[str, np.ndarray | Codes] = {}
    for name in dict.fromkeys([*categories, *numbers, *outcomes]):
        if name not in raw.columns:
            continue
        series = raw.get_column(name)
        if name in numbers:
            columns[name] = _numbers(series, na_values, strict=True, decimal_comma=decimal_comma)
        elif (
            name in outcomes
            and (values := _numbers(series, na_values, strict=False, decimal_comma=decimal_comma)) is not None
        ):
            columns[name] = values
        else:
            columns[name] = _categorical(series, na_values)
    return columns


def holds_numbers(series: pl.Series) -> bool:
    """Whether every present value of a column is a number (a weight column, not a question's answers)."""
    return _numbers(series, frozenset(), strict=False) is not None


@overload
def _numbers(
    series: pl.Series, na_values: frozenset[str], *, strict: Literal[True], decimal_comma: bool = False
) -> np.ndarray: ...
@overload
def _numbers(
    series: pl.Series, na_values: frozenset[str], *, strict: bool, decimal_comma: bool = False
) -> np.ndarray | None: ...
def _numbers(
    series: pl.Series, na_values: frozenset[str], *, strict: bool, decimal_comma: bool = False
) -> np.ndarray | None:
    """Floats with NaN for missing; None (or, if strict, TableError naming the row) for text."""
    import numpy as np

    if series.dtype.is_numeric():
        return series.cast(pl.Float64).fill_nan(None).to_numpy().astype(np.float64)
    text = series.cast(pl.String).str.strip_chars()
    text = text.set(text.is_in(list(na_values)) | (text == ""), None)
    values = (text.str.replace(",", ".", literal=True) if decimal_comma else text).cast(
        pl.Float64, strict=False
    )
    bad = values.is_null() & text.is_not_null()
    if bad.any():
        if not strict:
            return None
        row = int(bad.arg_true()[0])
        raise TableError(f"column {series.name!r}: {text[row]!r} at data row {row + 1} is not a number")
    return values.to_numpy().astype(np.float64)


def _categorical(series: pl.Series, na_values: frozenset[str]) -> Codes:
    """Categories by the module's rule, from the column's dictionary: labels are worked out per
    distinct value, never per row, and the rows only go through one integer lookup."""
    import numpy as np

    if series.dtype == pl.String or isinstance(series.dtype, pl.Enum):
        series = series.cast(pl.String).cast(pl.Categorical)
    distinct = series.unique().drop_nulls()
    if series.dtype.is_float():
        distinct = distinct.filter(distinct.is_not_nan())
    values = distinct.to_list()
    labels = [category_label(v) if isinstance(v, str) else _number_label(v) for v in values]
    names = sorted({lab for lab in labels if lab and lab not in na_values})
    index = {lab: i for i, lab in enumerate(names)}
    codes_of = np.array([index.get(lab, -1) for lab in labels], dtype=np.int32)
    ids = distinct.to_physical().to_numpy().astype(np.int64) if series.dtype == pl.Categorical else None
    top = int(ids.max()) + 1 if ids is not None and ids.size else 0
    if ids is not None and top < _LOOKUP_LIMIT:
        lookup = np.full(top + 1, -1, dtype=np.int32)
        lookup[ids] = codes_of
        codes = lookup[series.to_physical().fill_null(top).to_numpy()]
    else:  # a typed column (Parquet, SPSS, Stata): one hash lookup per row
        mapped = series.replace_strict(distinct, pl.Series(codes_of), default=-1, return_dtype=pl.Int32)
        codes = mapped.fill_null(-1).to_numpy()
    return codes, names


def write_table(frame: pl.DataFrame, path: Path, *, separator: str = ",") -> None:
    """Write CSV or Parquet by the extension (anything but .parquet is CSV); SPSS/Stata are read-only.

    A CSV separated by semicolons or tabs (what a French or Dutch spreadsheet saves) gets decimal
    commas, by the rule its files are read with (:func:`survey.tabular_csv.decimal_comma`). Parquet
    is compressed with :data:`PARQUET_CODEC`.
    """
    suffix = path.suffix.lower()
    if suffix in STAT_FORMATS:
        raise TableError(f"{path}: .sav and .dta are read, not written; write .csv or .parquet")
    if suffix == ".parquet":
        frame.write_parquet(path, compression=PARQUET_CODEC)
    else:
        frame.write_csv(path, separator=separator, decimal_comma=decimal_comma(separator))
