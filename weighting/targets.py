"""Population targets: parsing and validation of `variable,category,share` tables.

Why a class: targets arrive from CSV files typed by people. Every problem is caught here,
once, with a message naming the CSV row, before any numerical work starts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from weighting._frames import FloatArray, Frame, label
from weighting.errors import TargetsError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SHARE_TOLERANCE", "Margin", "Targets", "margins_from_population"]

SHARE_TOLERANCE = 1e-6
CROSS = ":"


@dataclass(frozen=True)
class Margin:
    """One weighting margin: a variable, or crossed variables (`sex:age_group`), with target shares.

    Attributes:
        variables: Column names; more than one for a crossed margin.
        categories: Category labels; crossed ones join the parts with ':' (`F:18-24`).
        shares: Population share of each category (sums to 1).
    """

    variables: tuple[str, ...]
    categories: tuple[str, ...]
    shares: tuple[float, ...]

    @property
    def name(self) -> str:
        """The margin as written in a targets file (`sex` or `sex:age_group`)."""
        return CROSS.join(self.variables)

    def share_array(self) -> FloatArray:
        """Shares as a float array in category order."""
        return np.asarray(self.shares, dtype=np.float64)


@dataclass(frozen=True)
class Targets:
    """Validated target margins, optionally with the population size they were counted on.

    Attributes:
        margins: One `Margin` per weighting variable (or crossed set), in file order.
        total: Population size when the targets were given as counts, else None.

    Examples:
        >>> t = Targets.from_dict({"sex": {"F": 0.52, "M": 0.48}})
        >>> t.margins[0].name, t.margins[0].shares
        ('sex', (0.52, 0.48))
    """

    margins: tuple[Margin, ...]
    total: float | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Margin names in order."""
        return tuple(m.name for m in self.margins)

    @property
    def variables(self) -> tuple[str, ...]:
        """All distinct data columns the margins use, in first-use order."""
        return tuple(dict.fromkeys(v for m in self.margins for v in m.variables))

    def margin(self, name: str) -> Margin:
        """The margin called `name`; TargetsError naming it when absent."""
        for m in self.margins:
            if m.name == name:
                return m
        raise TargetsError(
            f"no targets for {name!r} (targets have: {', '.join(self.names)})",
            code="no_targets_for",
            variable=name,
            available=", ".join(self.names),
        )

    def select(self, names: tuple[str, ...] | list[str]) -> Targets:
        """A Targets object restricted to the given margin names, in that order."""
        return Targets(tuple(self.margin(n) for n in names), self.total)

    def replace(self, margin: Margin) -> Targets:
        """A copy with the margin of the same name replaced (used by cell collapsing)."""
        return Targets(tuple(margin if m.name == margin.name else m for m in self.margins), self.total)

    def to_frame(self) -> pd.DataFrame:
        """The long `variable,category,share` table (the file format)."""
        import pandas as pd  # noqa: PLC0415  (a polars caller never loads it)

        rows = [(m.name, c, s) for m in self.margins for c, s in zip(m.categories, m.shares, strict=True)]
        return pd.DataFrame(rows, columns=["variable", "category", "share"])

    @classmethod
    def from_dict(cls, mapping: Mapping[str, Mapping[str, float]], total: float | None = None) -> Targets:
        """Targets from `{margin: {category: share}}`; shares are validated like a file.

        Examples:
            >>> Targets.from_dict({"sex:age": {"F:young": 0.5, "M:young": 0.5}}).margins[0].variables
            ('sex', 'age')
        """
        variables = [v for v, cats in mapping.items() for _ in cats]
        categories: list[object] = [c for cats in mapping.values() for c in cats]
        shares: list[object] = [s for cats in mapping.values() for s in cats.values()]
        return Targets(_parse(list(variables), categories, shares, "share").margins, total)

    @classmethod
    def from_frame(cls, frame: Frame) -> Targets:
        """Parse and validate a `variable,category,share` (or `...,count`) table.

        Rows are reported as file lines (header = line 1). Shares of each margin must sum
        to 1 within 1e-6; counts must give the same total for every margin.

        Examples:
            >>> import pandas as pd
            >>> df = pd.DataFrame({"variable": ["sex", "sex"], "category": ["F", "M"], "count": [60, 40]})
            >>> Targets.from_frame(df).total
            100.0
        """
        cols = [str(c).strip().lower() for c in frame.columns]
        for required in ("variable", "category"):
            if required not in cols:
                raise TargetsError(f"targets need a {required!r} column (found: {', '.join(cols)})")
        has_share, has_count = "share" in cols, "count" in cols
        if has_share == has_count:
            raise TargetsError("targets need exactly one of a 'share' or a 'count' column")
        value_col = "share" if has_share else "count"
        variables, categories, values = (_column(frame, cols, c) for c in ("variable", "category", value_col))
        return _parse(variables, categories, values, value_col)


