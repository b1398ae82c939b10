"""Rao–Scott tests of independence against R `survey::svychisq` and a closed form.

Why: the corrected statistic is only worth publishing if it is R's, on calibrated designs
(raked, post-stratified, stratified and clustered) where the variance must honour the
calibration; and the SRS case pins the algebra down without R: with equal weights and no
calibration every generalised design effect is n/(n-1).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import weighting as wt

GOLDEN = Path(__file__).parent / "golden"
RTOL = 1e-6


@cache
def cases() -> dict[str, Any]:
    """svychisq values R wrote (make_golden.R, section Rao-Scott tests)."""
    with (GOLDEN / "golden.json").open(encoding="utf-8") as fh:
        return dict(json.load(fh)["independence"])


def read_data(name: str) -> pd.DataFrame:
    """A golden dataset as the CLI reads it."""
    return pd.read_csv(GOLDEN / name, keep_default_na=False, na_values=[""])


def design_of(case: dict[str, Any]) -> wt.Design:
    """The design R tested: base weights, strata/PSUs, then the weighting step."""
    data = read_data(case["dataset"])
    clusters = {"strata": "stratum", "cluster": "psu"} if case["design"] != "ids=~1" else {}
    design = wt.Design.from_frame(data, weights=case["base_weight"], **clusters)
    if case["method"] == "none":
        return design
    targets = wt.Targets.from_frame(pd.read_csv(GOLDEN / case["targets"], keep_default_na=False))
    pop = float(case["population"])
    if case["method"] == "rake":
        return wt.rake(design, targets, population=pop, tol=1e-13, max_iter=5000)
    return wt.poststratify(design, targets, population=pop)


def rel(a: float, b: float) -> float:
    """|a - b| / |b|."""
    return abs(a - b) / abs(b)


@pytest.mark.parametrize("cid", list(cases()))
def test_second_order_f_matches_svychisq(cid: str):
    """statistic="F": F, both df and the p-value equal R's to 1e-6 relative."""
    case = cases()[cid]
    got = wt.rao_scott_test(design_of(case), case["row"], case["col"], statistic="F")
    r = case["F"]
    assert rel(got.statistic, r["statistic"]) <= RTOL
    assert rel(got.df_num, r["parameter"][0]) <= RTOL
    assert got.df_den is not None
    assert rel(got.df_den, r["parameter"][1]) <= RTOL
    assert rel(got.p_value, r["p_value"]) <= RTOL


@pytest.mark.parametrize("cid", list(cases()))
def test_first_order_chisq_matches_svychisq(cid: str):
    """statistic="Chisq": R prints Pearson's X²; the p-value refers X²/mean(δ) to chi-square."""
    case = cases()[cid]
    got = wt.rao_scott_test(design_of(case), case["row"], case["col"], statistic="Chisq")
    r = case["Chisq"]
    assert rel(got.pearson, r["statistic"]) <= RTOL
    assert got.df_num == r["parameter"][0]
    assert got.df_den is None
    assert rel(got.p_value, r["p_value"]) <= RTOL
    assert got.statistic == pytest.approx(got.pearson / got.deff_mean, rel=1e-12)


def test_srs_closed_form():
    """Equal weights, no calibration: δ = n/(n-1) for every contrast, so the first-order statistic
    is Pearson's X² of the unweighted table times (n-1)/n and the F one divides that by its df."""
    data = read_data("consult.csv")
    n = len(data)
    table = pd.crosstab(data["opinion"], data["education"]).to_numpy()
    x2 = stats.chi2_contingency(table, correction=False).statistic
    df = (table.shape[0] - 1) * (table.shape[1] - 1)
    design = wt.Design.from_frame(data)
    first = wt.rao_scott_test(design, "opinion", "education", statistic="Chisq")
    second = wt.rao_scott_test(design, "opinion", "education")
    assert np.allclose(first.deff_eigenvalues, n / (n - 1), rtol=1e-10)
    assert first.pearson == pytest.approx(x2, rel=1e-12)
    assert first.statistic == pytest.approx(x2 * (n - 1) / n, rel=1e-12)
    assert first.p_value == pytest.approx(stats.chi2.sf(x2 * (n - 1) / n, df), rel=1e-10)
    assert second.statistic == pytest.approx(x2 * (n - 1) / n / df, rel=1e-12)
    assert (second.df_num, second.df_den) == pytest.approx((df, df * (n - 1)), rel=1e-12)


def test_srs_case_in_r_is_the_closed_form():
    """R's own SRS values obey the same closed form (so the closed form is R's, not ours)."""
    case = cases()["consult_srs_opinion_mode"]
    n = len(read_data(case["dataset"]))
    x2, df = case["Chisq"]["statistic"], case["Chisq"]["parameter"][0]
    assert rel(case["Chisq"]["p_value"], stats.chi2.sf(x2 * (n - 1) / n, df)) <= 1e-10
    assert rel(case["F"]["statistic"], x2 * (n - 1) / n / df) <= 1e-10


def test_calibration_changes_the_design_effects():
    """Raking changes δ from the fixed-weight ones: the variance really reads the steps."""
    case = cases()["consult_rake_equal_opinion_mode"]
    design = design_of(case)
    aware = wt.rao_scott_test(design, "opinion", "mode")
    fixed = wt.rao_scott_test(design, "opinion", "mode", calibrated=False)
    same = wt.rao_scott_test(design.with_weights(design.weights), "opinion", "mode")
    assert aware.deff_mean != pytest.approx(fixed.deff_mean, rel=1e-6)
    assert fixed.statistic == pytest.approx(same.statistic, rel=1e-12)
    assert aware.variance == "taylor, calibration-aware"


def test_rows_missing_a_variable_are_left_out():
    """A missing value removes its row from the table (not from the design)."""
    data = read_data("consult.csv")
    holed = data.assign(opinion=data["opinion"].where(data.index % 10 != 0))
    got = wt.rao_scott_test(wt.Design.from_frame(holed), "opinion", "mode")
    assert got.n == int(holed["opinion"].notna().sum())
    assert np.isfinite(got.statistic)
    assert 0 <= got.p_value <= 1


def test_needs_two_categories_each():
    """A constant variable cannot be tested: a clear error naming both variables."""
    data = read_data("consult.csv").assign(one="x")
    with pytest.raises(wt.DesignError, match="'opinion' and 'one'"):
        wt.rao_scott_test(wt.Design.from_frame(data), "opinion", "one")
