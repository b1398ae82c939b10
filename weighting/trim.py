"""Trimming: cap g = weight / base weight, redistribute the excess, re-calibrate, repeat.

Why: a few huge weights can dominate estimates. Capping alone breaks the margins, so by
default the last calibration step is re-run after each capping round until both the caps
and the targets hold (like "trim and re-rake"). Every round is reported, never silent.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from weighting._adjust import weight_summaries
from weighting._frames import FloatArray
from weighting.design import Design, Step
from weighting.diagnostics import CategoryFit, Diagnostics, Note
from weighting.errors import BoundsError
from weighting.replicates import refit_step

__all__ = ["cap_weights", "trim"]

_SLACK = 1e-9


def cap_weights(
    weights: FloatArray, reference: FloatArray, lower: float, upper: float
) -> tuple[FloatArray, int]:
    """Cap weights/reference to [lower, upper], giving the excess to uncapped weights pro rata.

    The weight total is kept. Returns the capped weights and how many were capped.
    """
    w = weights.copy()
    total = float(w.sum())
    capped = np.zeros(w.size, dtype=bool)
    for _ in range(100):
        g = w / reference
        low, high = g < lower * (1 - _SLACK), g > upper * (1 + _SLACK)
        if not (low.any() or high.any()):
            break
        w[low], w[high] = lower * reference[low], upper * reference[high]
        capped |= low | high
        free = ~capped
        if not free.any():
            raise BoundsError(
                f"trimming bounds {lower:g},{upper:g} cap every weight: the total cannot be kept",
                code="trim_caps_all",
                lo=lower,
                hi=upper,
            )
        w[free] *= (total - w[capped].sum()) / w[free].sum()
    return w, int(capped.sum())


def trim(
    design: Design,
    lower: float,
    upper: float,
    *,
    recalibrate: bool = True,
    max_rounds: int = 50,
    relative: bool = True,
) -> Design:
    """Trim g = weight / starting weight (`Design.initial_weights`) to [lower, upper].

    Args:
        design: An adjusted design (its last step is re-run when `recalibrate`).
        lower: Smallest allowed g (e.g. 0.3).
        upper: Largest allowed g (e.g. 3).
        recalibrate: Re-run the last calibration step after each capping round.
        max_rounds: Cap-then-recalibrate rounds before giving up.
        relative: Bounds are on g (default); False: bounds are absolute weights.

    Returns:
        A new Design with a `trim` step (and the re-calibration step) recorded.

    Raises:
        BoundsError: Bounds malformed, or caps and targets cannot both hold after `max_rounds`.

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design, Targets, poststratify
        >>> d = Design.from_frame(pd.DataFrame({"sex": ["F", "M", "M", "M"]}))
        >>> d = poststratify(d, Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}}))
        >>> trim(d, 0.5, 1.5, recalibrate=False).weights.round(3).tolist()
        [1.5, 0.833, 0.833, 0.833]
    """
    if relative and not 0 <= lower < 1 < upper:
        raise BoundsError(
            f"trim bounds must satisfy 0 <= LO < 1 < HI, got {lower:g},{upper:g}",
            code="trim_malformed",
            lo=lower,
            hi=upper,
        )
    if not relative and not 0 <= lower < upper:
        raise BoundsError(f"weight caps must satisfy 0 <= LO < HI, got {lower:g},{upper:g}")
    last = next((s for s in reversed(design.steps) if s.method != "trim"), None)
    if recalibrate and last is None:
        raise BoundsError("nothing to re-calibrate: trim a weighted design or pass recalibrate=False")
    w = design.weights
    reference = design.initial_weights if relative else np.ones(design.n)
    trimmed, rounds, step, capped = 0, 0, last, w
    for rounds in range(1, max_rounds + 1):  # noqa: B007
        capped, n_capped = cap_weights(w, reference, lower, upper)
        trimmed = max(trimmed, n_capped)
        if not recalibrate or last is None:
            w = capped
            break
        w, factors = refit_step(last, capped)
        old = capped * (last.total / capped.sum()) if last.rescale else capped
        step = dataclasses.replace(last, old_weights=old, factors=factors)
        g = w / reference
        if g.min() >= lower * (1 - 1e-6) and g.max() <= upper * (1 + 1e-6):
            break
    else:
        g = w / reference
        raise BoundsError(
            f"trimming to {lower:g},{upper:g} and re-calibrating did not settle after {max_rounds} rounds "
            f"(g range {g.min():.4g}..{g.max():.4g}); widen the bounds",
            code="trim_unsettled", lo=lower, hi=upper, rounds=max_rounds, g_min=float(g.min()), g_max=float(g.max()),
        )  # fmt: skip
    what = "g" if relative else "weight"
    note = Note(
        f"{trimmed} weights capped to {what} in [{lower:g}, {upper:g}] over {rounds} round(s)",
        code="trimmed", n=trimmed, relative=relative, lo=lower, hi=upper, rounds=rounds,
    )  # fmt: skip
    diag = _diagnostics(design, last, w, rounds, note)
    cells = last.cells if last is not None else np.zeros(design.n, dtype=np.int64)
    # Replicates replay the trim as fixed row multipliers (an approximation), then the re-calibration.
    trim_step = Step(
        "trim", (), cells, (), (), design.weights, (capped / design.weights)[None, :], (lower, upper)
    )
    out = design.with_step(trim_step, w, diag)
    if recalibrate and step is not None and step is not last:
        out = dataclasses.replace(out, steps=(*out.steps, step))
    return out


def _diagnostics(design: Design, last: Step | None, w: FloatArray, rounds: int, note: str) -> Diagnostics:
    """Fit of the last step's margins under the trimmed weights, and the weight spread."""
    overall, by_mode = weight_summaries(design, w, design.initial_weights)
    fits: list[CategoryFit] = []
    prev = design.diagnostics[-1] if design.diagnostics else None
    if last is not None and prev is not None:
        total = float(w.sum())
        by_key = {(c.margin, c.category): c for c in prev.categories}
        for cats, margin in zip(last.cell_categories, last.margins, strict=True):
            achieved = np.bincount(cats[last.cells], weights=w, minlength=len(margin.categories)) / total
            for k, cat in enumerate(margin.categories):
                old = by_key[(margin.name, cat)]
                fits.append(dataclasses.replace(old, achieved_share=float(achieved[k])))
    dev = max((abs(f.achieved_share - f.target_share) for f in fits), default=float("nan"))
    return Diagnostics(
        method="trim",
        margins=prev.margins if prev else (),
        converged=True,
        iterations=rounds,
        max_deviation=dev,
        unweighted_max_deviation=prev.unweighted_max_deviation if prev else float("nan"),
        categories=tuple(fits),
        overall=overall,
        by_mode=by_mode,
        notes=(note,),
    )
