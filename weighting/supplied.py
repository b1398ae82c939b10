"""Replicate weights delivered with the data (by a survey vendor or a statistical office).

Why: many files arrive with a final weight and R replicate weight columns (jackknife, BRR,
Fay, bootstrap, successive differences). Their variance needs only the type's `scale` and
`rscales`, exactly as R `survey::svrepdesign(repweights=, type=, scale=, rscales=, mse=)`
defines them; and when we calibrate the final weights, each replicate must be calibrated the
same way from its own weights (R's `calibrate`/`rake` on a `svyrep.design`), or the SE
forgets the calibration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np

from weighting._frames import Frame, column_names, numeric
from weighting.design import Design
from weighting.errors import DesignError, VariableError
from weighting.replicates import ReplicateFailure, ReplicateWeights, replay_replicates

__all__ = ["ReplicateType", "recalibrate_replicates", "supplied_replicates"]

ReplicateType = Literal["JK1", "JKn", "BRR", "Fay", "bootstrap", "SDR", "other"]
_TYPES: tuple[str, ...] = ("JK1", "JKn", "BRR", "Fay", "bootstrap", "SDR", "other")


def _columns(data: Frame, pattern: str | Sequence[str]) -> list[str]:
    names = column_names(data)
    if not isinstance(pattern, str):
        missing = [c for c in pattern if c not in names]
        if missing:
            raise VariableError(f"replicate weight column {missing[0]!r} is not a column of the data")
        return list(pattern)
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise VariableError(
            f"replicate weight pattern {pattern!r} is not a regular expression: {exc}"
        ) from exc
    found = [c for c in names if regex.search(c)]
    if not found:
        raise VariableError(
            f"no column matches the replicate weight pattern {pattern!r}",
            code="no_replicate_columns",
            pattern=pattern,
        )
    return found


def _scales(
    kind: str, r: int, scale: float | None, rscales: Sequence[float] | None, rho: float | None
) -> tuple[float, np.ndarray]:
    """R svrepdesign's defaults for each type."""
    given = None if rscales is None else np.asarray(rscales, dtype=np.float64)
    if given is not None and given.size not in (1, r):
        raise DesignError(f"rscales has {given.size} values; the data have {r} replicate columns")
    ones = np.ones(r)
    if kind == "Fay" and (rho is None or not 0 <= rho < 1):
        raise DesignError("type Fay needs rho, the Fay coefficient, with 0 <= rho < 1")
    if kind == "JKn" and given is None:
        raise DesignError("type JKn needs rscales ((n_h - 1) / n_h of each replicate's stratum)")
    defaults = {
        "JK1": ((r - 1) / r, ones),
        "BRR": (1 / r, ones),
        "Fay": (1 / (r * (1 - (rho or 0.0)) ** 2), ones),
        "bootstrap": (1 / (r - 1), ones),
        "SDR": (4 / r, ones),
        "JKn": (1.0, ones),
        "other": (1.0, ones),
    }
    default_scale, default_rscales = defaults[kind]
    if kind in ("BRR", "Fay", "SDR"):  # R ignores scale/rscales for these
        return default_scale, default_rscales
    out_scale = default_scale if scale is None else float(scale)
    out_rscales = default_rscales if given is None else np.broadcast_to(given, (r,)).astype(np.float64)
    return out_scale, out_rscales


