"""Map data rows to target categories and to joint cells of several margins.

Why: every adjustment in this package only depends on a respondent's cell, so all the
expensive work is one encoding pass; the fitting itself runs on a few thousand cells.
Missing values, unknown or empty categories and explicit collapsing are resolved here,
and each decision is returned as a record for the diagnostics (never silent).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from weighting._frames import CellIndex, FloatArray, Frame, IntArray, raw_codes
from weighting._joint import Joint, cross, digits
from weighting.diagnostics import Collapse, MissingTreatment
from weighting.errors import EmptyCellError, MissingValueError, TargetsError
from weighting.targets import CROSS, Margin

__all__ = ["MISSING_LABEL", "CellCoding", "MarginCoding", "MissingPolicy", "code_margins", "joint_cells"]

MissingPolicy = Literal["error", "mode", "category"]
MISSING_LABEL = "(missing)"
_INT64_LIMIT = 1 << 62


@dataclass(frozen=True)
class MarginCoding:
    """One (possibly collapsed) margin resolved against the sample: respondents per category."""

    margin: Margin
    counts: IntArray
    collapses: tuple[Collapse, ...]
    missing: tuple[MissingTreatment, ...]


@dataclass(frozen=True)
class CellCoding:
    """Joint cells of several margins: row -> cell, and cell -> category of each margin."""

    cells: CellIndex
    n_cells: int
    cell_categories: tuple[IntArray, ...]
    counts: IntArray | None = None

    def row_codes(self, m: int) -> IntArray:
        """Row -> category of margin `m` (one gather; only the rare row-level paths need it)."""
        return self.cell_categories[m][self.cells]


@dataclass(frozen=True)
class _Variable:
    """A weighting variable's codes after missing treatment (`missing_rows`: own-category rows)."""

    codes: np.ndarray
    labels: list[str]
    treatment: MissingTreatment | None
    missing_rows: np.ndarray | None


def joint_cells(codes: list[IntArray], sizes: list[int]) -> CellCoding:
    """Cross-classify several codes into the observed joint cells."""
    joint = cross(codes, sizes)
    return CellCoding(joint.cells, joint.n_cells, joint.digits, joint.counts)


def _variable(frame: Frame, name: str, policy: MissingPolicy) -> _Variable:
    codes, labels = raw_codes(frame, name)
    if codes.size and int(codes.min()) < 0:  # one cheap pass when nothing is missing
        miss = codes < 0 if policy == "category" else None
        treated, labels, treat = _treat_missing(name, codes.astype(np.int64), labels, policy)
        return _Variable(treated, labels, treat, miss)
    return _Variable(codes, labels, None, None)


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
            "choose a treatment: missing='mode' or missing='category'",
            code="missing_values", variable=name, n=n_miss, row=first + 1,
        )  # fmt: skip
    if policy == "mode":
        mode = int(np.argmax(np.bincount(codes[~miss], minlength=len(labels)))) if (~miss).any() else -1
        if mode < 0:
            raise MissingValueError(
                f"weighting variable {name!r} is entirely missing", code="all_missing", variable=name
            )
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


def code_margins(
    frame: Frame,
    margins: Sequence[Margin],
    weights: FloatArray,
    *,
    missing: MissingPolicy = "error",
    collapse: Mapping[str, Mapping[str, str]] | None = None,
    min_cell: int = 0,
) -> tuple[tuple[MarginCoding, ...], CellCoding]:
    """Resolve every margin against the sample and cross-classify the rows into joint cells.

    Only encoding and one cross-classification touch the rows; labels, targets, collapsing
    and empty-category checks run on the observed cells (at most a few thousand).
    """
    variables: dict[str, _Variable] = {}
    for margin in margins:
        for var in margin.variables:
            if var not in variables:
                variables[var] = _variable(frame, var, missing)
    names = list(variables)
    joint = cross([variables[v].codes for v in names], [len(variables[v].labels) for v in names])
    codings: list[MarginCoding] = []
    cats: list[IntArray] = []
    for margin in margins:
        per_var = [variables[v] for v in margin.variables]
        per_cell = [joint.digits[names.index(v)] for v in margin.variables]
        rule = (collapse or {}).get(margin.name)
        coding, cat = _code_margin(margin, per_var, per_cell, joint.counts, weights, rule, min_cell)
        codings.append(coding)
        cats.append(cat)
    return tuple(codings), _target_cells(joint, cats, [len(c.margin.categories) for c in codings])


