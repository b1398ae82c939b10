"""Shared plumbing of the adjusters: code the margins, pick the total, record the step.

Why one place: every adjuster must treat missing values, collapsing, the population total
and diagnostics identically; keeping it here makes that true by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from weighting._cells import CellCoding, MarginCoding, MissingPolicy, code_margins
from weighting._feasibility import Problem
from weighting._frames import FloatArray, column_names, encode
from weighting.design import Design, Step, require_finite
from weighting.diagnostics import CategoryFit, Diagnostics, WeightSummary, summarise_groups, summarise_weights
from weighting.errors import DesignError
from weighting.targets import Targets

__all__ = ["Prepared", "finish", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """Coded margins, joint cells, population total and the starting weights of a step.

    `old_constant` is the common starting weight when all are equal (the usual case without
    base weights): cell totals and final weights are then cell-level products, not row passes.
    """

    codings: tuple[MarginCoding, ...]
    cells: CellCoding
    total: float
    old_weights: FloatArray
    totals: tuple[FloatArray, ...]
    rescaled: bool
    old_constant: float | None
    cell_weight: FloatArray

    def apply(self, cell_factor: FloatArray) -> FloatArray:
        """Row weights `old_weights * cell_factor[cell]` (bit for bit), in one gather when constant."""
        if self.old_constant is not None:
            return (self.old_constant * cell_factor)[self.cells.cells]
        return self.old_weights * cell_factor[self.cells.cells]

    def problem(self, scale: float = 1.0) -> Problem:
        """The step as a feasibility problem on cells (starting cell totals times `scale`)."""
        return Problem(
            self.cell_weight * scale,
            self.cells.cell_categories,
            self.totals,
            tuple(c.margin for c in self.codings),
        )

    def margin_label(self, m: int, k: int) -> str:
        """`margin=category` text for messages."""
        variable, category = self.margin_category(m, k)
        return f"{variable}={category}"

    def margin_category(self, m: int, k: int) -> tuple[str, str]:
        """(margin name, category) of margin ``m``'s category ``k``, for an error's values."""
        margin = self.codings[m].margin
        return margin.name, margin.categories[k]


def prepare(
    design: Design,
    targets: Targets,
    *,
    population: float | None,
    missing: MissingPolicy,
    collapse: Mapping[str, Mapping[str, str]] | None,
    min_cell: int,
) -> Prepared:
    """Code rows against the targets and choose the starting weights and the total.

    The total is `population`, else the targets' count total, else the current weight sum when
    the design was already adjusted, else n (so weights sum to n, as the CLI documents).
    Starting weights: base weights as given when they came from a column and the total is known
    (R's behaviour, so bounds on g = w / base mean what they say); otherwise the current weights
    rescaled to the total (equal weights N/n, or base weights rescaled to n).
    """
    if population is not None and population <= 0:
        raise DesignError(f"population must be > 0, got {population:g}")
    codings, cells = code_margins(
        design.data, targets.margins, design.weights, missing=missing, collapse=collapse, min_cell=min_cell
    )
    known = population or targets.total
    total = known or (float(design.weights.sum()) if design.steps else float(design.n))
    rescale = known is None or not (design.has_base_weights or design.steps)
    scale = total / float(design.weights.sum()) if rescale else 1.0
    constant = _constant(design.weights)
    if constant is not None:  # equal starting weights: the same product, broadcast (no row pass)
        constant = constant * scale if rescale else constant
        old = np.broadcast_to(np.float64(constant), (design.n,))
    else:
        old = design.weights * scale if rescale else design.weights
    totals = tuple(c.margin.share_array() * total for c in codings)
    if constant is not None and cells.counts is not None:
        cell_weight = (cells.counts * constant).astype(np.float64)
    else:
        cell_weight = np.bincount(cells.cells, weights=old, minlength=cells.n_cells).astype(np.float64)
    return Prepared(codings, cells, total, old, totals, rescale, constant, cell_weight)


def finish(
    design: Design,
    prep: Prepared,
    *,
    method: str,
    factors: FloatArray,
    weights: FloatArray,
    iterations: int,
    converged: bool,
    bounds: tuple[float, float] | None = None,
    max_iter: int = 1,
    tol: float = 0.0,
    notes: tuple[str, ...] = (),
    cell_factor: FloatArray | None = None,
) -> Design:
    """Record the step and its diagnostics on a new Design.

    `cell_factor`: when the weights are `prep.old_weights * cell_factor[cells]` (every adjuster
    but trimming), the diagnostics are computed on groups of equal rows instead of rows.

    Raises:
        NonFiniteError: A weight is infinite or undefined: never recorded, never converged.
    """
    require_finite(weights, method)
    step = Step(
        method=method,
        margins=tuple(c.margin for c in prep.codings),
        cells=prep.cells.cells,
        cell_categories=prep.cells.cell_categories,
        totals=prep.totals,
        old_weights=prep.old_weights,
        factors=factors,
        bounds=bounds,
        max_iter=max_iter,
        tol=tol,
        rescale=prep.rescaled,
    )
    diag = diagnose(
        design,
        prep,
        weights,
        method=method,
        iterations=iterations,
        converged=converged,
        notes=notes,
        cell_factor=cell_factor,
    )
    return design.with_step(step, weights, diag)


def fit_table(
    prep: Prepared, weights: FloatArray, cell_total: FloatArray | None = None
) -> tuple[CategoryFit, ...]:
    """Achieved vs target vs unweighted share for every category of every margin.

    With `cell_total` (the weight total of each joint cell) the achieved shares are summed
    over cells instead of rows (same numbers up to summation order).
    """
    n = weights.size
    total = float(weights.sum()) if cell_total is None else float(cell_total.sum())
    rows: list[CategoryFit] = []
    for m, c in enumerate(prep.codings):
        size = len(c.margin.categories)
        if cell_total is None:
            achieved = np.bincount(prep.cells.row_codes(m), weights=weights, minlength=size) / total
        else:
            achieved = np.bincount(prep.cells.cell_categories[m], weights=cell_total, minlength=size) / total
        for k, (cat, share) in enumerate(zip(c.margin.categories, c.margin.shares, strict=True)):
            rows.append(
                CategoryFit(c.margin.name, cat, share, float(achieved[k]), c.counts[k] / n, int(c.counts[k]))
            )
    return tuple(rows)


_MAX_GROUPS = 1 << 22


def _constant(a: FloatArray) -> float | None:
    """The common value of `a` when all its elements are equal (two cheap passes)."""
    if a.size == 0:
        return None
    if a.strides == (0,):
        return float(a[0])
    v = a.flat[0]
    return float(v) if a.min() == v and a.max() == v else None


@dataclass(frozen=True)
class _Groups:
    """Rows as groups of equal rows: group index per row (None = the joint cell), and per group
    its weight, its g denominator, and its joint cell."""

    index: np.ndarray | None
    weight: FloatArray
    base: FloatArray
    cell: np.ndarray
    counts: np.ndarray


def _groups(design: Design, prep: Prepared, cell_factor: FloatArray, initial: FloatArray) -> _Groups | None:
    """Groups of rows sharing weight and initial weight, exact: weight = old value x cell factor.

    Constant starting weights: the groups are the joint cells. Otherwise the distinct starting
    weight values are crossed with the cells (when few); None when that does not pay.
    """
    cells = prep.cells
    if cells.counts is None or cells.counts.size != cells.n_cells:
        return None
    old = prep.old_weights
    same_initial = initial is old
    init_value = None if same_initial else _constant(initial)
    if not same_initial and init_value is None:
        return None
    value = prep.old_constant
    if value is not None:
        w = value * cell_factor  # the same product as the rows' old * factor[cell]
        base = np.full(cells.n_cells, value if same_initial else init_value)
        return _Groups(None, w, base, np.arange(cells.n_cells), cells.counts)
    import pandas as pd  # noqa: PLC0415  (only varying base weights come here)

    codes, uniques = pd.factorize(old)
    u = len(uniques)
    if u * cells.n_cells > min(_MAX_GROUPS, old.size // 4):
        return None
    uniq = np.asarray(uniques, dtype=np.float64)
    index = cells.cells.astype(np.int64) * u + codes
    counts = np.bincount(index, minlength=u * cells.n_cells)
    w = (uniq[None, :] * cell_factor[:, None]).ravel()
    base = (
        np.broadcast_to(uniq[None, :], (cells.n_cells, u)).ravel()
        if same_initial
        else np.full(w.size, init_value)
    )
    return _Groups(index, w, np.ascontiguousarray(base), np.repeat(np.arange(cells.n_cells), u), counts)


def _grouped_summaries(
    design: Design, prep: Prepared, groups: _Groups
) -> tuple[WeightSummary, tuple[WeightSummary, ...]]:
    total = float(np.dot(groups.counts.astype(np.float64), groups.weight))
    overall = summarise_groups("all", groups.weight, groups.base, groups.counts, total)
    by_mode: list[WeightSummary] = []
    if design.mode_column and design.mode_column in column_names(design.data):
        codes, labels = encode(design.data, design.mode_column, role="mode")
        k = len(labels) + 1
        index = groups.index if groups.index is not None else prep.cells.cells
        key = index.astype(np.int64) * k + (codes + 1)
        counts = np.bincount(key, minlength=groups.weight.size * k).reshape(groups.weight.size, k)
        for j, lab in enumerate(labels):
            by_mode.append(summarise_groups(lab, groups.weight, groups.base, counts[:, j + 1], total))
        if counts[:, 0].any():
            by_mode.append(summarise_groups("(missing)", groups.weight, groups.base, counts[:, 0], total))
    return overall, tuple(by_mode)


def weight_summaries(
    design: Design, weights: FloatArray, initial: FloatArray
) -> tuple[WeightSummary, tuple[WeightSummary, ...]]:
    """Overall and per-mode weight summaries; g = weight / `initial` (the first step's starting weights)."""
    total = float(weights.sum())
    base = initial
    overall = summarise_weights("all", weights, base, total)
    by_mode: list[WeightSummary] = []
    if design.mode_column and design.mode_column in column_names(design.data):
        codes, labels = encode(design.data, design.mode_column, role="mode")
        for k, lab in enumerate(labels):
            mask = codes == k
            by_mode.append(summarise_weights(lab, weights[mask], base[mask], total))
        if (codes < 0).any():
            mask = codes < 0
            by_mode.append(summarise_weights("(missing)", weights[mask], base[mask], total))
    return overall, tuple(by_mode)


def diagnose(
    design: Design,
    prep: Prepared,
    weights: FloatArray,
    *,
    method: str,
    iterations: int,
    converged: bool,
    notes: tuple[str, ...] = (),
    cell_factor: FloatArray | None = None,
) -> Diagnostics:
    """Build the Diagnostics record of a step (on groups of equal rows when `cell_factor` is given)."""
    initial = design.steps[0].old_weights if design.steps else prep.old_weights
    groups = None if cell_factor is None else _groups(design, prep, cell_factor, initial)
    if groups is None:
        fits = fit_table(prep, weights)
        overall, by_mode = weight_summaries(design, weights, initial)
    else:
        cell_total: FloatArray = np.bincount(
            groups.cell, weights=groups.weight * groups.counts, minlength=prep.cells.n_cells
        ).astype(np.float64)
        fits = fit_table(prep, weights, cell_total)
        overall, by_mode = _grouped_summaries(design, prep, groups)
    return Diagnostics(
        method=method,
        margins=tuple(c.margin.name for c in prep.codings),
        converged=converged,
        iterations=iterations,
        max_deviation=max(abs(f.achieved_share - f.target_share) for f in fits),
        unweighted_max_deviation=max(abs(f.unweighted_share - f.target_share) for f in fits),
        categories=fits,
        overall=overall,
        by_mode=by_mode,
        collapses=tuple(r for c in prep.codings for r in c.collapses),
        missing=tuple(r for c in prep.codings for r in c.missing),
        notes=notes,
    )


def worst_fit(diag: Diagnostics) -> CategoryFit:
    """The category furthest from its target, which an error message names."""
    return max(diag.categories, key=lambda r: abs(r.achieved_share - r.target_share))


def fit_label(f: CategoryFit) -> str:
    """`margin=category (share a vs target t)`, how an English message names a category's fit."""
    return f"{f.margin}={f.category} (share {f.achieved_share:.6g} vs target {f.target_share:.6g})"
