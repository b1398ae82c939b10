"""Map data rows to target categories and to joint cells of several margins.

Why: every adjustment in this package only depends on a respondent's cell, so all the
expensive work is one encoding pass; the fitting itself runs on a few thousand cells.
Missing values, unknown or empty categories and explicit collapsing are resolved here,
and each decision is returned as a record for the diagnostics (never silent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from weighting._frames import FloatArray, Frame, IntArray, encode
from weighting.diagnostics import Collapse, MissingTreatment
from weighting.errors import EmptyCellError, MissingValueError, TargetsError
from weighting.targets import CROSS, Margin

__all__ = ["MISSING_LABEL", "CellCoding", "MarginCoding", "MissingPolicy", "code_margin", "joint_cells"]

MissingPolicy = Literal["error", "mode", "category"]
MISSING_LABEL = "(missing)"
_DIRECT_LIMIT = 1 << 22


@dataclass(frozen=True)
class MarginCoding:
    """Rows coded against one (possibly collapsed) margin: codes index `margin.categories`."""

    margin: Margin
    codes: IntArray
    counts: IntArray
    collapses: tuple[Collapse, ...]
    missing: tuple[MissingTreatment, ...]


@dataclass(frozen=True)
class CellCoding:
    """Joint cells of several margins: row -> cell, and cell -> category of each margin."""

    cells: IntArray
    n_cells: int
    cell_categories: tuple[IntArray, ...]
    counts: IntArray | None = None


def _combine(codes: list[IntArray], sizes: list[int]) -> tuple[IntArray, IntArray, IntArray]:
    """Row combined code (dense 0..k-1), per dense code the mixed-radix original code, and counts."""
    total = int(np.prod(sizes, dtype=np.float64))
    if len(codes) == 1:  # fast path: one variable, usually every category observed
        counts = np.bincount(codes[0], minlength=total)
        present = np.flatnonzero(counts)
        if present.size == total:
            return codes[0], present, counts
        lookup = np.full(total, -1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        return lookup[codes[0]], present, counts[present]
    combined = np.zeros(codes[0].shape[0], dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        combined *= size
        combined += c
    if total <= _DIRECT_LIMIT:
        counts = np.bincount(combined, minlength=total)
        present = np.flatnonzero(counts)
        lookup = np.full(total, -1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        return lookup[combined], present, counts[present]
    present, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    return inverse.astype(np.int64), present, counts


def _digits(code: IntArray, sizes: list[int]) -> list[IntArray]:
    out: list[IntArray] = []
    rest = code.copy()
    for size in reversed(sizes):
        out.append(rest % size)
        rest //= size
    return out[::-1]


def _treat_missing(
    name: str, codes: IntArray, labels: list[str], policy: MissingPolicy
) -> tuple[IntArray, list[str], MissingTreatment | None]:
    miss = codes < 0
    if not miss.any():
        return codes, labels, None
    n_miss = int(miss.sum())
    if policy == "error":
        first = int(np.flatnonzero(miss)[0])
        raise MissingValueError(
            f"weighting variable {name!r} has {n_miss} missing value(s) (first at data row {first + 1}); "
            "choose a treatment: missing='mode' or missing='category'"
        )
    if policy == "mode":
        mode = int(np.argmax(np.bincount(codes[~miss], minlength=len(labels)))) if (~miss).any() else -1
        if mode < 0:
            raise MissingValueError(f"weighting variable {name!r} is entirely missing")
        out = codes.copy()
        out[miss] = mode
        return out, labels, MissingTreatment(name, n_miss, "mode", labels[mode])
    out = codes.copy()
    out[miss] = len(labels)
    return out, [*labels, MISSING_LABEL], MissingTreatment(name, n_miss, "category", MISSING_LABEL)


def _add_missing_target(margin: Margin, weight_share: float) -> Margin:
    """Own-category treatment: the missing rows keep their base-weighted share of the total."""
    scale = 1.0 - weight_share
    cats = (*margin.categories, MISSING_LABEL)
    return Margin(margin.variables, cats, (*(s * scale for s in margin.shares), weight_share))


def code_margin(
    frame: Frame,
    margin: Margin,
    base_weights: FloatArray,
    *,
    missing: MissingPolicy = "error",
    collapse: Mapping[str, str] | None = None,
    min_cell: int = 0,
) -> MarginCoding:
    """Code each row with its category index in `margin` (after missing/collapse treatment)."""
    codes: list[IntArray] = []
    labels: list[list[str]] = []
    treatments: list[MissingTreatment] = []
    missing_rows: np.ndarray | None = None
    for var in margin.variables:
        c, lab = encode(frame, var)
        if c.size and int(c.min()) < 0:  # one cheap pass when nothing is missing
            if missing == "category":
                missing_rows = (c < 0) if missing_rows is None else (missing_rows | (c < 0))
            c, lab, treat = _treat_missing(var, c, lab, missing)
            if treat is not None:
                treatments.append(treat)
        codes.append(c)
        labels.append(lab)
    sizes = [len(lab) for lab in labels]
    dense, present, counts_by_cell = _combine(codes, sizes)
    digits = _digits(present, sizes)
    cell_labels = [
        CROSS.join(labels[j][int(digits[j][k])] for j in range(len(sizes))) for k in range(present.size)
    ]
    if missing_rows is not None:
        cell_labels = [MISSING_LABEL if MISSING_LABEL in lab.split(CROSS) else lab for lab in cell_labels]
        share = float(base_weights[missing_rows].sum() / base_weights.sum())
        margin = _add_missing_target(margin, share)
    collapses: list[Collapse] = []
    if collapse:
        margin, cell_labels, collapses = _explicit_collapse(margin, cell_labels, collapse)
    index = {c: i for i, c in enumerate(margin.categories)}
    to_target = np.empty(present.size, dtype=np.int64)
    for k, cell_label in enumerate(cell_labels):
        if cell_label not in index:
            raise TargetsError(
                f"sample category {margin.name}={cell_label} ({int(counts_by_cell[k])} respondents) "
                "has no target"
            )
        to_target[k] = index[cell_label]
    identity = to_target.size == len(margin.categories) and bool(
        (to_target == np.arange(to_target.size)).all()
    )
    row_codes = dense if identity else to_target[dense]
    counts = np.bincount(to_target, weights=counts_by_cell, minlength=len(margin.categories)).astype(np.int64)
    margin, row_codes, counts, auto = _drop_or_merge(margin, row_codes, counts, min_cell)
    return MarginCoding(margin, row_codes, counts, (*collapses, *auto), tuple(treatments))


def _explicit_collapse(
    margin: Margin, cell_labels: list[str], mapping: Mapping[str, str]
) -> tuple[Margin, list[str], list[Collapse]]:
    for src in mapping:
        if src not in margin.categories:
            raise TargetsError(f"collapse rule for {margin.name!r} names unknown category {src!r}")
    new_cats: dict[str, float] = {}
    for cat, share in zip(margin.categories, margin.shares, strict=True):
        dest = mapping.get(cat, cat)
        new_cats[dest] = new_cats.get(dest, 0.0) + share
    records = [
        Collapse(
            margin.name, tuple(s for s in margin.categories if mapping.get(s, s) == d), d, "explicit rule"
        )
        for d in dict.fromkeys(mapping.values())
    ]
    out = Margin(margin.variables, tuple(new_cats), tuple(new_cats.values()))
    return out, [mapping.get(c, c) for c in cell_labels], records


def _drop_or_merge(
    margin: Margin, codes: IntArray, counts: IntArray, min_cell: int
) -> tuple[Margin, IntArray, IntArray, list[Collapse]]:
    """Drop zero-share empty categories; merge sparse ones (< min_cell) with a neighbour; else error."""
    cats, shares, cnt = list(margin.categories), list(margin.shares), [int(c) for c in counts]
    groups: list[list[int]] = [[i] for i in range(len(cats))]
    records: list[Collapse] = []
    keep = [not (cnt[i] == 0 and shares[i] == 0.0) for i in range(len(cats))]
    for i in range(len(cats)):
        if cnt[i] > 0 and shares[i] == 0.0:
            raise TargetsError(
                f"target share of {margin.name}={cats[i]} is 0 but {cnt[i]} respondents are in it; "
                "collapse it or remove those rows"
            )
    cats = [c for c, k in zip(cats, keep, strict=True) if k]
    shares = [s for s, k in zip(shares, keep, strict=True) if k]
    groups = [g for g, k in zip(groups, keep, strict=True) if k]
    cnt = [c for c, k in zip(cnt, keep, strict=True) if k]
    while True:
        sparse = [i for i in range(len(cats)) if cnt[i] < max(min_cell, 1)]
        if not sparse:
            break
        i = sparse[0]
        if min_cell < 1 or len(cats) == 1:
            raise EmptyCellError(
                f"target category {margin.name}={cats[i]} (share {shares[i]:.4g}) has no respondent; "
                "collapse it with a neighbour (collapse rule or min_cell)"
            )
        j = i + 1 if i == 0 else (i - 1 if i == len(cats) - 1 else min((i - 1, i + 1), key=lambda k: cnt[k]))
        a, b = sorted((i, j))
        merged = f"{cats[a]}|{cats[b]}"
        records.append(Collapse(margin.name, (cats[a], cats[b]), merged, f"n={cnt[i]} < min_cell={min_cell}"))
        cats[a : b + 1] = [merged]
        shares[a : b + 1] = [shares[a] + shares[b]]
        cnt[a : b + 1] = [cnt[a] + cnt[b]]
        groups[a : b + 1] = [groups[a] + groups[b]]
    remap = np.full(len(margin.categories), -1, dtype=np.int64)
    for new, members in enumerate(groups):
        remap[members] = new
    out = Margin(margin.variables, tuple(cats), tuple(shares))
    same = remap.size == len(cats) and bool((remap == np.arange(remap.size)).all())
    return out, codes if same else remap[codes], np.asarray(cnt, dtype=np.int64), records


def joint_cells(codes: list[IntArray], sizes: list[int]) -> CellCoding:
    """Cross-classify several margins' codes into the observed joint cells."""
    dense, present, counts = _combine(codes, sizes)
    cats = tuple(_digits(present, sizes))
    return CellCoding(dense, int(present.size), cats, counts)
