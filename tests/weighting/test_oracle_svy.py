"""Raking and post-stratification cross-checked against `svy` (the successor of samplics).

Why a second oracle: R `survey` is the reference, but an independent Python implementation
(svy's Rust IPF kernel) checks the golden values and ours from a third side, and catches a
bug that our tests and R's stored numbers could share (e.g. a wrong targets file).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import weighting as wt

svy = pytest.importorskip("svy")
pl = pytest.importorskip("polars")

GOLDEN = Path(__file__).parent / "golden"
WEIGHT_RTOL = 1e-9


def _golden_case(cid: str) -> dict:
    with (GOLDEN / "golden.json").open(encoding="utf-8") as fh:
        return json.load(fh)["cases"][cid]


def _controls(targets_file: str, population: float) -> dict[str, dict[str, float]]:
    t = pd.read_csv(GOLDEN / targets_file, keep_default_na=False)
    return {
        str(v): {str(c): float(s) * population for c, s in zip(g["category"], g["share"], strict=True)}
        for v, g in t.groupby("variable", sort=False)
    }


def _sample(case: dict) -> tuple[pl.DataFrame, str]:
    df = pl.read_csv(GOLDEN / case["dataset"], infer_schema_length=0)  # all text: '65+' stays a label
    n = df.height
    if case.get("base_weight"):
        df = df.with_columns(pl.col(case["base_weight"]).cast(pl.Float64).alias("w0"))
    else:
        df = df.with_columns(pl.lit(case["population"] / n).alias("w0"))
    df = df.with_columns(
        pl.concat_str([pl.col("sex"), pl.col("age_group")], separator=":").alias("sex:age_group")
    )
    return df, "w0"


def _ours(case: dict) -> np.ndarray:
    data = pd.read_csv(GOLDEN / case["dataset"], keep_default_na=False, na_values=[""])
    design = wt.Design.from_frame(data, weights=case.get("base_weight"))
    targets = wt.Targets.from_frame(pd.read_csv(GOLDEN / case["targets"], keep_default_na=False))
    pop = float(case["population"])
    if case["method"] == "poststratify":
        return np.asarray(wt.poststratify(design, targets, population=pop).weights)
    return np.asarray(wt.rake(design, targets, population=pop, tol=1e-13, max_iter=5000).weights)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a / b - 1)))


@pytest.mark.parametrize(
    "cid", ["consult_rake_equal", "consult_rake_basew", "consult_rake_crossed_basew", "skewed_rake_basew"]
)
def test_svy_rake_agrees_with_r_and_with_us(cid: str):
    """svy's IPF, R's rake() and ours give the same weights to 1e-9."""
    case = _golden_case(cid)
    df, w0 = _sample(case)
    s = svy.Sample(df, svy.Design(wgt=w0))
    raked = s.weighting.rake(
        controls=_controls(case["targets"], case["population"]), tol=1e-13, max_iter=5000
    )
    w_svy = raked.data["rk_wgt"].to_numpy()
    w_r = np.asarray(case["weights"])
    assert _rel(w_svy, w_r) <= WEIGHT_RTOL, "svy and R disagree: check the golden targets"
    assert _rel(_ours(case), w_svy) <= WEIGHT_RTOL


@pytest.mark.parametrize("cid", ["consult_post_sexage_equal", "consult_post_age_basew", "small_post_sexage"])
def test_svy_poststratify_agrees_with_r_and_with_us(cid: str):
    """Post-stratification on one variable and on crossed cells: svy = R = ours."""
    case = _golden_case(cid)
    df, w0 = _sample(case)
    controls = _controls(case["targets"], case["population"])
    ((cells, totals),) = controls.items()
    s = svy.Sample(df, svy.Design(wgt=w0))
    ps = s.weighting.poststratify(controls=totals, cells=cells)
    w_svy = ps.data["ps_wgt"].to_numpy()
    assert _rel(w_svy, np.asarray(case["weights"])) <= WEIGHT_RTOL
    assert _rel(_ours(case), w_svy) <= WEIGHT_RTOL


def test_svy_poststratified_mean_and_se_agree_with_r():
    """svy's Taylor SE after post-stratification is calibration-aware and equals R's to 1e-8."""
    case = _golden_case("consult_post_sexage_equal")
    df, w0 = _sample(case)
    df = df.with_columns(pl.col("satisfaction").cast(pl.Float64))
    ((cells, totals),) = _controls(case["targets"], case["population"]).items()
    ps = svy.Sample(df, svy.Design(wgt=w0)).weighting.poststratify(controls=totals, cells=cells)
    est = ps.estimation.mean("satisfaction").to_polars()
    r = next(row for row in case["calibrated"]["estimates"] if row["variable"] == "satisfaction")
    assert abs(est["est"][0] / r["estimate"] - 1) <= 1e-8
    assert abs(est["se"][0] / r["se"] - 1) <= 1e-8
    fixed = next(row for row in case["fixed"]["estimates"] if row["variable"] == "satisfaction")
    assert abs(est["se"][0] / fixed["se"] - 1) > 0.05, "svy's SE should not be the fixed-weight one"
