"""Cell-level fitting algorithms: post-stratification ratios, IPF and Newton calibration.

Why cells: a respondent's adjustment factor depends only on its joint cell of the
weighting margins, so every algorithm here works on per-cell weight totals (a few
thousand numbers) whatever the number of rows. Callers map factors back to rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from weighting._frames import FloatArray, IntArray
from weighting.errors import BoundsError, NonFiniteError

__all__ = [
    "CalFit",
    "RakeFit",
    "calfun_values",
    "check_bounds",
    "fit_calibration",
    "fit_rake",
    "gram",
    "model_matrix",
    "prescale_of",
]

Calfun = Callable[[FloatArray], tuple[FloatArray, FloatArray]]
_PRESCALE_THRESHOLD = 20.0


@dataclass(frozen=True)
class RakeFit:
    """IPF result: final factor per cell, the cumulative factor after each margin of the last sweep."""

    factor: FloatArray
    sweep_factors: FloatArray
    iterations: int
    converged: bool
    max_deviation: float
    worst: tuple[int, int]


def fit_rake(
    cell_weight: FloatArray,
    cell_categories: tuple[IntArray, ...],
    totals: tuple[FloatArray, ...],
    *,
    max_iter: int,
    tol: float,
) -> RakeFit:
    """Iterative proportional fitting on cell totals until every margin share is within `tol`."""
    n_cells = cell_weight.size
    grand = float(sum(t.sum() for t in totals) / len(totals))
    factor = np.ones(n_cells)
    sweep = np.ones((len(totals), n_cells))
    dev, worst, it = np.inf, (0, 0), 0
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for it in range(1, max_iter + 1):
            for m, (cats, target) in enumerate(zip(cell_categories, totals, strict=True)):
                achieved = np.bincount(cats, weights=cell_weight * factor, minlength=target.size)
                factor = factor * (target / achieved)[cats]
                sweep[m] = factor
            if not np.all(np.isfinite(factor)):
                raise NonFiniteError(
                    f"raking overflowed after {it} iterations (a factor became infinite or undefined): "
                    "the margins have no common solution",
                    code="non_finite", iterations=it,
                )  # fmt: skip
            dev, worst = _max_deviation(cell_weight * factor, cell_categories, totals, grand)
            if dev < tol:
                return RakeFit(factor, sweep, it, True, dev, worst)
    return RakeFit(factor, sweep, it, False, dev, worst)


def _max_deviation(
    w: FloatArray, cell_categories: tuple[IntArray, ...], totals: tuple[FloatArray, ...], grand: float
) -> tuple[float, tuple[int, int]]:
    """Largest |achieved - target| / grand over all categories; infinite when any is undefined."""
    best, worst = -1.0, (0, 0)
    for m, (cats, target) in enumerate(zip(cell_categories, totals, strict=True)):
        diff = np.abs(np.bincount(cats, weights=w, minlength=target.size) - target) / grand
        bad = ~np.isfinite(diff)
        if bad.any():
            return np.inf, (m, int(np.flatnonzero(bad)[0]))
        k = int(np.argmax(diff))
        if diff[k] > best:
            best, worst = float(diff[k]), (m, k)
    return best, worst


def gram(xc: FloatArray, w: FloatArray) -> FloatArray:
    """X' diag(w) X for a cell-level model matrix, without BLAS.

    Why einsum: the matrix is small (cells x margins), and a BLAS gemm of that size wakes
    OpenBLAS's thread pool, which on a busy two-core server costs tens of milliseconds per
    call, more than the whole fit; einsum's own loop takes about a millisecond.
    """
    return np.asarray(np.einsum("ki,kj->ij", xc * w[:, None], xc))


def model_matrix(cell_categories: tuple[IntArray, ...], sizes: tuple[int, ...]) -> FloatArray:
    """Cell-level model matrix: intercept + treatment dummies of each margin (R's default coding)."""
    n_cells = cell_categories[0].size if cell_categories else 0
    cols = [np.ones((n_cells, 1))]
    for cats, size in zip(cell_categories, sizes, strict=True):
        dummies = np.zeros((n_cells, size))
        dummies[np.arange(n_cells), cats] = 1.0
        cols.append(dummies[:, 1:])
    return np.hstack(cols)


def population_vector(totals: tuple[FloatArray, ...]) -> FloatArray:
    """Population totals matching `model_matrix` columns: N then each margin's non-reference counts."""
    grand = float(totals[0].sum())
    return np.concatenate([[grand], *[t[1:] for t in totals]])


def calfun_values(
    calfun: str, u: FloatArray, bounds: tuple[float, float] | None
) -> tuple[FloatArray, FloatArray]:
    """g - 1 and dg/du of R survey's calibration functions (cal.linear, cal.raking, cal.logit)."""
    if calfun == "linear":
        if bounds is None:
            return u.copy(), np.ones_like(u)
        lo, hi = bounds
        inside = (u < hi - 1) & (u > lo - 1)
        return np.clip(u + 1, lo, hi) - 1, inside.astype(np.float64)
    if calfun == "raking":
        e = np.exp(u)
        return e - 1, e
    lo, hi = bounds if bounds is not None else (np.nan, np.nan)
    a = (hi - lo) / ((hi - 1) * (1 - lo))
    e = np.exp(a * u)  # may overflow like R's; grake then halves the step
    den = hi - 1 + (1 - lo) * e
    g = (lo * (hi - 1) + hi * (1 - lo) * e) / den
    dg = a * (hi - 1) * (1 - lo) * (hi - lo) * (e / den) / den  # e/den first: no overflow for large u
    return g - 1, dg


def check_bounds(calfun: str, bounds: tuple[float, float] | None) -> None:
    """Raise BoundsError for bounds that are malformed, or missing where logit needs them."""
    if calfun == "logit" and (bounds is None or not all(np.isfinite(bounds))):
        raise BoundsError("logit calibration needs finite bounds LO,HI with LO < 1 < HI", code="logit_bounds")
    if bounds is not None and not (0 <= bounds[0] < 1 < bounds[1]):
        raise BoundsError(
            f"bounds must satisfy 0 <= LO < 1 < HI, got {bounds[0]:g},{bounds[1]:g}",
            code="bounds_malformed", lo=bounds[0], hi=bounds[1],
        )  # fmt: skip


def prescale_of(cell_weight: FloatArray, xc: FloatArray, population: FloatArray) -> float:
    """R grake's pre-scaling: the mean population/sample ratio when every ratio exceeds 20, else 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = population / (xc.T @ cell_weight)
    return float(np.mean(ratios)) if np.all(ratios > _PRESCALE_THRESHOLD) else 1.0


@dataclass(frozen=True)
class CalFit:
    """Newton calibration result: g per cell and the final relative misfit."""

    g: FloatArray
    iterations: int
    converged: bool
    misfit: float
    prescale: float = 1.0


def fit_calibration(
    cell_weight: FloatArray,
    xc: FloatArray,
    population: FloatArray,
    *,
    calfun: str,
    bounds: tuple[float, float] | None,
    max_iter: int,
    tol: float,
) -> CalFit:
    """Deville–Särndal calibration by Newton steps, step for step as R survey's `grake`.

    Like R: starting weights far below the totals (every population/sample ratio > 20) are
    first rescaled by the mean ratio and the bounds apply after that rescaling; non-finite
    g triggers step halving; convergence is max |misfit| / (1 + |total|) < tol after a step.
    """
    check_bounds(calfun, bounds)
    sample_total = xc.T @ cell_weight
    prescale = prescale_of(cell_weight, xc, population)
    ww = cell_weight * prescale
    sample_total = sample_total * prescale
    denom = 1 + np.abs(population)
    eta = np.zeros(xc.shape[1])
    rcond = 256 * np.finfo(float).eps
    with np.errstate(over="ignore", invalid="ignore"):
        fm1, df = calfun_values(calfun, xc @ eta, bounds)
        it, misfit = 1, np.inf
        while True:
            tmat = gram(xc, ww * df)
            resid = population - sample_total - xc.T @ (ww * fm1)
            deta = np.linalg.pinv(tmat, rcond=rcond, hermitian=True) @ resid
            eta = eta + deta
            fm1, df = calfun_values(calfun, xc @ eta, bounds)
            while it < max_iter and not (np.all(np.isfinite(fm1)) and np.all(np.isfinite(df))):
                it += 1
                deta = deta / 2
                eta = eta - deta
                fm1, df = calfun_values(calfun, xc @ eta, bounds)
            misfit = float(np.max(np.abs(population - sample_total - xc.T @ (ww * fm1)) / denom))
            if misfit < tol:
                break
            it += 1
            if it > max_iter:
                break
    g = (1 + fm1) * prescale
    converged = bool(misfit < tol and np.all(np.isfinite(g)))
    return CalFit(g, min(it, max_iter), converged, misfit, prescale)
