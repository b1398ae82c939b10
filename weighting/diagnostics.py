"""Typed diagnostics produced by every weighting step (never an untyped dict).

Why: a weighting that cannot be inspected cannot be trusted. Each adjuster returns a new
Design carrying one `Diagnostics` record: fit to the targets before and after, iterations,
weight spread, Kish design effect overall and per collection mode, and every collapse or
missing-value treatment applied. Records serialise to JSON for reports and the API.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from weighting._frames import FloatArray

__all__ = [
    "QUANTILES",
    "CategoryFit",
    "Collapse",
    "Diagnostics",
    "MissingTreatment",
    "Note",
    "WeightSummary",
    "grouped_quantiles",
    "kish_deff",
    "summarise_groups",
    "summarise_weights",
]

QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


class Note(str):
    """A remark beside an adjustment: reads as its English sentence, carries a code and values.

    Why a ``str``: reports, JSON and logs print it as it is, while a page in French or Dutch
    rebuilds the sentence from ``code`` and ``values`` (as with `WeightingError`).
    """

    code: str
    values: dict[str, object]

    def __new__(cls, text: str, *, code: str, **values: object) -> Note:
        note = super().__new__(cls, text)
        note.code, note.values = code, values
        return note

    def __reduce__(self) -> tuple[Any, ...]:
        """Copies and pickles keep the code and values, not only the sentence."""
        return (_rebuild_note, (str(self), self.code, self.values))


def _rebuild_note(text: str, code: str, values: dict[str, object]) -> Note:
    return Note(text, code=code, **values)


@dataclass(frozen=True)
class Collapse:
    """Categories merged before weighting, and why (explicit rule or sparse cell)."""

    margin: str
    categories: tuple[str, ...]
    into: str
    reason: str


@dataclass(frozen=True)
class MissingTreatment:
    """How missing values of a weighting variable were handled (mode imputation / own category)."""

    variable: str
    n: int
    treatment: str
    category: str


@dataclass(frozen=True)
class CategoryFit:
    """Target share against achieved (weighted) and unweighted sample share of one category."""

    margin: str
    category: str
    target_share: float
    achieved_share: float
    unweighted_share: float
    n: int


@dataclass(frozen=True)
class WeightSummary:
    """Spread of the weights in a group ("all" or one collection mode) and its Kish design effect."""

    group: str
    n: int
    weight_sum: float
    weight_share: float
    min: float
    max: float
    mean: float
    quantiles: dict[str, float]
    deff: float
    n_eff: float
    g_min: float
    g_max: float


@dataclass(frozen=True)
class Diagnostics:
    """Everything worth knowing about one adjustment step.

    Attributes:
        method: poststratify, rake, linear, logit, raking or trim.
        margins: Margin names used by the step.
        converged: Whether the tolerance was met (always True for closed-form steps).
        iterations: Iterations used (1 for closed-form steps).
        max_deviation: Largest |achieved - target| share after the step.
        unweighted_max_deviation: Largest |unweighted sample - target| share (how far the raw sample was).
        categories: Per-category fit.
        overall: Weight summary for all rows.
        by_mode: Weight summary per collection mode, when the mode column exists.
        collapses: Category collapses applied.
        missing: Missing-value treatments applied.
        notes: Free-text remarks (e.g. number of trimmed weights).
    """

    method: str
    margins: tuple[str, ...]
    converged: bool
    iterations: int
    max_deviation: float
    unweighted_max_deviation: float
    categories: tuple[CategoryFit, ...]
    overall: WeightSummary
    by_mode: tuple[WeightSummary, ...] = ()
    collapses: tuple[Collapse, ...] = ()
    missing: tuple[MissingTreatment, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dict."""
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text (NaN written as null).

        Examples:
            >>> import json
            >>> from weighting import Design, Targets, poststratify
            >>> import pandas as pd
            >>> d = poststratify(Design.from_frame(pd.DataFrame({"sex": ["F", "M", "M"]})),
            ...                  Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}}))
            >>> json.loads(d.diagnostics[-1].to_json())["method"]
            'poststratify'
        """
        return json.dumps(_clean(self.to_dict()), indent=indent)


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    return obj


def kish_deff(weights: FloatArray) -> float:
    """Kish design effect due to weighting: n·Σw² / (Σw)² (1 for equal weights)."""
    n = weights.size
    total = float(weights.sum())
    return float(n * np.dot(weights, weights) / (total * total)) if n and total else float("nan")


def summarise_weights(group: str, weights: FloatArray, base: FloatArray, grand_total: float) -> WeightSummary:
    """Summary of one group of weights; g = weight / base weight."""
    if weights.size == 0:
        nan = float("nan")
        return WeightSummary(group, 0, 0.0, 0.0, nan, nan, nan, {}, nan, 0.0, nan, nan)
    qs = np.quantile(weights, QUANTILES)
    deff = kish_deff(weights)
    g = weights / base
    total = float(weights.sum())
    return WeightSummary(
        group=group,
        n=int(weights.size),
        weight_sum=total,
        weight_share=total / grand_total if grand_total else float("nan"),
        min=float(weights.min()),
        max=float(weights.max()),
        mean=float(weights.mean()),
        quantiles={f"p{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
        deff=deff,
        n_eff=weights.size / deff,
        g_min=float(g.min()),
        g_max=float(g.max()),
    )


def _order_statistics(values: FloatArray, counts: np.ndarray, ranks: np.ndarray) -> FloatArray:
    """Values at 0-based `ranks` of the rows, each group value repeated `counts` times (sorted)."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(counts[order])
    return np.asarray(values[order][np.searchsorted(cum, ranks, side="right")], dtype=np.float64)


