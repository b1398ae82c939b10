"""Never silently wrong: a non-finite factor, weight, deviation or SE always raises (issue #23).

Why: raking to margins that no positive weights can meet used to overflow, report
``converged=True`` with a deviation of -1, and give NaN standard errors without a word. These
tests hold the rule on the exact case found and on random infeasible problems (hypothesis).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import weighting as wt
from weighting._fit import fit_rake
from weighting.errors import NonFiniteError

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _replicate_trap() -> tuple[pd.DataFrame, wt.Targets]:
    """Six PSUs; only PSU 0 holds a0 with b1 and a1 with b0, so the replicate without it
    has a0 only with b0 (and b0 only with a0) while a0's target 0.3 differs from b0's 0.6."""
    rows: list[tuple[str, str, int]] = [("a1", "b0", 0), ("a0", "b1", 0)]
    for p in range(1, 6):
        rows += [("a0", "b0", p), ("a1", "b1", p), ("a1", "b1", p)]
    data = pd.DataFrame(rows, columns=["a", "b", "psu"])
    targets = wt.Targets.from_dict({"a": {"a0": 0.3, "a1": 0.7}, "b": {"b0": 0.6, "b1": 0.4}})
    return data, targets


def test_jackknife_replicate_that_cannot_be_raked_raises_instead_of_nan_se():
    """The issue's case: full-sample raking converges, one replicate has no solution."""
    data, targets = _replicate_trap()
    design = wt.rake(wt.Design.from_frame(data, cluster="psu"), targets, max_iter=5000)
    with pytest.raises(wt.InfeasibleError, match=r"replicate 1: .*category a1 of a is only present among"):
        wt.replicate_weights(design, "jk1")


def test_fit_rake_never_reports_convergence_with_non_finite_factors():
    """Found by a random search: zero-weight cells (a replicate) and inconsistent margins made
    the factors overflow; the deviation came out -1.0 and `converged` True."""
    cats = (np.array([0, 1, 0, 1, 0]), np.array([0, 0, 1, 1, 0]))
    cell_weight = np.array([0.0, 0.0, 0.0, 1.5361636568100492, 1.5459702235382016])
    totals = (
        np.array([0.06345126518697812, 9.936548734813023]),
        np.array([4.129206714311719, 5.870793285688282]),
    )
    with pytest.raises(NonFiniteError):
        fit_rake(cell_weight, cats, totals, max_iter=3000, tol=1e-9)


def test_fixed_weights_must_be_finite():
    data = pd.DataFrame({"y": [1.0, 2.0, 3.0]})
    with pytest.raises(wt.WeightingError, match="finite"):
        wt.Design.from_frame(data).with_weights(np.array([1.0, np.inf, 1.0]))


@st.composite
def infeasible_problems(draw: st.DrawFn) -> tuple[np.ndarray, tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """Two or three margins where category 0 of margin 0 lives only inside category 0 of margin 1,
    whose target is smaller: no non-negative weights meet both. Some cells weigh zero (replicates)."""
    k0, k1 = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    n_cells = draw(st.integers(k0 + k1, 14))
    c0 = np.array(draw(st.lists(st.integers(0, k0 - 1), min_size=n_cells, max_size=n_cells)))
    c1 = np.array(draw(st.lists(st.integers(1, k1 - 1), min_size=n_cells, max_size=n_cells)))
    c0[:k0] = np.arange(k0)
    c1[c0 == 0] = 0  # margin 0's category 0 only with margin 1's category 0
    c1[k0 : k0 + k1 - 1] = np.arange(1, k1)
    c0[k0 : k0 + k1 - 1] = np.maximum(c0[k0 : k0 + k1 - 1], 1)
    c1[k0 + k1 - 1] = 0  # category 0 of margin 1 also elsewhere
    c0[k0 + k1 - 1] = 1
    weights = np.array(draw(st.lists(st.floats(0.2, 3.0), min_size=n_cells, max_size=n_cells)))
    zero = np.array(draw(st.lists(st.booleans(), min_size=n_cells, max_size=n_cells)))
    zero[: k0 + k1] = False
    weights[zero] = 0.0
    s0 = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=k0, max_size=k0)))
    s1 = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=k1, max_size=k1)))
    s0, s1 = s0 / s0.sum(), s1 / s1.sum()
    shrink = draw(st.floats(0.2, 0.9))
    s1[0] = s0[0] * shrink  # margin 1's category 0 gets less than margin 0's category 0 needs
    s1[1:] = s1[1:] / s1[1:].sum() * (1 - s1[0])
    total = draw(st.sampled_from([1.0, 1000.0, 960000.0]))
    cats: tuple[np.ndarray, ...] = (c0, c1)
    totals: tuple[np.ndarray, ...] = (s0 * total, s1 * total)
    if draw(st.booleans()):  # a third, harmless margin
        c2 = np.arange(n_cells) % 2
        cats, totals = (*cats, c2), (*totals, np.array([0.5, 0.5]) * total)
    return weights, cats, totals


