"""The cell table the representativeness figures and the field planner read: shares and counts per cell.

Why a module of its own: this is where a consultation's responses meet the targets, once. Each
crossed cell gets its population share (from a crossed target margin, else the product of the
single ones) and its count of responses (coded once per column, counted without a per-row loop);
`weighting.representativeness` and `weighting.field_plan` then work on cells only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from weighting._frames import FloatArray, IntArray, label
from weighting.diagnostics import Note
from weighting.errors import VariableError
from weighting.targets import CROSS, Targets

__all__ = ["Cells", "cell_index", "cells_from_data"]

_DENSE_LIMIT = 1 << 24  # combinations of codes counted in a dense table (128 MB of int64 at most)


@dataclass(frozen=True)
class Cells:
    """Crossed cells of some variables: population share and responses per cell.

    Attributes:
        variables: The crossed variables (``("sex", "age_group")``).
        categories: Per cell, one category per variable.
        shares: Population share per cell (sums to 1).
        responses: Responses stored per cell (floats so planned counts can be added).
        notes: What the table had to assume (independence of margins, responses left out).
    """

    variables: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    shares: FloatArray
    responses: FloatArray
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The variables as a targets file writes a crossed margin (``sex:age_group``)."""
        return CROSS.join(self.variables)

    def labels(self) -> list[str]:
        """Cell names as a targets file writes them (``F:18-24``)."""
        return [CROSS.join(c) for c in self.categories]

    def with_responses(self, responses: FloatArray) -> Cells:
        """The same cells with other counts (stored plus planned, or a day's running total)."""
        return Cells(self.variables, self.categories, self.shares, responses, self.notes)


def cell_index(data: pd.DataFrame, cells: Cells) -> IntArray:
    """Per row of ``data``, the position of its cell in ``cells`` (-1: a missing value or no such cell).

    Each column is factorised once and only its distinct values go through `label`, so a million
    rows cost a sort of integers, not a million string conversions; the per-day counts of the
    monitor and the simulation's answers per cell read the same index.

    Examples:
        >>> cells = Cells(("sex",), (("F",), ("M",)), np.array([0.5, 0.5]), np.zeros(2))
        >>> cell_index(pd.DataFrame({"sex": ["M", None, "F", "X"]}), cells).tolist()
        [1, -1, 0, -1]
    """
    missing = np.zeros(len(data), dtype=bool)
    codes, labels = [], []
    for name in cells.variables:
        code, uniques = pd.factorize(data[name], sort=False)
        missing |= code < 0
        codes.append(np.maximum(code, 0).astype(np.int64))
        labels.append([label(u) for u in uniques])
    sizes = [max(len(u), 1) for u in labels]
    if math.prod(sizes) >= 1 << 62:
        raise VariableError(f"crossing {cells.name} gives too many cells", code="too_many_cells")
    flat = np.ravel_multi_index(codes, sizes) if len(data) else np.zeros(0, dtype=np.int64)
    dense = math.prod(sizes) <= _DENSE_LIMIT
    if dense:  # a bincount over the possible combinations: no sort of the rows
        found = np.flatnonzero(np.bincount(flat, minlength=math.prod(sizes)))
    else:
        found, inverse = np.unique(flat, return_inverse=True)
    where = {key: i for i, key in enumerate(cells.categories)}
    lookup = np.array(
        [
            where.get(tuple(labels[j][int(i)] for j, i in enumerate(combo)), -1)
            for combo in zip(*np.unravel_index(found, sizes), strict=True)
        ],
        dtype=np.int64,
    )
    if dense:
        table = np.full(math.prod(sizes), -1, dtype=np.int64)
        table[found] = lookup
        index = table[flat]
    else:
        index = lookup[inverse.reshape(-1)] if found.size else np.full(len(data), -1, dtype=np.int64)
    index[missing] = -1
    return np.asarray(index, dtype=np.int64)


def _margin_shares(targets: Targets, variables: tuple[str, ...]) -> dict[tuple[str, ...], float] | None:
    """Shares of the crossed margin named exactly ``variables`` (or one variable), if the targets have it."""
    name = CROSS.join(variables)
    if name not in targets.names:
        return None
    margin = targets.margin(name)
    return {tuple(c.split(CROSS)): s for c, s in zip(margin.categories, margin.shares, strict=True)}


def _single_shares(targets: Targets, variable: str) -> dict[tuple[str, ...], float]:
    """Shares of one variable's margin; TargetsError naming it when the targets lack it."""
    margin = targets.margin(variable)
    return {(c,): s for c, s in zip(margin.categories, margin.shares, strict=True)}


def _population_shares(
    targets: Targets, groups: Sequence[tuple[str, ...]]
) -> tuple[dict[tuple[str, ...], float], bool]:
    """Population share of each crossed cell, and whether it had to assume independent margins.

    Each group takes its own crossed margin when there is one, else the product of its single
    margins; the groups are then crossed as independent.
    """
    joint: dict[tuple[str, ...], float] = {(): 1.0}
    independent = len(groups) > 1
    for group in groups:
        whole = _margin_shares(targets, group)
        pieces = [whole] if whole is not None else [_single_shares(targets, v) for v in group]
        independent = independent or len(pieces) > 1
        for shares in pieces:
            joint = {(*k, *c): s * t for k, s in joint.items() for c, t in shares.items()}
    return joint, independent


def cells_from_data(
    data: pd.DataFrame,
    targets: Targets,
    variables: Sequence[str],
    groups: Sequence[Sequence[str]] | None = None,
) -> Cells:
    """Count responses in the crossed cells of ``variables`` and attach their population shares.

    Shares come from the crossed target margin (``sex:age_group``) when the targets have it,
    else from the product of the single margins, which assumes the variables independent in the
    population: a note says so. ``groups`` (for example ``[("sex", "age_group"), ("education",)]``,
    covering ``variables`` in order) names the margins to take: each group's crossed margin if the
    targets have it, the groups then crossed as independent. Responses with a missing value or a
    category the targets do not know are left out, with a note giving their number.
    """
    names = tuple(variables)
    if not names:
        raise VariableError("name at least one variable to cross", code="no_cell_variables")
    for v in names:
        if v not in data.columns:
            raise VariableError(
                f"unknown variable {v!r}: not a question of the data", code="unknown_variable", variable=v
            )
    chosen = [tuple(g) for g in groups] if groups is not None else [names]
    if [v for g in chosen for v in g] != list(names):
        raise VariableError("the groups must list the variables in order", code="cell_groups")
    shares, independent = _population_shares(targets, chosen)
    keys = tuple(shares)
    empty = Cells(names, keys, np.array([shares[k] for k in keys], dtype=np.float64), np.zeros(len(keys)))
    index = cell_index(data, empty)
    counts = np.bincount(index[index >= 0], minlength=len(keys)).astype(np.float64)
    left_out = int(np.count_nonzero(index < 0))
    notes: list[str] = []
    if independent:
        notes.append(
            Note(
                f"population shares of {CROSS.join(names)} assume its variables independent (no crossed target)",
                code="cells_independent",
                cells=CROSS.join(names),
            )
        )
    if left_out:
        notes.append(
            Note(
                f"{left_out} responses left out (missing answer or category without a target)",
                code="cells_left_out",
                n=left_out,
            )
        )
    return Cells(names, keys, empty.shares, counts, tuple(notes))
