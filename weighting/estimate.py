"""Weighted means, proportions and totals by subgroup, with SEs and 95% CIs.

Why: estimates are only honest with the right SE. By default the SE is calibration-aware
(the design's recorded steps residualise the scores, as R survey after postStratify,
rake and calibrate); `calibrated=False` treats the weights as fixed
(`svydesign(ids=~1, weights=~w)`). Proportion CIs are logit-transformed with design df
(`svyciprop(method="logit")`); mean and total CIs are normal (`confint(svymean())`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Literal

import numpy as np

from weighting._frames import encode, is_numeric, numeric
from weighting.design import Design
from weighting.diagnostics import Note
from weighting.errors import NonFiniteError
from weighting.replicates import ReplicateWeights, replicate_variance
from weighting.variance import degrees_of_freedom, describe_variance, taylor_variance

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Estimate", "EstimateTable", "estimate"]

Statistic = Literal["mean", "total"]
_BATCH = 8


@dataclass(frozen=True)
class Estimate:
    """One estimate: a mean (category "mean"), a proportion of a category, or a total."""

    variable: str
    category: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    by: str | None = None


@dataclass(frozen=True)
class EstimateTable:
    """Estimates with how their SEs were computed (say which SE you report).

    `variance` names the method ("taylor, calibration-aware", or the replicates with how many
    were dropped); `dropped_replicates` is that count, for callers that print it beside the SE.
    `notes` say what a reader must know about single rows (a group with one respondent has no
    confidence interval: its bounds are NaN).
    """

    rows: tuple[Estimate, ...]
    by: str | None
    variance: str
    dropped_replicates: int = 0
    notes: tuple[Note, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """`variable,category,[by],estimate,se,ci_low,ci_high,n`; the subgroup column is named `by`."""
        cols = [
            "variable",
            "category",
            *(["by"] if self.by else []),
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "n",
        ]
        data = [
            [r.variable, r.category, *([r.by] if self.by else []), r.estimate, r.se, r.ci_low, r.ci_high, r.n]
            for r in self.rows
        ]
        import pandas as pd  # noqa: PLC0415  (a polars caller never loads it)

        return pd.DataFrame(data, columns=cols)


@dataclass(frozen=True)
class _Spec:
    variable: str
    category: str
    by: str | None
    y: np.ndarray
    domain: np.ndarray
    proportion: bool


def _specs(design: Design, variables: Sequence[str], by: str | None, statistic: Statistic) -> Iterator[_Spec]:
    groups: list[tuple[str | None, np.ndarray]] = [(None, np.ones(design.n, dtype=bool))]
    if by is not None:
        codes, labels = encode(design.data, by, role="by")
        groups = [(lab, codes == k) for k, lab in enumerate(labels)]
    for var in variables:
        if is_numeric(design.data, var):
            y = numeric(design.data, var)
            valid = np.isfinite(y)
            if not valid.all():
                y = np.where(valid, y, 0.0)
            for lab, mask in groups:
                yield _Spec(var, statistic, lab, y, valid & mask, proportion=False)
            continue
        codes, cats = encode(design.data, var, role="outcome")
        valid = codes >= 0
        for k, cat in enumerate(cats):
            y = (codes == k).astype(np.float64)
            for lab, mask in groups:
                yield _Spec(var, cat, lab, y, valid & mask, proportion=statistic == "mean")


def estimate(
    design: Design,
    variables: Sequence[str],
    *,
    by: str | None = None,
    statistic: Statistic = "mean",
    level: float = 0.95,
    calibrated: bool = True,
    replicates: ReplicateWeights | None = None,
) -> EstimateTable:
    """Estimate means (numeric variables) or category proportions (text variables), or totals.

    Missing outcome values are left out of that variable's estimate (like R's `na.rm=TRUE`,
    a domain: the SE still uses the whole design). A group without any respondent (n = 0) has
    no estimate (NaN, n 0); any other non-finite estimate or SE raises NonFiniteError. A group
    with one respondent gets no confidence interval (NaN bounds), a note and a RuntimeWarning.

    Args:
        design: Weighted design; its steps make the SE calibration-aware.
        variables: Column names.
        by: Optional subgroup column (one set of rows per level).
        statistic: "mean" (proportions for text variables) or "total".
        level: Confidence level.
        calibrated: Residualise on the design's calibration steps (False: weights treated as fixed).
        replicates: Use these replicate weights for the variance instead of linearisation.

    Returns:
        An EstimateTable (`.to_frame()` for the CSV layout).

    Raises:
        NonFiniteError: An estimate or SE of a non-empty group is infinite or undefined.

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design
        >>> d = Design.from_frame(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "w": [1, 1, 1, 1]}), weights="w")
        >>> row = estimate(d, ["y"]).rows[0]
        >>> row.category, row.estimate, round(row.se, 6)
        ('mean', 2.5, 0.645497)
    """
    z_norm = NormalDist().inv_cdf(0.5 + level / 2)
    rows: list[Estimate] = []
    notes: list[Note] = []
    batch: list[tuple[_Spec, float, int, np.ndarray, float]] = []
    w = design.weights
    method = (
        replicates.describe() if replicates is not None else describe_variance(design, calibrated=calibrated)
    )

    def flush() -> None:
        if not batch:
            return
        if replicates is not None:
            var = replicate_variance(
                replicates,
                [(s.y, s.domain) for s, *_ in batch],
                statistic,
                centre=np.array([b[1] for b in batch]),
            )
        else:
            scores = np.empty((design.n, len(batch)), order="F")  # column writes stay contiguous
            for j, (s, est, _, wd, wd_sum) in enumerate(batch):
                if statistic == "mean":
                    np.multiply(wd, s.y - est, out=scores[:, j])
                    scores[:, j] /= wd_sum
                else:
                    np.multiply(wd, s.y, out=scores[:, j])
            var = taylor_variance(design, scores, calibrated=calibrated)
        for (s, est, n, _, _), v in zip(batch, var, strict=True):
            if n and not (np.isfinite(v) and np.isfinite(est)):
                _non_finite(s, est, float(v))
            se = float(np.sqrt(max(v, 0.0))) if n else float("nan")
            lo, hi = _ci(design, s, est, se, z=z_norm, level=level, replicates=replicates)
            if n == 1:  # a lone respondent: the estimate is their answer, an interval says nothing
                lo = hi = float("nan")
                notes.append(_lone(s))
            rows.append(Estimate(s.variable, s.category, est, se, lo, hi, n, s.by))
        batch.clear()

    for spec in _specs(design, variables, by, statistic):
        wd = w if spec.domain.all() else np.where(spec.domain, w, 0.0)
        wd_sum = float(wd.sum())
        total = float(np.dot(wd, spec.y))
        est = (total / wd_sum if wd_sum > 0 else float("nan")) if statistic == "mean" else total
        batch.append((spec, est, int(np.count_nonzero(spec.domain)), wd, wd_sum))
        if len(batch) >= _BATCH:
            flush()
    flush()
    dropped = len(replicates.dropped) if replicates is not None else 0
    if notes:
        warnings.warn("; ".join(notes[:3]) + (f" (and {len(notes) - 3} more)" if len(notes) > 3 else ""),
                      RuntimeWarning, stacklevel=2)  # fmt: skip
    return EstimateTable(tuple(rows), by, method, dropped, tuple(notes))


def _lone(spec: _Spec) -> Note:
    """The note for an estimate resting on one respondent."""
    where = f"{spec.variable}={spec.category}" + (f" in {spec.by}" if spec.by is not None else "")
    return Note(
        f"{where} rests on one respondent: no confidence interval",
        code="one_respondent", variable=spec.variable, category=spec.category, by=spec.by,
    )  # fmt: skip


def _non_finite(spec: _Spec, est: float, variance: float) -> None:
    """Raise NonFiniteError for an estimate or variance that is not a number (never reported)."""
    where = f"{spec.variable}={spec.category}" + (f" (by {spec.by})" if spec.by is not None else "")
    what = "estimate" if not np.isfinite(est) else "variance"
    raise NonFiniteError(
        f"the {what} of {where} is not a finite number ({est if what == 'estimate' else variance!r}): "
        "the weights in this group sum to zero or the replicates failed",
        code="non_finite_estimate", variable=spec.variable, category=spec.category, by=spec.by,
    )  # fmt: skip


def _ci(
    design: Design,
    spec: _Spec,
    est: float,
    se: float,
    *,
    z: float,
    level: float,
    replicates: ReplicateWeights | None,
) -> tuple[float, float]:
    if not spec.proportion:
        return est - z * se, est + z * se
    if not 0 < est < 1 or se == 0:
        return est, est
    df = replicates.degf if replicates is not None else degrees_of_freedom(design, spec.domain)
    from scipy import stats  # noqa: PLC0415  (1 s to import: only when a test or interval needs it)

    q = float(stats.t.ppf(0.5 + level / 2, df))
    centre = np.log(est / (1 - est))
    half = q * se / (est * (1 - est))
    return float(1 / (1 + np.exp(-(centre - half)))), float(1 / (1 + np.exp(-(centre + half))))
