"""Property tests (hypothesis): margins met when converged, positive weights, permutation equivariance."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from weighting import BoundsError, Design, Targets, calibrate, rake

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw):
    k1 = draw(st.integers(2, 3))
    k2 = draw(st.integers(2, 4))
    extra = draw(st.integers(5, 40))
    a_extra = draw(st.lists(st.integers(0, k1 - 1), min_size=extra, max_size=extra))
    b_extra = draw(st.lists(st.integers(0, k2 - 1), min_size=extra, max_size=extra))
    a = [i for i in range(k1) for _ in range(k2)] + a_extra
    b = [j for _ in range(k1) for j in range(k2)] + b_extra
    base = draw(st.lists(st.floats(0.5, 3.0), min_size=len(a), max_size=len(a)))
    frame = pd.DataFrame({"a": [f"a{i}" for i in a], "b": [f"b{j}" for j in b], "w": base})
    sa = np.asarray(draw(st.lists(st.floats(0.1, 1.0), min_size=k1, max_size=k1)))
    sb = np.asarray(draw(st.lists(st.floats(0.1, 1.0), min_size=k2, max_size=k2)))
    sa, sb = sa / sa.sum(), sb / sb.sum()
    targets = Targets.from_dict(
        {
            "a": {f"a{i}": float(s) for i, s in enumerate(sa)},
            "b": {f"b{j}": float(s) for j, s in enumerate(sb)},
        }
    )
    return frame, targets


def _achieved(frame: pd.DataFrame, weights: np.ndarray, column: str) -> pd.Series:
    return pd.Series(weights).groupby(frame[column].to_numpy()).sum() / weights.sum()


@SETTINGS
@given(samples())
def test_rake_meets_margins_with_positive_weights(data):
    frame, targets = data
    design = rake(Design.from_frame(frame, weights="w"), targets, tol=1e-8, max_iter=2000)
    assert design.diagnostics[-1].converged
    assert (design.weights > 0).all()
    for margin in targets.margins:
        got = _achieved(frame, design.weights, margin.name)
        want = pd.Series(margin.shares, index=margin.categories)
        np.testing.assert_allclose(got[want.index].to_numpy(), want.to_numpy(), atol=1e-7)


@SETTINGS
@given(samples(), st.randoms(use_true_random=False))
def test_permuting_rows_permutes_weights(data, rnd):
    frame, targets = data
    order = list(range(len(frame)))
    rnd.shuffle(order)
    w = rake(Design.from_frame(frame, weights="w"), targets, tol=1e-10, max_iter=5000).weights
    shuffled = frame.iloc[order].reset_index(drop=True)
    w_perm = rake(Design.from_frame(shuffled, weights="w"), targets, tol=1e-10, max_iter=5000).weights
    np.testing.assert_allclose(w_perm, w[order], rtol=1e-7)


@SETTINGS
@given(samples())
def test_logit_weights_positive_bounded_and_calibrated(data):
    frame, targets = data
    try:
        design = calibrate(Design.from_frame(frame, weights="w"), targets, calfun="logit", bounds=(0.2, 5.0))
    except BoundsError:
        assume(False)
        return
    base = frame["w"].to_numpy() * len(frame) / frame["w"].sum()
    g = design.weights / base
    assert (design.weights > 0).all()
    assert g.min() >= 0.2 - 1e-9
    assert g.max() <= 5.0 + 1e-9
    for margin in targets.margins:
        got = _achieved(frame, design.weights, margin.name)
        want = pd.Series(margin.shares, index=margin.categories)
        np.testing.assert_allclose(got[want.index].to_numpy(), want.to_numpy(), atol=1e-6)


@SETTINGS
@given(samples())
def test_linear_calibration_exact_for_any_sample(data):
    frame, targets = data
    design = calibrate(Design.from_frame(frame), targets, population=1000.0)
    assert design.weights.sum() == np.float64(1000.0) or abs(design.weights.sum() - 1000.0) < 1e-8
    for margin in targets.margins:
        got = _achieved(frame, design.weights, margin.name)
        want = pd.Series(margin.shares, index=margin.categories)
        np.testing.assert_allclose(got[want.index].to_numpy(), want.to_numpy(), atol=1e-9)
