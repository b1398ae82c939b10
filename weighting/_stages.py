"""Multistage variance with finite population corrections and lonely-PSU policies, as R's `svyrecvar`.

Why a module of its own: the one-stage with-replacement formula (variance.py's fast path)
covers most consultations. Designs drawn in stages (districts, then schools) with known
population sizes need R's `multistage`: the first stage's between-PSU variance times
(1 - n/N), plus, inside every PSU, the second stage's variance scaled by the first stage's
sampling fraction n/N. Strata with a single PSU follow `survey.lonely.psu`. Everything is
vectorised over PSUs (bincount), never a Python loop over strata.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from weighting.errors import DesignError

__all__ = ["LONELY_PSU", "LonelyPSU", "stage_covariance"]

LonelyPSU = Literal["fail", "remove", "adjust", "average", "certainty"]
LONELY_PSU: tuple[str, ...] = ("fail", "remove", "adjust", "average", "certainty")


def _rowsum(x: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    out = np.empty((n_groups, x.shape[1]))
    for j in range(x.shape[1]):
        out[:, j] = np.bincount(groups, weights=x[:, j], minlength=n_groups)
    return out


def stage_covariance(
    x: np.ndarray,
    strata: np.ndarray,
    clusters: np.ndarray,
    popsize: np.ndarray | None,
    *,
    lonely: LonelyPSU,
    stage: int,
    labels: tuple[str, ...],
    multiplier: np.ndarray | None = None,
) -> np.ndarray:
    """Σ over strata of R's `onestrat` (k × k), for rows `x` in `strata` (codes) and `clusters` (codes).

    Args:
        x: n × k scores.
        strata: Stratum code per row (0..H-1).
        clusters: Cluster code per row (0..C-1), each cluster inside one stratum.
        popsize: Population size N_h per row (its stratum's), or None (with replacement).
        lonely: What a stratum with one sampled cluster contributes.
        stage: 1 or 2, for messages.
        labels: Stratum labels, for messages.
        multiplier: Optional factor per stratum (stage 2: the first stage's n/N of the PSU).

    Returns:
        The covariance matrix of the column totals.
    """
    k = x.shape[1]
    n_clusters = int(clusters.max()) + 1
    n_strata = int(strata.max()) + 1
    totals = _rowsum(x, clusters, n_clusters)
    stratum_of = np.zeros(n_clusters, dtype=np.int64)
    stratum_of[clusters] = strata
    present = np.bincount(clusters, minlength=n_clusters) > 0
    n_h = np.bincount(stratum_of[present], minlength=n_strata).astype(np.float64)
    if popsize is None:
        f = np.ones(n_strata)
    else:
        pop_h = np.zeros(n_strata)
        pop_h[strata] = popsize
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(np.isinf(pop_h), 1.0, (pop_h - n_h) / pop_h)
    certain = f < 1e-7  # every unit sampled: no variance from this stratum at this stage
    lone = (n_h == 1) & ~certain & (np.bincount(strata, minlength=n_strata) > 0)
    if lone.any() and lonely == "fail":
        h = int(np.flatnonzero(lone)[0])
        raise DesignError(
            f"stratum {labels[h] if h < len(labels) else h + 1} has only one PSU at stage {stage}: its variance "
            "cannot be estimated; choose a lonely-PSU policy (remove, adjust, average, certainty) or merge strata",
            code="lonely_psu", stratum=labels[h] if h < len(labels) else str(h + 1), stage=stage,
        )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_h > 1, f * n_h / (n_h - 1), f)
    scale = np.where(certain, 0.0, scale)
    if multiplier is not None:
        scale = scale * multiplier
    means = _rowsum(totals, stratum_of, n_strata) / np.maximum(n_h, 1)[:, None]
    centred = totals - means[stratum_of]
    if lonely == "adjust":  # the lonely PSU deviates from the population mean (zero for scores)
        centred = np.where(lone[stratum_of][:, None], totals, centred)
    keep = present.copy()
    if lonely == "average":
        keep &= ~lone[stratum_of]
    weighted = centred[keep] * scale[stratum_of[keep]][:, None]
    cov = np.asarray(weighted.T @ centred[keep]) if k else np.zeros((0, 0))
    if lonely == "average" and lone.any():
        n_used = int(np.count_nonzero(np.bincount(strata, minlength=n_strata) > 0))
        cov = cov * n_used / (n_used - int(lone.sum()))
    return cov
