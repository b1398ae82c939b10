"""Replicate weights (JK1 / bootstrap), each replicate re-weighted through every recorded step.

Why: replicate variance is what R/Stata users can reuse without our code; it is only
valid when each replicate is re-calibrated, so we replay the design's steps on each
replicate's base weights (cell-level, cheap). Bootstrap takes a seed for reproducibility.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from weighting._feasibility import Problem, bounds_error, check_before, explain_failure, infeasible_error
from weighting._fit import fit_calibration, fit_rake, model_matrix, population_vector, prescale_of
from weighting._frames import Frame
from weighting.design import Design, Step, require_finite
from weighting.errors import ConvergenceError, DesignError, NonFiniteError, WeightingError
from weighting.variance import degrees_of_freedom

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ReplicateFailure",
    "ReplicateKind",
    "ReplicateWeights",
    "refit_step",
    "replay_replicates",
    "replay_step",
    "replicate_variance",
    "replicate_weights",
]

ReplicateKind = Literal["jk1", "bootstrap"]
ReplicateFailure = Literal["error", "drop"]


@dataclass(frozen=True, eq=False)
class ReplicateWeights:
    """Replicate weights (n × R), already re-calibrated, with R's `scale` and `rscales`.

    Variance = scale · Σ_r rscales_r (θ_r − θ̄)², θ̄ the mean of the replicates (R's default
    `mse=FALSE`) or, with `mse=True`, the full-sample estimate.

    Attributes:
        kind: jk1, bootstrap (made here) or the type of supplied weights (JK1, JKn, BRR, Fay,
            bootstrap, SDR, other).
        weights: n × R replicate weights (the columns kept).
        scale: R's `scale`.
        rscales: R's `rscales`, one per kept replicate.
        seed: Bootstrap seed, if any.
        mse: Centre the squared deviations on the full-sample estimate.
        dropped: 1-based numbers of the replicates that could not be calibrated and were
            dropped (`replicate_failure="drop"`); reported beside every SE.
        reasons: Why each dropped replicate failed (the error's one-line message).
        design_df: Degrees of freedom of the design the replicates were made from, if known.
    """

    kind: str
    weights: np.ndarray
    scale: float
    rscales: np.ndarray
    seed: int | None = None
    mse: bool = False
    dropped: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()
    design_df: int | None = None

    @property
    def n_replicates(self) -> int:
        """Number of replicates R."""
        return int(self.weights.shape[1])

    @functools.cached_property
    def degf(self) -> int:
        """Design degrees of freedom, as R's `degf` of a replicate design (CIs, Rao–Scott F).

        Replicates made here carry the design's (PSUs − strata, as R's `as.svrepdesign`);
        supplied ones the rank of the replicate weights − 1 (R: `qr(weights, tol=1e-5)$rank - 1`).
        """
        if self.design_df is not None:
            return self.design_df
        w = self.weights / np.maximum(np.sqrt((self.weights**2).sum(axis=0)), 1e-300)
        eig = np.linalg.eigvalsh(w.T @ w)
        rank = int(np.count_nonzero(eig > (1e-5) ** 2 * eig.max()))
        return max(rank - 1, 1)

    @classmethod
    def from_frame(
        cls,
        data: Frame,
        pattern: str | Sequence[str],
        *,
        type: str = "JK1",
        scale: float | None = None,
        rscales: Sequence[float] | None = None,
        mse: bool = False,
        rho: float | None = None,
    ) -> ReplicateWeights:
        """Supplied replicate weight columns, as R's `svrepdesign`: see `weighting.supplied_replicates`.

        Examples:
            >>> import pandas as pd
            >>> df = pd.DataFrame({"r1": [0.0, 2.0], "r2": [2.0, 0.0]})
            >>> ReplicateWeights.from_frame(df, "^r", type="JK1").scale
            0.5
        """
        from weighting.supplied import supplied_replicates  # noqa: PLC0415  (supplied imports this module)

        return supplied_replicates(
            data,
            pattern,
            type=cast("Any", type),  # checked there, with the list of types
            scale=scale,
            rscales=rscales,
            mse=mse,
            rho=rho,
        )

    def describe(self) -> str:
        """How SEs from these replicates were computed, with the dropped count (e.g. for a CSV header).

        Examples:
            >>> import numpy as np
            >>> ReplicateWeights("bootstrap", np.ones((2, 48)), 1 / 47, np.ones(48), dropped=(3, 9)).describe()
            'replicates (bootstrap, 48 of 50; 2 dropped: could not be calibrated)'
        """
        text = f"replicates ({self.kind}, {self.n_replicates}"
        if self.dropped:
            total = self.n_replicates + len(self.dropped)
            text += f" of {total}; {len(self.dropped)} dropped: could not be calibrated"
        return text + (", mse" if self.mse else "") + ")"

    def to_frame(self, prefix: str = "repw_") -> pd.DataFrame:
        """Replicate weight columns `repw_1..repw_R` for export (R: svrepdesign(repweights="repw_"))."""
        cols = [f"{prefix}{r + 1}" for r in range(self.n_replicates)]
        import pandas as pd  # noqa: PLC0415  (a polars caller never loads it)

        return pd.DataFrame(self.weights, columns=cols)


def _multipliers(
    design: Design, kind: ReplicateKind, n_replicates: int, seed: int | None, max_replicates: int
) -> tuple[np.ndarray, float, np.ndarray]:
    psu = design.psu if design.psu is not None else np.arange(design.n)
    n_psu = int(psu.max()) + 1
    stratum_of = np.zeros(n_psu, dtype=np.int64)
    if design.strata is not None:
        stratum_of[psu] = design.strata
    n_h = np.bincount(stratum_of).astype(np.float64)
    if (n_h == 1).any():
        raise DesignError("replicates need at least 2 PSUs in every stratum")
    if kind == "jk1":
        if n_psu > max_replicates:
            raise DesignError(
                f"jk1 would need {n_psu} replicates (one per PSU; limit {max_replicates}): "
                "give --cluster or use bootstrap"
            )
        mult = np.ones((n_psu, n_psu))
        same = stratum_of[:, None] == stratum_of[None, :]
        mult[same] = (n_h / (n_h - 1))[stratum_of][np.nonzero(same)[1]]
        np.fill_diagonal(mult, 0.0)
        if design.strata is None:
            return mult, (n_psu - 1) / n_psu, np.ones(n_psu)
        return mult, 1.0, (n_h - 1)[stratum_of] / n_h[stratum_of]
    rng = np.random.default_rng(seed)
    mult = np.zeros((n_psu, n_replicates))
    for h in range(n_h.size):
        members = np.flatnonzero(stratum_of == h)
        m = members.size
        for r in range(n_replicates):
            draws = np.bincount(rng.integers(0, m, size=m - 1), minlength=m)
            mult[members, r] = draws * m / (m - 1)
    return mult, 1.0 / (n_replicates - 1), np.ones(n_replicates)


def replay_step(step: Step, weights: np.ndarray) -> np.ndarray:
    """Apply a recorded step to new starting weights (same cells, targets and options)."""
    return refit_step(step, weights)[0]


def refit_step(
    step: Step, weights: np.ndarray, *, replicate: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Re-run a recorded step from `weights`: the new weights and the step's new `factors`.

    Raises:
        InfeasibleError: The replicate's cells cannot meet the margins (names the categories).
        BoundsError: The replicate cannot meet the calibration bounds.
        ConvergenceError: The replicate's fit did not converge although a solution exists.
    """
    if step.method == "trim":
        return weights * step.factors[0], step.factors
    old = weights * (step.total / weights.sum()) if step.rescale else weights
    cell_w = np.bincount(step.cells, weights=old, minlength=step.n_cells).astype(np.float64)
    where = f"replicate {replicate}: " if replicate is not None else "a replicate "
    for cats, margin in zip(step.cell_categories, step.margins, strict=True):
        empty = np.flatnonzero(np.bincount(cats, weights=cell_w, minlength=len(margin.categories)) <= 0)
        if empty.size:
            raise DesignError(
                f"{where}leaves {margin.name}={margin.categories[int(empty[0])]} without respondents: "
                "use fewer, larger PSUs or collapse categories",
                code="replicate_empty", replicate=replicate, variable=margin.name,
                category=margin.categories[int(empty[0])],
            )  # fmt: skip
    if step.method == "poststratify":
        (cats,) = step.cell_categories
        ratio = step.totals[0][cats] / cell_w
        return old * ratio[step.cells], ratio[None, :]
    if step.method == "rake":
        problem = Problem(cell_w, step.cell_categories, step.totals, step.margins)
        check_before(problem, replicate=replicate)
        try:
            fit = fit_rake(cell_w, step.cell_categories, step.totals, max_iter=step.max_iter, tol=step.tol)
        except NonFiniteError as exc:
            raise _failure(problem, None, replicate) from exc
        if not fit.converged:
            raise _failure(problem, None, replicate)
        return old * fit.factor[step.cells], fit.sweep_factors
    sizes = tuple(int(t.size) for t in step.totals)
    xc = model_matrix(step.cell_categories, sizes)
    population = population_vector(step.totals)
    positive = step.method != "linear" or step.bounds is not None
    problem = Problem(
        cell_w * prescale_of(cell_w, xc, population), step.cell_categories, step.totals, step.margins
    )
    if positive:
        check_before(problem, step.bounds, replicate=replicate)
    cal = fit_calibration(
        cell_w,
        xc,
        population,
        calfun=step.method,
        bounds=step.bounds,
        max_iter=step.max_iter,
        tol=step.tol,
    )
    if not cal.converged:
        if positive:
            raise _failure(problem, step.bounds, replicate)
        raise ConvergenceError(
            f"{where}did not converge in {step.method} calibration",
            code="replicate_no_convergence", replicate=replicate,
        )  # fmt: skip
    return old * cal.g[step.cells], cal.g[None, :]