def _mixed_radix(codes: Sequence[IntArray], sizes: Sequence[int]) -> IntArray:
    out = np.zeros(codes[0].size, dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        out *= size
        out += c
    return out


def _target_cells(joint: Joint, cats: list[IntArray], sizes: list[int]) -> CellCoding:
    """Joint cells of the margins' target categories; the observed cells themselves when distinct."""
    if math.prod(sizes) < _INT64_LIMIT:
        _, first, inverse = np.unique(_mixed_radix(cats, sizes), return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(np.column_stack(cats), axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if first.size == joint.n_cells:  # no two observed cells share their target categories
        return CellCoding(joint.cells, joint.n_cells, tuple(cats), joint.counts)
    counts = np.bincount(inverse, weights=joint.counts, minlength=first.size).astype(np.int64)
    return CellCoding(inverse[joint.cells], int(first.size), tuple(c[first] for c in cats), counts)


def _code_margin(
    margin: Margin,
    variables: list[_Variable],
    per_cell: list[IntArray],
    cell_counts: IntArray,
    weights: FloatArray,
    rule: Mapping[str, str] | None,
    min_cell: int,
) -> tuple[MarginCoding, IntArray]:
    """Category index of `margin` for each observed cell (after missing/collapse treatment)."""
    sizes = [len(v.labels) for v in variables]
    code = per_cell[0] if len(per_cell) == 1 else _mixed_radix(per_cell, sizes)
    present, inverse = np.unique(code, return_inverse=True)
    inverse = inverse.ravel()
    counts_by_cell = np.bincount(inverse, weights=cell_counts, minlength=present.size)
    parts = digits(present, sizes)
    cell_labels = [
        CROSS.join(v.labels[int(d[k])] for v, d in zip(variables, parts, strict=True))
        for k in range(present.size)
    ]
    masks = [v.missing_rows for v in variables if v.missing_rows is not None]
    if masks:
        missing_rows = np.logical_or.reduce(masks)
        cell_labels = [MISSING_LABEL if MISSING_LABEL in lab.split(CROSS) else lab for lab in cell_labels]
        margin = _add_missing_target(margin, float(weights[missing_rows].sum() / weights.sum()))
    collapses: list[Collapse] = []
    if rule:
        margin, cell_labels, collapses = _explicit_collapse(margin, cell_labels, rule)
    index = {c: i for i, c in enumerate(margin.categories)}
    to_target = np.empty(present.size, dtype=np.int64)
    for k, cell_label in enumerate(cell_labels):
        if cell_label not in index:
            raise TargetsError(
                f"sample category {margin.name}={cell_label} ({int(counts_by_cell[k])} respondents) "
                "has no target",
                code="no_target", variable=margin.name, category=cell_label, n=int(counts_by_cell[k]),
            )  # fmt: skip
        to_target[k] = index[cell_label]
    counts = np.bincount(to_target, weights=counts_by_cell, minlength=len(margin.categories)).astype(np.int64)
    margin, cat, counts, auto = _drop_or_merge(margin, to_target[inverse], counts, min_cell)
    treatments = tuple(v.treatment for v in variables if v.treatment is not None)
    return MarginCoding(margin, counts, (*collapses, *auto), treatments), cat


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
                "collapse it or remove those rows",
                code="zero_share_occupied", variable=margin.name, category=cats[i], n=cnt[i],
            )  # fmt: skip
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
                "collapse it with a neighbour (collapse rule or min_cell)",
                code="empty_cell", variable=margin.name, category=cats[i], share=shares[i],
            )  # fmt: skip
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