def _parse(
    variables: list[object], categories: list[object], values: list[object], value_col: str
) -> Targets:
    """Targets from the three columns of a file, each problem naming its line (header = line 1)."""
    order: dict[str, list[tuple[str, float, int]]] = {}
    seen: set[tuple[str, str]] = set()
    for pos, (var, cat, val) in enumerate(zip(variables, categories, values, strict=True)):
        line = pos + 2
        if _blank(var):
            raise TargetsError(f"targets line {line}: empty variable")
        if _blank(cat):
            raise TargetsError(f"targets line {line}: empty category for {str(var).strip()!r}")
        name, category = str(var).strip(), label(cat).strip()
        value = _number(val)
        if value is None or value < 0:
            raise TargetsError(
                f"targets line {line}: {value_col} of {name}={category} must be a number >= 0, got {val!r}"
            )
        parts = name.split(CROSS)
        if len(category.split(CROSS)) != len(parts):
            raise TargetsError(
                f"targets line {line}: category {category!r} of crossed margin {name!r} "
                f"needs {len(parts)} parts separated by ':'"
            )
        _check_crossing(name, category, line)
        if (name, category) in seen:
            raise TargetsError(f"targets line {line}: duplicate category {name}={category}")
        seen.add((name, category))
        order.setdefault(name, []).append((category, value, line))
    if not order:
        raise TargetsError("targets are empty")
    return _build(order, counts=value_col == "count")


def _column(frame: Frame, cols: list[str], name: str) -> list[object]:
    """The values of the column whose trimmed, lower-case name is ``name`` (pandas is never loaded
    for a polars frame)."""
    position = cols.index(name)
    if isinstance(frame, pl.DataFrame):
        return frame.to_series(position).to_list()
    return frame.iloc[:, position].tolist()


def _check_crossing(name: str, category: str, line: int) -> None:
    """A crossed margin needs distinct, named variables and a category for each of them.

    ``sex:sex`` would put a respondent in a cell only when both halves agree, and ``sex:`` names
    no second variable: either would be weighted to nonsense without a word, so both are refused.
    """
    if CROSS not in name:
        return
    variables = [part.strip() for part in name.split(CROSS)]
    if any(not part for part in variables):
        raise TargetsError(f"targets line {line}: crossed margin {name!r} has an empty variable name")
    repeated = sorted({part for part in variables if variables.count(part) > 1})
    if repeated:
        raise TargetsError(
            f"targets line {line}: crossed margin {name!r} names {', '.join(map(repr, repeated))} more than once"
        )
    if any(not part.strip() for part in category.split(CROSS)):
        raise TargetsError(f"targets line {line}: category {category!r} of {name!r} has an empty part")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _number(value: object) -> float | None:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) or math.isinf(out) else out


def _build(order: dict[str, list[tuple[str, float, int]]], *, counts: bool) -> Targets:
    margins: list[Margin] = []
    totals: list[tuple[str, float]] = []
    for name, rows in order.items():
        total = sum(v for _, v, _ in rows)
        if counts:
            if total <= 0:
                raise TargetsError(f"targets for {name!r} have a zero total count")
            totals.append((name, total))
            shares = tuple(v / total for _, v, _ in rows)
        else:
            if abs(total - 1.0) > SHARE_TOLERANCE:
                raise TargetsError(
                    f"target shares of {name!r} sum to {total:.6g}, not 1 (lines {rows[0][2]}-)"
                )
            shares = tuple(v for _, v, _ in rows)
        variables = tuple(p.strip() for p in name.split(CROSS))
        margins.append(Margin(variables, tuple(c for c, _, _ in rows), shares))
    total_count: float | None = None
    if counts:
        first_name, first = totals[0]
        for name, tot in totals[1:]:
            if abs(tot - first) > SHARE_TOLERANCE * max(1.0, first):
                raise TargetsError(
                    f"target counts of {name!r} total {tot:g} but {first_name!r} total {first:g}"
                )
        total_count = float(first)
    return Targets(tuple(margins), total_count)


def margins_from_population(population: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """Targets in the weighting format (``variable,category,share``) from a population table.

    A crossed variable is written ``sex:age_group``; its categories are ``F:18-24``. It lives here, not with
    the store, because the demo, the CLI and the console all derive targets the same way.
    """
    import pandas as pd  # noqa: PLC0415  (the caller holds a pandas table already; polars callers never come here)

    rows = []
    total = float(population["count"].sum())
    for variable in variables:
        parts = variable.split(":")
        for part in parts:
            if part not in population.columns:
                raise KeyError(f"population table has no column '{part}'")
        grouped = population.groupby(parts, sort=True)["count"].sum()
        for key, count in grouped.items():
            category = ":".join(key) if isinstance(key, tuple) else str(key)
            rows.append((variable, category, float(count) / total))
    return pd.DataFrame(rows, columns=["variable", "category", "share"])
