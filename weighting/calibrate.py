"""Calibration (Deville & Särndal 1992): linear (GREG), raking and logit with bounds on g.

Why: linear calibration hits totals in one Newton step and is what GREG variance assumes;
logit calibration keeps g = final / starting weight inside [LO, HI]; raking through
calibrate must agree with `rake` (a built-in cross-check). The algorithm mirrors R
survey's `grake` on the model matrix intercept + treatment dummies of each margin, but on
joint cells, so the cost does not grow with the number of rows.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Literal

import numpy as np

from weighting._adjust import finish, fit_label, prepare, worst_fit
from weighting._cells import CellCoding, MissingPolicy
from weighting._feasibility import bounds_error, check_before, explain_failure, infeasible_error
from weighting._fit import CalFit, check_bounds, fit_calibration, model_matrix, population_vector, prescale_of
from weighting.design import Design
from weighting.diagnostics import Note
from weighting.errors import BoundsError, ConvergenceError
from weighting.targets import Targets

__all__ = ["Calfun", "calibrate"]

Calfun = Literal["linear", "raking", "logit"]


def calibrate(
    design: Design,
    targets: Targets,
    *,
    calfun: Calfun = "linear",
    bounds: tuple[float, float] | None = None,
    population: float | None = None,
    max_iter: int = 50,
    tol: float = 1e-7,
    strict: bool = True,
    missing: MissingPolicy = "error",
    collapse: Mapping[str, Mapping[str, str]] | None = None,
    min_cell: int = 0,
) -> Design:
    """Calibrate the weights to the margin totals with the chosen distance function.

    Args:
        design: The design to adjust.
        targets: Margins (single or crossed) with shares or counts.
        calfun: "linear" (GREG; with `bounds`, R's truncated linear), "raking" or "logit".
        bounds: (LO, HI) on g = final weight / starting weight; required for "logit". As in R,
            starting weights far below the totals (every total/sample ratio > 20) are first
            rescaled by the mean ratio, and the bounds apply after that (noted in diagnostics).
        population: Total the weights sum to (default: count targets' total, else n).
        max_iter: Newton iteration cap (R default 50).
        tol: Convergence on max |misfit| / (1 + |total|), as R's `epsilon` (default 1e-7).
        strict: Raise on non-convergence (default); else warn and record it.
        missing: "error", "mode" or "category" (see `poststratify`).
        collapse: Explicit category merges per margin.
        min_cell: Merge margin categories with fewer respondents into a neighbour.

    Returns:
        A new Design with the calibration step (model matrix, g) and Diagnostics recorded.

    Raises:
        BoundsError: Malformed bounds, or bounds that cannot be met (the message names the
            categories g within the bounds cannot carry to their target, or the margins that
            cannot be met together: checked on the cells before iterating and, exactly, by a
            linear programme when iterating fails).
        InfeasibleError: Raking calibration to margins no positive weights can meet.
        ConvergenceError: No convergence without bounds (e.g. raking to impossible totals).

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design, Targets
        >>> d = Design.from_frame(pd.DataFrame({"sex": ["F", "M", "M", "M"]}))
        >>> t = Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}})
        >>> calibrate(d, t, calfun="logit", bounds=(0.5, 2.5)).weights.round(6).tolist()
        [2.0, 0.666667, 0.666667, 0.666667]
    """
    _check_method(calfun, bounds)
    prep = prepare(
        design, targets, population=population, missing=missing, collapse=collapse, min_cell=min_cell
    )
    sizes = tuple(len(c.margin.categories) for c in prep.codings)
    xc = model_matrix(prep.cells.cell_categories, sizes)
    pop_vector = population_vector(prep.totals)
    positive = calfun != "linear" or bounds is not None
    problem = prep.problem(prescale_of(prep.cell_weight, xc, pop_vector)) if positive else None
    if problem is not None:  # the weights must stay positive (or within bounds): can they?
        check_before(problem, bounds)
    fit = fit_calibration(
        prep.cell_weight,
        xc,
        pop_vector,
        calfun=calfun,
        bounds=bounds,
        max_iter=max_iter,
        tol=tol,
    )
    if problem is not None and not fit.converged:
        status, why = explain_failure(problem, bounds)
        if status != "feasible":
            raise bounds_error(why, bounds) if bounds is not None else infeasible_error(why)
    _refuse_non_finite(fit, calfun, bounds)
    out = finish(
        design,
        prep,
        method=calfun,
        factors=fit.g[None, :],
        weights=prep.apply(fit.g),
        iterations=fit.iterations,
        converged=fit.converged,
        bounds=bounds,
        max_iter=max_iter,
        tol=tol,
        notes=_notes(fit, prep.cells),
        cell_factor=fit.g,
    )
    g = fit.g / fit.prescale  # R applies the bounds after its pre-scaling
    out_of_bounds = bounds is not None and (g.min() < bounds[0] - 1e-9 or g.max() > bounds[1] + 1e-9)
    if fit.converged and not out_of_bounds and (calfun == "linear" or bool(np.all(fit.g > 0))):
        return out
    _refuse_unmet(out, fit, calfun, bounds, tol=tol, strict=strict)
    return out


def _check_method(calfun: str, bounds: tuple[float, float] | None) -> None:
    """Refuse a method or bounds the calibration cannot honour, before any work."""
    if calfun not in ("linear", "raking", "logit"):
        raise BoundsError(f"unknown calibration function {calfun!r} (use linear, raking or logit)")
    if bounds is not None and calfun == "raking":
        raise BoundsError(
            "bounds need calfun 'linear' or 'logit' (raking is unbounded)", code="raking_bounds"
        )
    check_bounds(calfun, bounds)


def _refuse_non_finite(fit: CalFit, calfun: str, bounds: tuple[float, float] | None) -> None:
    """A diverged fit has no weights to show: say whether the bounds or the method are to blame."""
    if np.all(np.isfinite(fit.g)):
        return
    what = f"bounds {bounds[0]:g},{bounds[1]:g} cannot be met" if bounds else f"{calfun} calibration diverged"
    message = f"calibration {what}: no finite solution after {fit.iterations} iterations; collapse categories"
    if bounds:
        raise BoundsError(message, code="bounds_unmet", lo=bounds[0], hi=bounds[1], iterations=fit.iterations)
    raise ConvergenceError(message, code="diverged", method=calfun, iterations=fit.iterations)


def _notes(fit: CalFit, cells: CellCoding) -> tuple[Note, ...]:
    """What an analyst must know about weights that were computed: negative ones, R's pre-scaling."""
    counts = cells.counts
    negative = int(counts[fit.g < 0].sum()) if counts is not None else int((fit.g[cells.cells] < 0).sum())
    notes: tuple[Note, ...] = ()
    if negative:
        notes = (
            Note(
                f"{negative} negative weights (linear calibration): consider logit with bounds",
                code="negative_weights", n=negative,
            ),
        )  # fmt: skip
    if fit.prescale != 1.0:
        notes = (
            *notes,
            Note(
                f"starting weights rescaled by {fit.prescale:.4g} first (as R); bounds apply after",
                code="rescaled", factor=fit.prescale,
            ),
        )  # fmt: skip
    return notes


def _refuse_unmet(
    out: Design, fit: CalFit, calfun: str, bounds: tuple[float, float] | None, *, tol: float, strict: bool
) -> None:
    """Bounds that the converged weights still break, or no convergence: raise (or warn if not strict)."""
    worst = worst_fit(out.diagnostics[-1])
    where = fit_label(worst)
    if bounds is not None:
        raise BoundsError(
            f"calibration bounds {bounds[0]:g},{bounds[1]:g} cannot be met: after {fit.iterations} "
            f"iterations {where}; widen the bounds or collapse categories",
            code="bounds_unmet", lo=bounds[0], hi=bounds[1], iterations=fit.iterations,
        )  # fmt: skip
    msg = (
        f"{calfun} calibration did not converge after {fit.iterations} iterations: relative misfit "
        f"{fit.misfit:.3g} (tolerance {tol:g}); worst {where}"
    )
    if strict:
        raise ConvergenceError(
            msg, code="no_convergence", method=calfun, iterations=fit.iterations, variable=worst.margin,
            category=worst.category, achieved=worst.achieved_share, target=worst.target_share,
        )  # fmt: skip
    warnings.warn(msg, RuntimeWarning, stacklevel=3)
