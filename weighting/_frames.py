"""pandas/polars in, numpy out: the only module that knows about data-frame libraries.

Why: the numerical core works on integer codes and float arrays so it is fast and
library-agnostic; everything else (category labels, missing values, column lookup)
is resolved here once, with errors that name the column. pandas is imported only for a
pandas frame (a frame that is not polars): a polars caller such as `survey weight` never pays
the fifth of a second its import costs.
"""

# ruff: noqa: PLC0415
# (pandas is imported in the branches that handle a pandas frame, which has loaded it already)

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import polars as pl

from weighting.errors import VariableError

if TYPE_CHECKING:
    import pandas as pd

Frame: TypeAlias = "pd.DataFrame | pl.DataFrame"
IntArray: TypeAlias = np.ndarray[Any, np.dtype[np.int64]]
CellIndex: TypeAlias = np.ndarray[Any, np.dtype[np.int16 | np.int32 | np.int64]]
FloatArray: TypeAlias = np.ndarray[Any, np.dtype[np.float64]]

__all__ = [
    "CellIndex",
    "FloatArray",
    "Frame",
    "IntArray",
    "column_names",
    "encode",
    "is_numeric",
    "n_rows",
    "numeric",
    "raw_codes",
]


def column_names(frame: Frame) -> list[str]:
    """Column names of a pandas or polars frame, as strings."""
    return [str(c) for c in frame.columns]


def n_rows(frame: Frame) -> int:
    """Number of rows of a pandas or polars frame."""
    return int(frame.shape[0])


def _require(frame: Frame, name: str, role: str) -> None:
    if name not in column_names(frame):
        raise VariableError(f"unknown {role} variable {name!r}: not a column of the data")