def supplied_replicates(
    data: Frame,
    pattern: str | Sequence[str],
    *,
    type: ReplicateType = "JK1",
    scale: float | None = None,
    rscales: Sequence[float] | None = None,
    mse: bool = False,
    rho: float | None = None,
) -> ReplicateWeights:
    """Replicate weights from columns of `data`, as R's `svrepdesign(combined.weights=TRUE)`.

    The columns hold analysis weights (final weight times the replicate factor), which is how
    vendors deliver them. Estimate with `estimate(design, ..., replicates=reps)` where `design`
    carries the final weight column; calibrate with `recalibrate_replicates`.

    Args:
        data: The respondents.
        pattern: A regular expression searched in column names (R's `repweights="repw[0-9]+"`),
            or the column names themselves, in order.
        type: JK1, JKn, BRR, Fay, bootstrap, SDR (successive differences) or other.
        scale: Overall multiplier; default as R: JK1 (R-1)/R, bootstrap 1/(R-1), BRR 1/R,
            Fay 1/(R(1-rho)^2), SDR 4/R, JKn and other 1. Ignored for BRR, Fay and SDR, as in R.
        rscales: Per-replicate multipliers (required for JKn); default 1.
        mse: Centre squared deviations on the full-sample estimate instead of the replicates' mean.
        rho: Fay's coefficient (type Fay only).

    Returns:
        ReplicateWeights with `kind` = `type`.

    Raises:
        VariableError: No column matches, or a column is not numeric.
        DesignError: A weight is missing or negative, or the type's parameters are wrong.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"w": [2.0, 2.0, 2.0], "rw1": [0.0, 3.0, 3.0], "rw2": [3.0, 0.0, 3.0],
        ...                    "rw3": [3.0, 3.0, 0.0]})
        >>> reps = supplied_replicates(df, "^rw", type="JK1")
        >>> reps.n_replicates, round(reps.scale, 6), reps.kind
        (3, 0.666667, 'JK1')
    """
    if type not in _TYPES:
        raise DesignError(
            f"unknown replicate type {type!r} (use {', '.join(_TYPES)})", code="replicate_type", type=type
        )
    columns = _columns(data, pattern)
    if len(columns) < 2:
        raise DesignError(f"replicate weights need at least 2 columns; {pattern!r} matches {columns}")
    weights = np.column_stack([numeric(data, c, role="replicate weight") for c in columns])
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise DesignError(
            f"replicate weight {columns[col]!r} must be a number >= 0 (data row {row + 1} has {weights[row, col]!r})",
            code="bad_replicate_weight", column=columns[col], row=row + 1,
        )  # fmt: skip
    scale_, rscales_ = _scales(type, len(columns), scale, rscales, rho)
    return ReplicateWeights(type, np.ascontiguousarray(weights), scale_, rscales_, mse=mse)


def recalibrate_replicates(
    design: Design, reps: ReplicateWeights, *, replicate_failure: ReplicateFailure = "error"
) -> ReplicateWeights:
    """Calibrate each supplied replicate as `design`'s steps calibrated its final weights.

    As R's `rake`/`calibrate`/`postStratify` on a `svrepdesign`: every replicate column is the
    starting weight of the same steps (same margins, targets, bounds), so the replicate SE
    includes the calibration. `design` must start from the final weights the replicates go with.

    Args:
        design: The calibrated design (built with the final weight column, then adjusted).
        reps: Supplied replicate weights (see `supplied_replicates`).
        replicate_failure: "error" or "drop" a replicate that cannot be calibrated (reported).

    Returns:
        ReplicateWeights with the calibrated columns, the same type, scale and mse.

    Raises:
        DesignError: The replicates do not have one row per respondent of `design`.
        WeightingError: A replicate cannot be calibrated (with "error").

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design, Targets, poststratify
        >>> df = pd.DataFrame({"s": ["a", "a", "b", "b"], "w": [1.0] * 4, "r1": [0.0, 2.0, 1.0, 1.0],
        ...                    "r2": [1.0, 1.0, 0.0, 2.0]})
        >>> d = poststratify(Design.from_frame(df, weights="w"), Targets.from_dict({"s": {"a": .5, "b": .5}}),
        ...                  population=8)
        >>> recalibrate_replicates(d, supplied_replicates(df, "^r", type="other")).weights.tolist()
        [[0.0, 2.0], [4.0, 2.0], [2.0, 0.0], [2.0, 4.0]]
    """
    if reps.weights.shape[0] != design.n:
        raise DesignError(
            f"the replicate weights have {reps.weights.shape[0]} rows; the design has {design.n}"
        )
    columns = reps.weights
    out, dropped, reasons = replay_replicates(
        design, lambda r: columns[:, r], reps.n_replicates, replicate_failure
    )
    kept = np.setdiff1d(np.arange(reps.n_replicates), np.asarray(dropped, dtype=np.int64) - 1)
    scale = reps.scale
    if dropped and reps.kind in ("bootstrap",):
        scale = 1.0 / (kept.size - 1)
    return ReplicateWeights(
        reps.kind, out, scale, reps.rscales[kept], reps.seed, mse=reps.mse, dropped=dropped, reasons=reasons
    )