def _failure(problem: Problem, bounds: tuple[float, float] | None, replicate: int | None) -> WeightingError:
    """The error for a replicate whose fit failed: the conflict when there is one, else non-convergence."""
    status, why = explain_failure(problem, bounds)
    if status != "feasible":
        if bounds is not None:
            return bounds_error(why, bounds, replicate=replicate)
        return infeasible_error(why, replicate=replicate)
    where = f"replicate {replicate}" if replicate is not None else "a replicate"
    return ConvergenceError(
        f"{where} did not converge within its iteration cap although a solution exists: raise max_iter",
        code="replicate_no_convergence", replicate=replicate,
    )  # fmt: skip


def replicate_weights(
    design: Design,
    kind: ReplicateKind = "bootstrap",
    *,
    n_replicates: int = 50,
    seed: int | None = None,
    max_replicates: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    replicate_failure: ReplicateFailure = "error",
) -> ReplicateWeights:
    """Replicate weights with every recorded step replayed on each replicate.

    JK1 drops one PSU (each row when there are no clusters) at a time; with strata it is the
    stratified jackknife (R's JKn). Bootstrap is the Rao–Wu rescaled bootstrap (n_h − 1 PSUs
    drawn with replacement per stratum, as R's `bootweights`), reproducible with `seed`.

    A replicate whose calibration has no solution (its PSUs leave a conflict between margins)
    or does not converge is handled by `replicate_failure`: "error" (default) raises the
    replicate's error; "drop" leaves it out, warns, and records it in `dropped`, which
    `estimate` reports beside the SE. Dropping is not neutral: bootstrap rescales to the
    replicates kept (scale 1/(R'-1)); a jackknife loses that PSU's term, so its SE is too small.

    Args:
        design: The weighted design (its steps are replayed on each replicate).
        kind: "jk1" or "bootstrap".
        n_replicates: Bootstrap replicates.
        seed: Bootstrap seed.
        max_replicates: Refuse a jackknife with more PSUs than this.
        progress: Called with (done, total) after each replicate.
        replicate_failure: "error" or "drop" (see above).

    Returns:
        ReplicateWeights.

    Raises:
        WeightingError: A replicate failed under "error" (the message names it and why), or
            fewer than two replicates are left under "drop".

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design
        >>> d = Design.from_frame(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
        >>> replicate_weights(d, "jk1").weights.tolist()
        [[0.0, 1.5, 1.5], [1.5, 0.0, 1.5], [1.5, 1.5, 0.0]]
    """
    if kind not in ("jk1", "bootstrap"):
        raise DesignError(f"unknown replicate kind {kind!r} (use jk1 or bootstrap)")
    if replicate_failure not in ("error", "drop"):
        raise DesignError(f"unknown replicate_failure {replicate_failure!r} (use error or drop)")
    if kind == "bootstrap" and n_replicates < 2:
        raise DesignError("bootstrap needs at least 2 replicates")
    mult, scale, rscales = _multipliers(design, kind, n_replicates, seed, max_replicates)
    psu = design.psu if design.psu is not None else np.arange(design.n)
    out, dropped, reasons = replay_replicates(
        design, lambda r: design.base_weights * mult[psu, r], mult.shape[1], replicate_failure, progress
    )
    kept = np.setdiff1d(np.arange(mult.shape[1]), np.asarray(dropped, dtype=np.int64) - 1)
    if kind == "bootstrap" and dropped:
        scale = 1.0 / (kept.size - 1)
    return ReplicateWeights(
        kind,
        out,
        scale,
        rscales[kept],
        seed,
        dropped=dropped,
        reasons=reasons,
        design_df=degrees_of_freedom(design),
    )


