"""A replicate that cannot be calibrated: raise (default) or drop it, warn, and say so beside the SE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import weighting as wt


def _trap() -> wt.Design:
    """Raked on six PSUs; the jackknife replicate without PSU 0 has no solution (see test_never_silent)."""
    rows: list[tuple[str, str, int, float]] = [("a1", "b0", 0, 1.0), ("a0", "b1", 0, 2.0)]
    for p in range(1, 6):
        rows += [("a0", "b0", p, 1.0 + p), ("a1", "b1", p, 2.0), ("a1", "b1", p, 3.0 * p)]
    data = pd.DataFrame(rows, columns=["a", "b", "psu", "y"])
    targets = wt.Targets.from_dict({"a": {"a0": 0.3, "a1": 0.7}, "b": {"b0": 0.6, "b1": 0.4}})
    return wt.rake(wt.Design.from_frame(data, cluster="psu"), targets, max_iter=5000)


def test_default_policy_raises_naming_the_replicate():
    with pytest.raises(wt.InfeasibleError, match="replicate 1: no positive weights"):
        wt.replicate_weights(_trap(), "jk1")


def test_drop_policy_warns_reports_the_count_and_keeps_the_others():
    design = _trap()
    with pytest.warns(RuntimeWarning, match=r"1 of 6 replicates could not be calibrated and were dropped"):
        reps = wt.replicate_weights(design, "jk1", replicate_failure="drop")
    assert reps.dropped == (1,)
    assert "replicate 1" in reps.reasons[0]
    assert reps.n_replicates == 5
    assert np.isfinite(reps.weights).all()
    table = wt.estimate(design, ["y"], replicates=reps)
    assert table.dropped_replicates == 1
    assert table.variance == "replicates (jk1, 5 of 6; 1 dropped: could not be calibrated)"
    row = table.rows[0]
    assert np.isfinite(row.se) and row.se > 0
    # The SE is the jackknife over the five kept replicates: scale (6-1)/6, centred on their mean.
    theta = (reps.weights * design.data["y"].to_numpy()[:, None]).sum(axis=0) / reps.weights.sum(axis=0)
    expected = np.sqrt(5 / 6 * ((theta - theta.mean()) ** 2).sum())
    assert row.se == pytest.approx(expected, rel=1e-12)


def test_bootstrap_drop_rescales_to_the_replicates_kept():
    design = _trap()
    with pytest.warns(RuntimeWarning, match="could not be calibrated"):
        reps = wt.replicate_weights(design, "bootstrap", n_replicates=40, seed=3, replicate_failure="drop")
    assert reps.dropped  # with 6 PSUs some bootstrap draws leave PSU 0 out
    assert reps.n_replicates == 40 - len(reps.dropped)
    assert reps.scale == pytest.approx(1 / (reps.n_replicates - 1))
    assert np.isfinite(wt.estimate(design, ["y"], replicates=reps).rows[0].se)


def test_fewer_than_two_replicates_left_is_an_error():
    rows = [
        ("a1", "b0", 0),
        ("a0", "b1", 0),
        ("a0", "b0", 1),
        ("a1", "b1", 1),
        ("a0", "b0", 2),
        ("a1", "b1", 2),
    ]
    data = pd.DataFrame(rows, columns=["a", "b", "psu"])
    targets = wt.Targets.from_dict({"a": {"a0": 0.3, "a1": 0.7}, "b": {"b0": 0.6, "b1": 0.4}})
    design = wt.rake(wt.Design.from_frame(data, cluster="psu"), targets, max_iter=5000)
    with pytest.raises(wt.DesignError) as info:
        wt.replicate_weights(design, "bootstrap", n_replicates=3, seed=1, replicate_failure="drop")
    assert info.value.code == "replicates_all_failed"


def test_unknown_policy_is_refused():
    with pytest.raises(wt.DesignError, match="replicate_failure"):
        wt.replicate_weights(_trap(), "jk1", replicate_failure="ignore")  # type: ignore[arg-type]
