"""Closed-form and cross-method checks of poststratify, rake, calibrate and trim."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from weighting import Design, Targets, calibrate, kish_deff, poststratify, rake, trim


def test_poststratify_one_variable_is_target_over_cell_count(sample, targets):
    design = poststratify(Design.from_frame(sample), targets, margin="sex", population=1000)
    counts = sample["sex"].value_counts()
    expected = sample["sex"].map({"F": 510 / counts["F"], "M": 490 / counts["M"]}).to_numpy()
    np.testing.assert_allclose(design.weights, expected, rtol=1e-12)


def test_poststratify_crossed_cells_with_base_weights(sample):
    shares = {f"{s}:{a}": 1 / 6 for s in ("F", "M") for a in ("18-34", "35-64", "65+")}
    t = Targets.from_dict({"sex:age_group": shares})
    design = poststratify(Design.from_frame(sample, weights="base"), t, population=600)
    cell = sample["sex"] + ":" + sample["age_group"]
    totals = pd.Series(design.weights).groupby(cell.to_numpy()).sum()
    np.testing.assert_allclose(totals.to_numpy(), 100.0, rtol=1e-12)
    # within a cell, weights stay proportional to the base weights
    ratio = pd.Series(design.weights / sample["base"].to_numpy())
    spread = ratio.groupby(cell.to_numpy()).agg(lambda r: r.max() / r.min() - 1)
    assert spread.abs().max() < 1e-12


def test_rake_on_one_margin_equals_poststratification(sample, targets):
    base = Design.from_frame(sample, weights="base")
    one = targets.select(["age_group"])
    np.testing.assert_allclose(rake(base, one).weights, poststratify(base, one).weights, rtol=1e-12)


def test_linear_calibration_hits_totals_exactly(sample, targets):
    design = calibrate(Design.from_frame(sample, weights="base"), targets, population=5000)
    for margin in targets.margins:
        got = pd.Series(design.weights).groupby(sample[margin.name].to_numpy()).sum()
        want = pd.Series(margin.shares, index=margin.categories) * 5000
        np.testing.assert_allclose(got[want.index].to_numpy(), want.to_numpy(), rtol=1e-10)


def test_rake_equals_raking_calibration(sample, targets):
    base = Design.from_frame(sample, weights="base")
    raked = rake(base, targets, tol=1e-13, max_iter=1000)
    cal = calibrate(base, targets, calfun="raking", tol=1e-13)
    np.testing.assert_allclose(raked.weights, cal.weights, rtol=1e-8)


def test_logit_bounds_respected_and_totals_met(sample, targets):
    base = Design.from_frame(sample, weights="base")
    design = calibrate(base, targets, calfun="logit", bounds=(0.4, 3.0))
    g = design.weights / (sample["base"].to_numpy() * len(sample) / sample["base"].sum())
    assert g.min() >= 0.4 - 1e-9
    assert g.max() <= 3.0 + 1e-9
    assert design.diagnostics[-1].max_deviation < 1e-6
    unbounded = calibrate(base, targets, calfun="linear")
    g_lin = unbounded.weights / (sample["base"].to_numpy() * len(sample) / sample["base"].sum())
    assert g_lin.max() > 3.0 or g_lin.min() < 0.4  # the bounds were binding


def test_weights_sum_to_population_or_n(sample, targets):
    assert rake(Design.from_frame(sample), targets).weights.sum() == pytest.approx(len(sample))
    assert rake(Design.from_frame(sample), targets, population=1e6).weights.sum() == pytest.approx(1e6)


def test_design_is_immutable_and_records_steps(sample, targets):
    design = Design.from_frame(sample)
    raked = rake(design, targets)
    assert design.steps == ()
    assert [s.method for s in raked.steps] == ["rake"]
    with pytest.raises(ValueError, match="read-only"):
        raked.weights[0] = 5.0


def test_polars_input_gives_same_weights(sample, targets):
    pd_w = rake(Design.from_frame(sample, weights="base"), targets).weights
    pl_w = rake(Design.from_frame(pl.from_pandas(sample), weights="base"), targets).weights
    np.testing.assert_allclose(pd_w, pl_w, rtol=1e-12)


def test_diagnostics_content_and_json(sample, targets):
    design = rake(Design.from_frame(sample), targets)
    diag = design.diagnostics[-1]
    assert diag.converged
    assert diag.max_deviation < 1e-6
    assert diag.unweighted_max_deviation == pytest.approx(
        max(abs(c.unweighted_share - c.target_share) for c in diag.categories)
    )
    assert {m.group for m in diag.by_mode} == {"online", "field", "paper"}
    assert diag.overall.deff == pytest.approx(kish_deff(design.weights))
    assert diag.overall.n_eff == pytest.approx(len(sample) / diag.overall.deff)
    assert sum(m.n for m in diag.by_mode) == len(sample)
    text = diag.to_json()
    assert '"method": "rake"' in text
    assert '"deff"' in text


def test_missing_mode_and_own_category(sample, targets):
    sample.loc[[3, 10], "region"] = None
    imputed = rake(Design.from_frame(sample), targets, missing="mode")
    treat = imputed.diagnostics[-1].missing[0]
    assert (treat.variable, treat.n, treat.treatment) == ("region", 2, "mode")
    own = rake(Design.from_frame(sample), targets, missing="category")
    fit = {(c.margin, c.category): c for c in own.diagnostics[-1].categories}
    assert fit[("region", "(missing)")].target_share == pytest.approx(2 / len(sample))
    assert fit[("region", "(missing)")].achieved_share == pytest.approx(2 / len(sample), abs=1e-6)


def test_collapse_explicit_and_sparse_are_reported(sample, targets):
    rule = {"age_group": {"18-34": "18-64", "35-64": "18-64"}}
    design = rake(Design.from_frame(sample), targets, collapse=rule)
    (col,) = design.diagnostics[-1].collapses
    assert col.into == "18-64"
    assert col.categories == ("18-34", "35-64")
    sparse = sample[~((sample["region"] == "south") & (sample.index > 5))]
    auto = rake(Design.from_frame(sparse.reset_index(drop=True)), targets, min_cell=10)
    (merge,) = auto.diagnostics[-1].collapses
    assert "south" in merge.categories
    assert "min_cell=10" in merge.reason


def test_trim_caps_g_and_keeps_targets(sample, targets):
    design = rake(Design.from_frame(sample, weights="base"), targets)
    g_before = design.weights / (sample["base"].to_numpy() * len(sample) / sample["base"].sum())
    assert g_before.min() < 0.55
    assert g_before.max() > 2.3
    trimmed = trim(design, 0.55, 2.3)
    reference = sample["base"].to_numpy() * trimmed.weights.sum() / sample["base"].sum()
    g = trimmed.weights / reference
    assert g.min() >= 0.55 * (1 - 1e-6)
    assert g.max() <= 2.3 * (1 + 1e-6)
    assert trimmed.diagnostics[-1].max_deviation < 1e-5
    assert trimmed.weights.sum() == pytest.approx(len(sample))
    assert "capped" in trimmed.diagnostics[-1].notes[0]


def test_trim_without_recalibration_keeps_total(sample, targets):
    design = rake(Design.from_frame(sample, weights="base"), targets)
    trimmed = trim(design, 0.6, 2.0, recalibrate=False)
    reference = sample["base"].to_numpy() * len(sample) / sample["base"].sum()
    assert (trimmed.weights / reference).max() <= 2.0 * (1 + 1e-9)
    assert trimmed.weights.sum() == pytest.approx(design.weights.sum())


def test_trim_absolute_weight_caps(sample, targets):
    design = rake(Design.from_frame(sample), targets, population=3000)
    assert design.weights.max() > 20
    trimmed = trim(design, 2.0, 20.0, relative=False)
    assert trimmed.weights.max() <= 20 * (1 + 1e-6)
    assert trimmed.weights.sum() == pytest.approx(3000)
    assert "capped to weight" in trimmed.diagnostics[-1].notes[0]


def test_negative_linear_weights_are_reported():
    rng = np.random.default_rng(0)
    sex = rng.choice(["F", "M"], 200, p=[0.9, 0.1])
    age = np.where(
        sex == "F", rng.choice(["y", "o"], 200, p=[0.95, 0.05]), rng.choice(["y", "o"], 200, p=[0.2, 0.8])
    )
    t = Targets.from_dict({"sex": {"F": 0.3, "M": 0.7}, "age": {"y": 0.8, "o": 0.2}})
    design = calibrate(Design.from_frame(pd.DataFrame({"sex": sex, "age": age})), t)
    n_negative = int((design.weights < 0).sum())
    assert n_negative > 0
    assert design.diagnostics[-1].notes == (
        f"{n_negative} negative weights (linear calibration): consider logit with bounds",
    )
    assert design.diagnostics[-1].max_deviation < 1e-9  # totals still hit exactly
