"""Raking (iterative proportional fitting) on any number of margins, crossed ones included.

Why on cells: the raking factor of a respondent depends only on its joint cell, so IPF
runs on the observed cells (a bincount of the starting weights) and maps back to rows:
a million rows rake in milliseconds after encoding.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

from weighting._adjust import finish, prepare
from weighting._cells import MissingPolicy
from weighting._feasibility import check_before, explain_failure, infeasible_error
from weighting._fit import fit_rake
from weighting.design import Design
from weighting.errors import ConvergenceError, NonFiniteError
from weighting.targets import Targets

__all__ = ["rake"]


def rake(
    design: Design,
    targets: Targets,
    *,
    population: float | None = None,
    max_iter: int = 100,
    tol: float = 1e-6,
    strict: bool = True,
    missing: MissingPolicy = "error",
    collapse: Mapping[str, Mapping[str, str]] | None = None,
    min_cell: int = 0,
) -> Design:
    """Rake the weights to every margin of `targets` by IPF.

    Convergence: after a full sweep, every category's weighted share is within `tol` of its
    target share. Starting weights are the design's current weights (base weights, or 1 = N/n
    after rescaling), rescaled to the population total.

    Before iterating, every pair of margins is checked for a category whose target exceeds
    the targets of the categories it is observed with (no positive weights could meet both);
    when iterating fails, a linear programme on the cells tells "no solution" (InfeasibleError,
    naming the categories) from "only with zero weights" and from "needs more sweeps".

    Args:
        design: The design to adjust.
        targets: Margins (single or crossed) with shares or counts.
        population: Total the weights sum to (default: count targets' total, else n).
        max_iter: Sweep cap.
        tol: Largest allowed |achieved share - target share|.
        strict: Raise ConvergenceError when not converged (default); else warn and record it.
        missing: "error", "mode" or "category" (see `poststratify`).
        collapse: Explicit category merges per margin.
        min_cell: Merge margin categories with fewer respondents into a neighbour.

    Returns:
        A new Design with the raking step and Diagnostics recorded.

    Raises:
        InfeasibleError: No positive weights meet every margin (message: the categories in conflict).
        ConvergenceError: Not converged within `max_iter` sweeps (message: sweeps, worst category, gap).
        TargetsError: Category mismatches between data and targets.

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design, Targets
        >>> df = pd.DataFrame({"sex": ["F", "F", "M", "M", "M"], "age": ["y", "o", "y", "o", "o"]})
        >>> t = Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}, "age": {"y": 0.5, "o": 0.5}})
        >>> d = rake(Design.from_frame(df), t, tol=1e-10)
        >>> float(round(d.weights[[0, 2]].sum(), 6)), float(round(d.weights[:2].sum(), 6))
        (2.5, 2.5)
    """
    prep = prepare(
        design, targets, population=population, missing=missing, collapse=collapse, min_cell=min_cell
    )
    problem = prep.problem()
    check_before(problem)
    try:
        fit = fit_rake(prep.cell_weight, prep.cells.cell_categories, prep.totals, max_iter=max_iter, tol=tol)
    except NonFiniteError as exc:
        status, why = explain_failure(problem)
        if status == "feasible":
            raise
        raise infeasible_error(why) from exc
    why = ""
    if not fit.converged:
        status, why = explain_failure(problem)
        if status == "infeasible":
            raise infeasible_error(why)
    weights = prep.apply(fit.factor)
    out = finish(
        design,
        prep,
        method="rake",
        factors=fit.sweep_factors,
        weights=weights,
        iterations=fit.iterations,
        converged=fit.converged,
        max_iter=max_iter,
        tol=tol,
        cell_factor=fit.factor,
    )
    if not fit.converged:
        msg = (
            f"raking did not converge after {fit.iterations} iterations: {prep.margin_label(*fit.worst)} "
            f"is {fit.max_deviation:.3g} off its target share (tolerance {tol:g})"
            + (f"; {why}" if why else "")
        )
        if strict:
            variable, category = prep.margin_category(*fit.worst)
            raise ConvergenceError(
                msg, code="rake_no_convergence", iterations=fit.iterations, variable=variable,
                category=category, deviation=fit.max_deviation, tol=tol,
            )  # fmt: skip
        warnings.warn(msg, RuntimeWarning, stacklevel=2)
    return out
