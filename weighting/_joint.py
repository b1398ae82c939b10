"""Cross-classify rows by several integer codes: the one pass over the rows when coding margins.

Why a module of its own: this is where a million rows meet the library, so it is written
for memory bandwidth. The codes are combined in the narrowest integer type that holds the
mixed-radix product (int16 for the usual few thousand possible cells), counted with one
`bincount` over a dense index, and only the observed cells are kept. Everything after this
(labels, targets, collapsing, fitting) works on those cells, never on rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from weighting._frames import CellIndex, IntArray

__all__ = ["Joint", "cross", "digits"]

_DIRECT_LIMIT = 1 << 22
_INT64_LIMIT = 1 << 62
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Joint:
    """Observed joint cells: row -> dense cell, rows per cell, and each variable's code per cell.

    `cells` is int16 or int32 when the possible cells are few (the dense path), int64 otherwise:
    a quarter of the memory of the weights for the usual few thousand cells. Callers never do
    arithmetic on it without widening first.
    """

    cells: CellIndex
    counts: IntArray
    digits: tuple[IntArray, ...]

    @property
    def n_cells(self) -> int:
        """Number of observed cells."""
        return int(self.counts.size)


def digits(code: IntArray, sizes: Sequence[int]) -> list[IntArray]:
    """Split mixed-radix codes into one code per position (the inverse of the combination)."""
    out: list[IntArray] = []
    rest = np.asarray(code, dtype=np.int64).copy()
    for size in reversed(sizes):
        out.append(rest % size)
        rest //= size
    return out[::-1]


def cross(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> Joint:
    """Observed cells of the cross-classification of `codes` (each in 0..size-1, no missing).

    Examples:
        >>> import numpy as np
        >>> j = cross([np.array([0, 1, 1, 0]), np.array([2, 0, 0, 2])], [2, 3])
        >>> j.cells.tolist(), j.counts.tolist(), [d.tolist() for d in j.digits]
        ([0, 1, 1, 0], [2, 2], [[0, 1], [2, 0]])
    """
    total = math.prod(sizes)
    if total <= _DIRECT_LIMIT:
        return _dense(codes, sizes, total)
    return _sparse(codes, sizes)


def _dense(codes: Sequence[np.ndarray], sizes: Sequence[int], total: int) -> Joint:
    dtype = np.int16 if total <= np.iinfo(np.int16).max else np.int32
    combined: np.ndarray[Any, np.dtype[np.signedinteger[Any]]] = np.asarray(codes[0]).astype(dtype)
    for c, size in zip(codes[1:], sizes[1:], strict=True):
        combined *= size
        combined += c  # same-kind cast; codes < size, so no overflow
    counts = _count(combined, total)
    present = np.flatnonzero(counts)
    if present.size == total:
        cells = combined
    else:
        lookup = np.zeros(total, dtype=dtype)
        lookup[present] = np.arange(present.size, dtype=dtype)
        cells = lookup[combined]
    return Joint(cells, counts[present].astype(np.int64), tuple(digits(present, sizes)))


def _count(combined: np.ndarray, total: int) -> IntArray:
    """`bincount` of a narrow index, in chunks when the cells are few.

    Why chunks: bincount converts its input to intp first, an 8-byte-per-row temporary that
    would be the largest allocation of a whole adjustment; chunks keep it at a few hundred KB.
    """
    if total > _CHUNK:
        return np.bincount(combined, minlength=total)
    counts = np.zeros(total, dtype=np.int64)
    for start in range(0, combined.size, _CHUNK):
        counts += np.bincount(combined[start : start + _CHUNK], minlength=total)
    return counts


def _sparse(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> Joint:
    """Many possible cells: sort-based; the running code is compacted before it could overflow."""
    combined = np.asarray(codes[0]).astype(np.int64)
    size = sizes[0]
    for c, s in zip(codes[1:], sizes[1:], strict=True):
        if size * s >= _INT64_LIMIT:
            uniq, inverse = np.unique(combined, return_inverse=True)
            combined, size = inverse.ravel().astype(np.int64), int(uniq.size)
        combined *= s
        combined += c
        size *= s
    _, first, inverse, counts = np.unique(
        combined, return_index=True, return_inverse=True, return_counts=True
    )
    per_cell = tuple(np.asarray(c)[first].astype(np.int64) for c in codes)
    return Joint(inverse.ravel().astype(np.int64), counts.astype(np.int64), per_cell)