def label(value: object) -> str:
    """Canonical text label of a category value (so 1, 1.0 and '1' all match the target '1')."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def encode(frame: Frame, name: str, role: str = "weighting") -> tuple[IntArray, list[str]]:
    """Integer codes (-1 = missing) and the text label of each code, for one column.

    Uses pandas Categorical codes / factorize and polars replace_strict so a million
    string rows encode in well under a second.
    """
    _require(frame, name, role)
    if isinstance(frame, pl.DataFrame):
        s = frame.get_column(name)
        if isinstance(s.dtype, pl.Categorical | pl.Enum):
            fast = _polars_categorical(s)
            if fast is not None:
                return fast
            s = s.cast(pl.String)
        if s.dtype.is_integer() and s.null_count() == 0:
            fast = _small_int_codes(s.to_numpy())
            if fast is not None:
                return fast
        uniq = s.drop_nulls().unique().sort()
        if s.dtype.is_float():
            s = s.fill_nan(None)
            uniq = s.drop_nulls().unique().sort()
        lookup = pl.Series(np.arange(len(uniq), dtype=np.int64))
        codes = s.replace_strict(uniq, lookup, default=-1, return_dtype=pl.Int64).to_numpy()
        return np.ascontiguousarray(codes, dtype=np.int64), [label(v) for v in uniq.to_list()]
    import pandas as pd

    col = frame[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(np.int64)
        return codes, [label(v) for v in col.cat.categories]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu":
        fast = _small_int_codes(col.to_numpy())
        if fast is not None:
            return fast
    try:
        codes, uniques = pd.factorize(col, sort=True)
    except TypeError:  # mixed types cannot be sorted: keep order of appearance
        codes, uniques = pd.factorize(col, sort=False)
    return codes.astype(np.int64, copy=False), [label(v) for v in uniques]


_SMALL_INT = 1 << 16
_RAW_INT = 1 << 10


def raw_codes(frame: Frame, name: str, role: str = "weighting") -> tuple[np.ndarray, list[str]]:
    """Codes (-1 = missing) in whatever integer type is cheapest, and a label per code.

    Unlike `encode`, labels may include categories absent from the data (a pandas
    Categorical's unused categories, or the gaps of small non-negative integers), and the
    codes are the column's own buffer when possible: cross-classification then reads one or
    two bytes per row and finds the observed categories on cells, not rows.
    """
    _require(frame, name, role)
    if not isinstance(frame, pl.DataFrame):
        import pandas as pd

        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            arr = col.array  # Categorical.codes is a read-only view; .cat.codes would copy
            codes = arr.codes if isinstance(arr, pd.Categorical) else col.cat.codes.to_numpy()
            return np.asarray(codes), [label(v) for v in col.cat.categories]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu" and len(col):
            values = col.to_numpy()
            lo, hi = int(values.min()), int(values.max())
            if lo >= 0 and hi < _RAW_INT:
                return values, [str(v) for v in range(hi + 1)]
    elif isinstance(dtype := frame.schema[name], pl.Enum):
        return _enum_codes(frame.get_column(name), dtype)
    return encode(frame, name, role)


def _enum_codes(s: pl.Series, dtype: pl.Enum) -> tuple[np.ndarray, list[str]]:
    """A polars Enum's own physical codes (signed, -1 = missing) and its categories, as a pandas
    Categorical's codes and categories: no hashing of the rows, one narrow copy at most."""
    physical = s.to_physical()
    narrow = np.int16 if physical.dtype == pl.UInt8 else np.int32
    if s.null_count():
        codes = physical.cast(pl.Int32).fill_null(-1).to_numpy().astype(narrow)
    else:
        codes = physical.to_numpy().astype(narrow)
    return codes, [label(c) for c in dtype.categories.to_list()]


def _small_int_codes(values: np.ndarray) -> tuple[IntArray, list[str]] | None:
    """Integer codes 0..k (k small): the same codes and labels as `factorize(sort=True)`, by bincount."""
    if values.size == 0:
        return None
    lo, hi = int(values.min()), int(values.max())
    if lo < 0 or hi >= _SMALL_INT:
        return None
    present = np.flatnonzero(np.bincount(values, minlength=hi + 1))
    if present.size == hi + 1:
        codes = values.astype(np.int64)
    else:
        lookup = np.full(hi + 1, -1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        codes = lookup[values]
    return codes, [str(int(v)) for v in present]


def _polars_categorical(s: pl.Series) -> tuple[IntArray, list[str]] | None:
    """Codes of a polars Categorical/Enum from its physical ids: the same codes and labels as
    casting to strings (sorted present values), without touching the strings row by row."""
    uniq = s.drop_nulls().unique()
    texts = uniq.cast(pl.String).to_list()
    ids = uniq.to_physical().to_numpy().astype(np.int64)
    top = int(ids.max()) + 1 if ids.size else 0
    if top > _SMALL_INT * 64:
        return None
    order = sorted(range(len(texts)), key=texts.__getitem__)
    lookup = np.full(top + 1, -1, dtype=np.int64)
    lookup[ids[order]] = np.arange(len(order))
    phys = s.to_physical().fill_null(top).to_numpy()
    return lookup[phys], [label(texts[i]) for i in order]


def is_numeric(frame: Frame, name: str, role: str = "outcome") -> bool:
    """Whether a column holds numbers (a mean) rather than categories (proportions)."""
    _require(frame, name, role)
    if isinstance(frame, pl.DataFrame):
        dtype = frame.schema[name]
        return bool(dtype.is_numeric()) and dtype != pl.Boolean
    import pandas as pd

    dt = frame[name].dtype
    return bool(pd.api.types.is_numeric_dtype(dt)) and not pd.api.types.is_bool_dtype(dt)


def numeric(frame: Frame, name: str, role: str = "outcome") -> FloatArray:
    """A numeric column as float64 with NaN for missing; errors name the column if not numeric."""
    _require(frame, name, role)
    try:
        if isinstance(frame, pl.DataFrame):
            arr = frame.get_column(name).cast(pl.Float64).to_numpy()
        else:
            import pandas as pd

            arr = pd.to_numeric(frame[name], errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    except (ValueError, TypeError, pl.exceptions.PolarsError) as exc:
        raise VariableError(f"{role} variable {name!r} is not numeric") from exc
    return np.ascontiguousarray(arr, dtype=np.float64)