def replay_replicates(
    design: Design,
    start: Callable[[int], np.ndarray],
    total: int,
    replicate_failure: ReplicateFailure,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, tuple[int, ...], tuple[str, ...]]:
    """Replay the design's steps on replicate r's starting weights `start(r)` for r < `total`.

    Returns the kept replicate weights (n × kept), the 1-based numbers dropped, and why.
    """
    out = np.empty((design.n, total))
    dropped: list[int] = []
    reasons: list[str] = []
    for r in range(total):
        w = start(r)
        try:
            for step in design.steps:
                w = refit_step(step, w, replicate=r + 1)[0]
            require_finite(w, f"replicate {r + 1}")
        except WeightingError as exc:
            if replicate_failure == "error":
                raise
            dropped.append(r + 1)
            reasons.append(str(exc))
        else:
            out[:, r] = w
        if progress is not None:
            progress(r + 1, total)
    if dropped:
        kept = total - len(dropped)
        if kept < 2:
            raise DesignError(
                f"{len(dropped)} of {total} replicates could not be calibrated, fewer than 2 are left: {reasons[0]}",
                code="replicates_all_failed", dropped=len(dropped), total=total,
            )  # fmt: skip
        warnings.warn(
            f"{len(dropped)} of {total} replicates could not be calibrated and were dropped "
            f"(the first: {reasons[0]}); the SE uses the {kept} others",
            RuntimeWarning,
            stacklevel=3,
        )
        out = np.delete(out, np.asarray(dropped) - 1, axis=1)
    return out, tuple(dropped), tuple(reasons)


def replicate_variance(
    reps: ReplicateWeights,
    columns: Sequence[tuple[np.ndarray, np.ndarray]],
    statistic: str,
    *,
    centre: np.ndarray | None = None,
) -> np.ndarray:
    """Replicate variance of the mean (or total) of each (y, domain) column.

    `centre`: the full-sample estimates, used instead of the replicate mean when `reps.mse`.
    """
    ys = np.column_stack([np.where(d, y, 0.0) for y, d in columns])
    num = ys.T @ reps.weights
    if statistic == "mean":
        den = np.column_stack([d.astype(np.float64) for _, d in columns]).T @ reps.weights
        with np.errstate(divide="ignore", invalid="ignore"):
            theta = num / den
    else:
        theta = num
    mid = centre[:, None] if reps.mse and centre is not None else theta.mean(axis=1, keepdims=True)
    centred = theta - mid
    var = np.asarray(reps.scale * (centred**2 * reps.rscales[None, :]).sum(axis=1))
    empty = ~np.column_stack([d for _, d in columns]).any(axis=0)
    if not np.all(np.isfinite(var[~empty])):
        raise NonFiniteError(
            "a replicate estimate is not a finite number (a replicate leaves a group without weight)",
            code="non_finite_replicate",
        )
    return var