@SETTINGS
@given(infeasible_problems(), st.sampled_from([50, 3000]))
def test_fit_rake_on_infeasible_problems_never_converges_with_nonsense(problem, max_iter):
    """Whatever the cap: either it raises, or it says it did not converge with finite numbers."""
    weights, cats, totals = problem
    try:
        fit = fit_rake(weights, cats, totals, max_iter=max_iter, tol=1e-9)
    except NonFiniteError:
        return
    assert not fit.converged
    assert np.all(np.isfinite(fit.factor))
    assert math.isfinite(fit.max_deviation)
    assert fit.max_deviation >= 0


def _frame(weights: np.ndarray, cats: tuple[np.ndarray, ...]) -> tuple[pd.DataFrame, list[str]]:
    keep = weights > 0
    names = [f"m{j}" for j in range(len(cats))]
    frame = pd.DataFrame({n: [f"c{v}" for v in c[keep]] for n, c in zip(names, cats, strict=True)})
    frame["w"] = weights[keep]
    return frame, names


@SETTINGS
@given(infeasible_problems(), st.sampled_from(["rake", "raking", "logit"]))
def test_public_adjusters_raise_on_infeasible_margins(problem, method):
    """Rake and calibrate raise a WeightingError (never return NaN, never claim convergence)."""
    weights, cats, totals = problem
    frame, names = _frame(weights, cats)
    present = [sorted(frame[n].unique()) for n in names]
    if any(len(p) != t.size for p, t in zip(present, totals, strict=True)):
        return  # a category vanished with its zero-weight cells: a different problem (empty cell)
    grand = float(totals[0].sum())
    targets = wt.Targets.from_dict(
        {n: {f"c{k}": float(v / grand) for k, v in enumerate(t)} for n, t in zip(names, totals, strict=True)}
    )
    design = wt.Design.from_frame(frame, weights="w")
    expected = wt.BoundsError if method == "logit" else wt.InfeasibleError
    with pytest.raises(expected), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "rake":
            wt.rake(design, targets, max_iter=3000, population=grand)
        elif method == "raking":
            wt.calibrate(design, targets, calfun="raking", max_iter=200, population=grand)
        else:
            wt.calibrate(design, targets, calfun="logit", bounds=(0.2, 5.0), population=grand)


def test_estimate_of_a_group_whose_weights_sum_to_zero_raises():
    """Linear calibration may give negative weights; a group summing to zero has no mean."""
    data = pd.DataFrame({"g": ["x", "x", "y", "y"], "y": [1.0, 2.0, 3.0, 4.0]})
    design = wt.Design.from_frame(data).with_weights(np.array([1.0, -1.0, 2.0, 3.0]))
    with pytest.raises(NonFiniteError, match="by x"):
        wt.estimate(design, ["y"], by="g")
