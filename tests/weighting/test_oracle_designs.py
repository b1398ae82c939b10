"""Supplied replicate weights, Rao–Scott on replicate designs, multistage designs: against R `survey`.

The golden values and the CSV files (R's own `api` and `mu284` data) are written by
`golden/make_golden_designs.R`; these tests only read them (CI has no R).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weighting as wt
from tests.weighting.conftest import DESIGNS_SCRIPT_WRITES, Regenerate

GOLDEN = Path(__file__).parent / "golden"
RTOL = 1e-9
G: dict[str, Any] = json.loads((GOLDEN / "golden_designs.json").read_text(encoding="utf-8"))
VARS = ["api00", "enroll", "stype", "awards"]


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, keep_default_na=False, na_values=[""])


def check_rows(table: wt.EstimateTable, expected: list[dict[str, Any]], rtol: float = RTOL) -> None:
    ours = {(r.variable, r.category): r for r in table.rows}
    assert expected
    for row in expected:
        got = ours[(row["variable"], row["category"])]
        assert math.isclose(got.estimate, row["estimate"], rel_tol=rtol), (row, got)
        assert math.isclose(got.se, row["se"], rel_tol=rtol), (row, got.se)


def api_targets() -> tuple[wt.Targets, float]:
    pop = G["supplied"]["population"]
    total = float(sum(pop["stype"].values()))
    return wt.Targets.from_dict(
        {m: {k: v / total for k, v in cats.items()} for m, cats in pop.items()}
    ), total


@pytest.mark.parametrize("case", ["jk1", "jk1_mse", "other", "bootstrap"])
def test_supplied_replicate_weights_give_rs_svrepdesign_estimates(case: str):
    spec = G["supplied"][case]
    data = read("api_clus1_reps.csv")
    reps = wt.supplied_replicates(
        data,
        f"^{spec['pattern']}[0-9]+$",
        type=spec["type"],
        scale=spec.get("scale") if spec["type"] == "other" else None,
        rscales=spec.get("rscales"),
        mse=bool(spec.get("mse", False)),
    )
    if "scale" in spec:
        assert math.isclose(reps.scale, spec["scale"], rel_tol=1e-15)  # R's default for the type
    design = wt.Design.from_frame(data, weights="pw")
    check_rows(wt.estimate(design, VARS, replicates=reps), spec["estimates"])
    if "totals" in spec:
        check_rows(wt.estimate(design, ["enroll"], statistic="total", replicates=reps), spec["totals"])


@pytest.mark.parametrize("case", ["jk1_raked", "jk1_linear"])
def test_supplied_replicates_recalibrated_as_r_calibrates_a_svrepdesign(case: str):
    spec = G["supplied"][case]
    data = read("api_clus1_reps.csv")
    targets, total = api_targets()
    base = wt.Design.from_frame(data, weights="pw")
    if spec["method"] == "rake":
        design = wt.rake(base, targets, population=total, tol=1e-13, max_iter=5000)
    else:
        design = wt.calibrate(base, targets, calfun="linear", population=total, tol=1e-13)
    np.testing.assert_allclose(design.weights, spec["weights"], rtol=RTOL)
    reps = wt.recalibrate_replicates(design, wt.supplied_replicates(data, "^repw_"))
    check_rows(wt.estimate(design, ["api00", "enroll", "awards"], replicates=reps), spec["estimates"])


def test_supplied_replicates_refuse_bad_columns_with_their_name():
    data = read("api_clus1_reps.csv").head(5).copy()
    with pytest.raises(wt.VariableError, match="no column matches"):
        wt.supplied_replicates(data, "^nothing")
    data.loc[2, "repw_3"] = -1.0
    with pytest.raises(wt.DesignError, match=r"'repw_3' must be a number >= 0 \(data row 3"):
        wt.supplied_replicates(data, "^repw_")
    with pytest.raises(wt.DesignError, match="rho"):
        wt.supplied_replicates(read("api_clus1_reps.csv"), "^boot_", type="Fay")
    with pytest.raises(wt.DesignError, match="JKn needs rscales"):
        wt.supplied_replicates(read("api_clus1_reps.csv"), "^repw_", type="JKn")


def test_golden_designs_regenerate_identically(regenerate_golden: Regenerate):
    """Re-running the R script rewrites the same CSV files and golden values (nothing drifted)."""
    regenerated = regenerate_golden("make_golden_designs.R")
    for name in DESIGNS_SCRIPT_WRITES:
        assert (regenerated / name).read_bytes() == (GOLDEN / name).read_bytes(), name


@pytest.mark.parametrize("case", ["jk1", "bootstrap", "jk1_raked"])
def test_rao_scott_with_replicate_weights_matches_svychisq(case: str):
    """svychisq on a svrepdesign (supplied, or raked with every replicate recalibrated)."""
    spec = G["chisq_replicates"][case]
    data = read("api_clus1_reps.csv")
    reps = wt.supplied_replicates(data, f"^{spec['pattern']}[0-9]+$", type=spec["type"])
    design = wt.Design.from_frame(data, weights="pw")
    if spec.get("method") == "rake":
        targets, total = api_targets()
        design = wt.rake(design, targets, population=total, tol=1e-13, max_iter=5000)
        reps = wt.recalibrate_replicates(design, reps)
    f = wt.rao_scott_test(design, spec["row"], spec["col"], statistic="F", replicates=reps)
    assert f.r_statistic[0] == "F"
    assert math.isclose(f.statistic, spec["F"]["statistic"], rel_tol=RTOL)
    assert math.isclose(f.df_num, spec["F"]["ndf"], rel_tol=RTOL)
    assert f.df_den is not None and math.isclose(f.df_den, spec["F"]["ddf"], rel_tol=RTOL)
    assert math.isclose(f.p_value, spec["F"]["p_value"], rel_tol=1e-7)
    chisq = wt.rao_scott_test(design, spec["row"], spec["col"], statistic="Chisq", replicates=reps)
    name, printed = chisq.r_statistic
    assert name == "X-squared" and math.isclose(printed, spec["Chisq"]["statistic"], rel_tol=RTOL)
    assert chisq.pearson_x2 == printed  # R prints Pearson's X²; the p-value is from the corrected one
    assert chisq.corrected < chisq.pearson_x2 or chisq.deff_mean < 1
    assert chisq.df_num == spec["Chisq"]["df"]
    assert math.isclose(chisq.p_value, spec["Chisq"]["p_value"], rel_tol=1e-7)
    assert chisq.r_summary().startswith(f"X-squared = {printed:.5g}, df = {spec['Chisq']['df']}")
    assert "replicates (" in chisq.variance


def multistage_design(case: dict[str, Any]) -> wt.Design:
    data = read(case["dataset"])
    fpc = case.get("fpc")
    if fpc == ["f1", "f2"]:  # sampling fractions instead of counts: 5 of n1 PSUs, then m of n2
        data["f1"] = 5 / data["n1"]
        data["f2"] = data.groupby("id1")["id1"].transform("size") / data["n2"]
    design = wt.Design.from_frame(data, cluster=case["ids"], fpc=fpc, weights=case.get("weights"))
    if case.get("method") == "rake":  # calibration residualises the scores, then the stages add up
        targets, total = api_targets()
        design = wt.rake(design, targets.select(["stype"]), population=total, tol=1e-13, max_iter=5000)
    return design


@pytest.mark.parametrize(
    "case", ["api_clus2_fpc", "api_clus2_wr", "api_clus2_fpc_raked", "mu284_fpc", "mu284_fpc_fraction"]
)
def test_multistage_designs_match_r_svydesign(case: str):
    """svydesign(ids=~psu+ssu, fpc=~N1+N2) (without replacement) and with weights only (first stage)."""
    spec = G["multistage"][case]
    design = multistage_design(spec)
    variables = sorted(
        {r["variable"] for r in spec["estimates"]}, key=[r["variable"] for r in spec["estimates"]].index
    )
    check_rows(wt.estimate(design, variables), spec["estimates"])
    check_rows(wt.estimate(design, [spec["totals"][0]["variable"]], statistic="total"), spec["totals"])
    for row in spec.get("svyby", []):
        table = wt.estimate(design, [row["variable"]], by=spec["by"])
        got = next(r for r in table.rows if r.by == row["by"])
        assert math.isclose(got.estimate, row["estimate"], rel_tol=RTOL), row
        assert math.isclose(got.se, row["se"], rel_tol=RTOL), (row, got.se)


@pytest.mark.parametrize("policy", ["remove", "adjust", "average", "certainty"])
def test_lonely_psu_policies_match_r(policy: str):
    spec = G["lonely"]
    data = read(spec["dataset"])
    design = wt.Design.from_frame(data, strata=spec["strata"], weights=spec["weights"], lonely_psu=policy)
    check_rows(wt.estimate(design, ["api00"]), spec[policy]["estimates"])
    check_rows(wt.estimate(design, ["enroll"], statistic="total"), spec[policy]["totals"])


def test_a_lonely_psu_fails_naming_the_stratum_label():
    spec = G["lonely"]
    design = wt.Design.from_frame(read(spec["dataset"]), strata=spec["strata"], weights=spec["weights"])
    with pytest.raises(wt.DesignError, match="stratum H has only one PSU at stage 1") as info:
        wt.estimate(design, ["api00"])
    assert info.value.values["stratum"] == "H"
