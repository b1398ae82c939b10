"""Estimation: closed-form SEs, calibration-aware residualisation, strata/PSU formula, replicates, CIs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

from weighting import Design, Targets, calibrate, estimate, poststratify, rake, replicate_weights


def test_unweighted_mean_se_is_sd_over_root_n(sample):
    row = estimate(Design.from_frame(sample), ["score"]).rows[0]
    y = sample["score"]
    assert row.estimate == pytest.approx(y.mean())
    assert row.se == pytest.approx(y.std(ddof=1) / np.sqrt(len(y)), rel=1e-12)
    assert row.ci_low == pytest.approx(row.estimate - 1.959963984540054 * row.se)
    assert row.n == len(y)


def test_total_and_its_se(sample):
    row = estimate(Design.from_frame(sample), ["score"], statistic="total").rows[0]
    y = sample["score"]
    assert row.estimate == pytest.approx(y.sum())
    assert row.se == pytest.approx(np.sqrt(len(y)) * y.std(ddof=1), rel=1e-12)


def test_proportions_sum_to_one_and_logit_ci(sample):
    table = estimate(Design.from_frame(sample, weights="base"), ["q_trust"])
    frame = table.to_frame()
    assert list(frame.columns) == ["variable", "category", "estimate", "se", "ci_low", "ci_high", "n"]
    assert frame["estimate"].sum() == pytest.approx(1.0)
    row = table.rows[0]
    q = stats.t.ppf(0.975, len(sample) - 1)
    logit = np.log(row.estimate / (1 - row.estimate))
    half = q * row.se / (row.estimate * (1 - row.estimate))
    assert row.ci_low == pytest.approx(1 / (1 + np.exp(-(logit - half))))
    assert row.ci_high == pytest.approx(1 / (1 + np.exp(-(logit + half))))
    assert 0 < row.ci_low < row.estimate < row.ci_high < 1


def test_poststratified_se_matches_closed_form(sample):
    t = Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}})
    design = poststratify(Design.from_frame(sample), t, population=1000)
    row = estimate(design, ["score"]).rows[0]
    n, big_n = len(sample), 1000.0
    w = design.weights
    cell_mean = sample.groupby("sex")["score"].transform("mean").to_numpy()
    resid = w * (sample["score"].to_numpy() - cell_mean) / big_n
    var = n / (n - 1) * np.sum(resid**2)
    assert row.se == pytest.approx(np.sqrt(var), rel=1e-10)
    assert row.estimate == pytest.approx(sample.groupby("sex")["score"].mean().mean())


def test_calibration_aware_se_smaller_than_fixed_weights(sample, targets):
    design = rake(Design.from_frame(sample), targets)
    aware = estimate(design, ["score"]).rows[0]
    fixed = estimate(design, ["score"], calibrated=False).rows[0]
    assert aware.estimate == fixed.estimate
    assert aware.se < fixed.se
    same = estimate(design.with_weights(design.weights), ["score"]).rows[0]
    assert same.se == pytest.approx(fixed.se)


def test_linear_calibration_se_is_weighted_regression_residual(sample, targets):
    design = calibrate(Design.from_frame(sample), targets, population=1000)
    row = estimate(design, ["score"]).rows[0]
    x = pd.get_dummies(sample[["sex", "age_group", "region"]], drop_first=True).astype(float)
    x.insert(0, "one", 1.0)
    e = (sample["score"].to_numpy() - row.estimate) / design.weights.sum()
    base = np.full(len(sample), 1000 / len(sample))
    beta = np.linalg.lstsq(x.to_numpy() * np.sqrt(base)[:, None], e * np.sqrt(base), rcond=None)[0]
    resid = design.weights * (e - x.to_numpy() @ beta)
    n = len(sample)
    var = n / (n - 1) * np.sum((resid - resid.mean()) ** 2)
    assert row.se == pytest.approx(np.sqrt(var), rel=1e-9)


def test_stratified_cluster_se_formula(sample):
    design = Design.from_frame(sample, weights="base", strata="stratum", cluster="psu")
    row = estimate(design, ["score"]).rows[0]
    w, y = sample["base"].to_numpy(), sample["score"].to_numpy()
    z = w * (y - np.average(y, weights=w)) / w.sum()
    psu_tot = pd.Series(z).groupby([sample["stratum"], sample["psu"]]).sum()
    var = 0.0
    for _, tot in psu_tot.groupby(level=0):
        n_h = len(tot)
        var += n_h / (n_h - 1) * np.sum((tot - tot.mean()) ** 2)
    assert row.se == pytest.approx(np.sqrt(var), rel=1e-12)


def test_by_groups_match_domain_formula(sample):
    table = estimate(Design.from_frame(sample, weights="base"), ["score"], by="sex")
    frame = table.to_frame()
    assert list(frame.columns)[:3] == ["variable", "category", "by"]
    for row in table.rows:
        mask = (sample["sex"] == row.by).to_numpy()
        w, y = sample["base"].to_numpy(), sample["score"].to_numpy()
        mean = np.average(y[mask], weights=w[mask])
        z = np.where(mask, w * (y - mean) / w[mask].sum(), 0.0)
        n = len(sample)
        assert row.estimate == pytest.approx(mean)
        assert row.se == pytest.approx(np.sqrt(n / (n - 1) * np.sum((z - z.mean()) ** 2)), rel=1e-12)
        assert row.n == mask.sum()


def test_missing_outcomes_are_left_out(sample):
    sample.loc[:9, "score"] = np.nan
    row = estimate(Design.from_frame(sample), ["score"]).rows[0]
    assert row.n == len(sample) - 10
    assert row.estimate == pytest.approx(sample["score"].mean())


def test_jk1_equals_taylor_for_unweighted_mean(sample):
    design = Design.from_frame(sample.iloc[:80])
    reps = replicate_weights(design, "jk1")
    assert reps.n_replicates == 80
    jk = estimate(design, ["score"], replicates=reps).rows[0]
    taylor = estimate(design, ["score"]).rows[0]
    assert jk.se == pytest.approx(taylor.se, rel=1e-10)


def test_replicates_are_recalibrated_and_close_to_taylor(sample, targets):
    design = rake(Design.from_frame(sample), targets)
    reps = replicate_weights(design, "bootstrap", n_replicates=200, seed=3)
    sums = pd.DataFrame(reps.weights).groupby(sample["sex"].to_numpy()).sum()
    np.testing.assert_allclose(sums.loc["F"] / sums.sum(), 0.51, atol=1e-6)  # every replicate raked
    boot = estimate(design, ["score"], replicates=reps).rows[0]
    taylor = estimate(design, ["score"]).rows[0]
    assert boot.se == pytest.approx(taylor.se, rel=0.25)
    again = replicate_weights(design, "bootstrap", n_replicates=200, seed=3)
    np.testing.assert_array_equal(again.weights, reps.weights)
    assert list(reps.to_frame().columns[:2]) == ["repw_1", "repw_2"]


def test_polars_data_estimate_same_as_pandas(sample, targets):
    a = estimate(rake(Design.from_frame(sample), targets), ["score", "q_trust"]).to_frame()
    b = estimate(rake(Design.from_frame(pl.from_pandas(sample)), targets), ["score", "q_trust"]).to_frame()
    pd.testing.assert_frame_equal(a, b)
