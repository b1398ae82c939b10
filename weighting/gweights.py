"""g-weights: each final weight divided by the weight the adjustments started from.

Why a summary of its own: bounds on g (linear or logit calibration) and trimming act on this ratio,
so an analyst who set them needs to see where g ended up: how far the adjustment moved the weights,
whether the bounds bind (many values at a bound), and how the ratio is spread. The starting weight
is the one R calls ``oldweights`` of the first adjustment (base weights, rescaled to the population
total when the adjusters rescale them), so g agrees with ``weights(cal) / weights(design)`` in R.

Examples:
    >>> import pandas as pd
    >>> from weighting import Design, Targets, poststratify
    >>> d = poststratify(Design.from_frame(pd.DataFrame({"sex": ["F", "M", "M", "M"]})),
    ...                  Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}}))
    >>> s = g_weights(d, bins=2)
    >>> s.min, s.max, s.counts
    (0.6666666666666666, 2.0, (3, 1))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from weighting._frames import FloatArray
from weighting.design import Design
from weighting.diagnostics import QUANTILES
from weighting.errors import DesignError

__all__ = ["GWeights", "g_values", "g_weights"]


@dataclass(frozen=True)
class GWeights:
    """The spread of g = final weight ÷ starting weight over the rows.

    Attributes:
        n: Rows.
        min, max, mean: Of g.
        quantiles: ``p01`` … ``p99`` at :data:`weighting.diagnostics.QUANTILES`, interpolated as
            numpy's default and R's ``quantile(type = 7)``.
        edges: ``bins + 1`` equal-width histogram edges from min to max (one bin when g is constant).
        counts: Rows per bin; each bin holds its left edge, the last one its right edge too (R's
            ``hist(right = FALSE, include.lowest = TRUE)``).
    """

    n: int
    min: float
    max: float
    mean: float
    quantiles: dict[str, float]
    edges: tuple[float, ...]
    counts: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def g_values(design: Design) -> FloatArray:
    """g per row: the final weight over the starting weight of the first adjustment, the g that
    calibration bounds and :func:`weighting.trim` act on.

    Raises:
        DesignError: The design has no adjustment yet (g is then 1 everywhere, and says nothing).
    """
    if not design.steps:
        raise DesignError("g-weights need an adjustment: weight the design first")
    return np.asarray(design.weights, dtype=np.float64) / np.asarray(design.initial_weights, dtype=np.float64)


def g_weights(design: Design, bins: int = 10) -> GWeights:
    """Summarise g over the rows of an adjusted design.

    Raises:
        DesignError: The design has no adjustment yet (g is then 1 everywhere, and says nothing).
    """
    if bins < 1:
        raise DesignError(f"bins must be 1 or more, got {bins}")
    g = g_values(design)
    low, high = float(g.min()), float(g.max())
    counts, edges = np.histogram(g, bins=bins if high > low else 1, range=(low, high) if high > low else None)
    return GWeights(
        n=int(g.size),
        min=low,
        max=high,
        mean=float(g.mean()),
        quantiles={
            f"p{round(q * 100):02d}": float(v)
            for q, v in zip(QUANTILES, np.quantile(g, QUANTILES), strict=True)
        },
        edges=tuple(float(e) for e in edges),
        counts=tuple(int(c) for c in counts),
    )