def grouped_quantiles(values: FloatArray, counts: np.ndarray, quantiles: tuple[float, ...]) -> FloatArray:
    """`np.quantile(rows, quantiles)` (method "linear") where rows repeat `values` `counts` times.

    Bit for bit the same numbers: the same virtual indexes (n - 1)·q, neighbours and
    interpolation formula as numpy's `_quantile`/`_lerp`, only the order statistics are read
    from the sorted groups and their cumulative counts instead of partitioning the rows.
    """
    n = int(counts.sum())
    virtual = (n - 1) * np.asarray(quantiles, dtype=np.float64)
    prev = np.floor(virtual)
    nxt = prev + 1
    above = virtual >= n - 1
    prev[above] = n - 1
    nxt[above] = n - 1
    prev_i, next_i = prev.astype(np.intp), nxt.astype(np.intp)
    gamma = virtual - np.where(above, -1, prev_i)  # numpy uses index -1 for "last"
    a = _order_statistics(values, counts, prev_i)
    b = _order_statistics(values, counts, next_i)
    diff = b - a
    out = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    return out


def summarise_groups(
    group: str, values: FloatArray, base: FloatArray, counts: np.ndarray, grand_total: float
) -> WeightSummary:
    """`summarise_weights` for rows given as groups of equal rows: weight `values[k]` and
    base weight `base[k]`, each repeated `counts[k]` times.

    Why: weights depend only on the joint cell (times a base weight), so a million rows
    are a few thousand groups. Minimum, maximum, quantiles and g are the same numbers as
    the row-level computation; sums (total, mean, Kish deff) differ only by summation
    order (~1e-16 relative).
    """
    keep = counts > 0
    values, base, counts = values[keep], base[keep], counts[keep]
    if values.size == 0:
        nan = float("nan")
        return WeightSummary(group, 0, 0.0, 0.0, nan, nan, nan, {}, nan, 0.0, nan, nan)
    n = int(counts.sum())
    cf = counts.astype(np.float64)
    total = float(np.dot(cf, values))
    deff = float(n * np.dot(cf, values * values) / (total * total)) if total else float("nan")
    qs = grouped_quantiles(values, counts, QUANTILES)
    g = values / base
    return WeightSummary(
        group=group,
        n=n,
        weight_sum=total,
        weight_share=total / grand_total if grand_total else float("nan"),
        min=float(values.min()),
        max=float(values.max()),
        mean=total / n,
        quantiles={f"p{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
        deff=deff,
        n_eff=n / deff,
        g_min=float(g.min()),
        g_max=float(g.max()),
    )
