"""The weighting package against R `survey`: weights to 1e-9, estimates and SEs to 1e-8.

Why: R `survey` is the reference implementation of post-stratification, raking, calibration
and design-based variance; matching it value for value on varied data (small and odd
samples, crossed margins, binding logit bounds, strata and clusters, jackknife replicates)
is the proof that our numbers can be published. The values were produced once by
`Rscript tests/weighting/golden/make_golden.R` and are only *read* here, so CI needs no R
(where R is installed, the last test checks that the scripts still write them).
Tests go through the fixed CLI contract (`survey weight`, `survey estimate`) and through the
Python API where the CLI has no knob (convergence tolerance, totals).

Tolerances are fixed by the brief and never loosened: a failure here is a disagreement with
R to be explained, not noise.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import weighting as wt
from survey.cli.weighting import register
from tests.weighting.conftest import DESIGNS_SCRIPT_WRITES, Regenerate

GOLDEN = Path(__file__).parent / "golden"
WEIGHT_RTOL = 1e-9
EST_RTOL = 1e-8
Z975 = 1.959963984540054

CLI_METHOD = {
    "poststratify": "poststratify",
    "rake": "rake",
    "raking": "raking",
    "linear": "linear",
    "logit": "logit",
}
# R ran rake(epsilon=1e-13) and calibrate(epsilon=1e-13): comparing weights at 1e-9 needs the
# same convergence, so the iterative methods get `--tol` / `--max-iter` (the CLI defaults,
# 1e-6 on shares for rake, are checked separately against a looser, documented bound).
TIGHT = ["--tol", "1e-12", "--max-iter", "2000"]


# ----------------------------------------------------------------------------- helpers
@cache
def golden() -> dict[str, Any]:
    """The values R wrote."""
    with (GOLDEN / "golden.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def read_data(name: str) -> pd.DataFrame:
    """A golden dataset as the CLI reads it (categories stay text, '65+' is not a number)."""
    return pd.read_csv(GOLDEN / name, keep_default_na=False, na_values=[""])


@cache
def cli_app() -> typer.Typer:
    """A fresh typer app with only the weighting commands registered."""
    app = typer.Typer()
    register(app)
    return app


def run_cli(args: list[Any]) -> Any:
    """Run the CLI in-process; returns typer's Result (exit_code, output)."""
    return CliRunner().invoke(cli_app(), [str(a) for a in args])


def run_ok(args: list[Any]) -> Any:
    """Run the CLI and fail the test with its output when it exits non-zero."""
    result = run_cli(args)
    assert result.exit_code == 0, (
        f"survey {' '.join(map(str, args))} failed:\n{result.output}\n{result.exception!r}"
    )
    return result


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def weight_args(case: dict[str, Any], out: Path, *, tight: bool = True) -> list[Any]:
    """`survey weight` arguments reproducing one golden case."""
    args: list[Any] = [
        "weight",
        GOLDEN / case["dataset"],
        "--targets",
        GOLDEN / case["targets"],
        "--method",
        CLI_METHOD[case["method"]],
        "--population",
        _num(case["population"]),
    ]
    if case.get("base_weight"):
        args += ["--base-weight", case["base_weight"]]
    if case.get("bounds"):
        args += ["--bounds", ",".join(_num(b) for b in case["bounds"])]
    if tight and case["method"] != "poststratify":
        args += TIGHT
    return [*args, "--out", out]


def calibrated_estimate_args(
    case: dict[str, Any], variables: list[str], out: Path, by: str | None
) -> list[Any]:
    """`survey estimate --targets` arguments: weights made in the call, calibration-aware SEs."""
    args: list[Any] = [
        "estimate",
        GOLDEN / case["dataset"],
        "--variables",
        ",".join(variables),
        "--targets",
        GOLDEN / case["targets"],
        "--method",
        CLI_METHOD[case["method"]],
        "--population",
        _num(case["population"]),
    ]
    if case.get("base_weight"):
        # The starting weights of the calibration: the base-weight column.
        args += ["--weight", case["base_weight"]]
    if case.get("bounds"):
        args += ["--bounds", ",".join(_num(b) for b in case["bounds"])]
    if case["design"] != "ids=~1":
        args += ["--strata", "stratum", "--cluster", "psu"]
    if case["method"] != "poststratify":
        args += TIGHT
    if by:
        args += ["--by", by]
    return [*args, "--out", out]


def read_estimates(path: Path) -> pd.DataFrame:
    """`survey estimate` output with `by` as text ('' when absent) for joining with R's rows."""
    df = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"category": str})
    if "by" not in df.columns:
        df["by"] = ""
    df["by"] = df["by"].fillna("").astype(str)
    return df


def r_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """R's estimate rows as a frame keyed like the CLI's."""
    df = pd.DataFrame(rows)
    df["by"] = df["by"].fillna("").astype(str)
    df["category"] = df["category"].astype(str)
    return df


def max_rel_diff(ours: Any, theirs: Any) -> float:
    """Largest |ours - theirs| / |theirs|."""
    a = np.asarray(ours, dtype=float)
    b = np.asarray(theirs, dtype=float)
    assert a.shape == b.shape, f"shapes differ: ours {a.shape}, R {b.shape}"
    return float(np.max(np.abs(a - b) / np.where(b == 0, 1.0, np.abs(b))))


def compare_rows(
    ours: pd.DataFrame, theirs: pd.DataFrame, columns: tuple[str, ...], rtol: float
) -> list[str]:
    """Join on (variable, category, by); describe every missing row and every value off by > rtol."""
    keys = ["variable", "category", "by"]
    merged = theirs.merge(ours, on=keys, how="left", suffixes=("_r", ""), indicator=True)
    problems = [
        f"no row for {v}/{c}/{b!r}"
        for v, c, b, m in zip(
            merged["variable"], merged["category"], merged["by"], merged["_merge"], strict=True
        )
        if m != "both"
    ]
    both = merged[merged["_merge"] == "both"]
    for col in columns:
        for _, row in both.iterrows():
            r_val, our_val = float(row[f"{col}_r"]), float(row[col])
            rel = abs(our_val - r_val) / (abs(r_val) if r_val != 0 else 1.0)
            if not rel <= rtol:
                problems.append(
                    f"{col} {row['variable']}/{row['category']}/{row['by']!r}: ours {our_val!r} R {r_val!r} "
                    f"(rel {rel:.1e})"
                )
    return problems


def variables_of(rows: list[dict[str, Any]]) -> list[str]:
    """Distinct variables of R's rows, in order."""
    return list(dict.fromkeys(r["variable"] for r in rows))


CASES = golden()["cases"]
FIXED = golden()["fixed"]
REPLICATES = golden()["replicates"]
ERRORS = golden()["errors"]


# ----------------------------------------------------------------------------- the golden files themselves
def test_golden_files_are_consistent():
    """The stored values describe what the README says: weights sum to N, shares to 1, bounds bind."""
    for cid, case in CASES.items():
        w = np.asarray(case["weights"])
        assert w.size == len(read_data(case["dataset"])), cid
        assert math.isclose(w.sum(), case["population"], rel_tol=1e-10), cid
        targets = pd.read_csv(GOLDEN / case["targets"], keep_default_na=False)
        for var, shares in targets.groupby("variable")["share"]:
            assert math.isclose(shares.sum(), 1.0, abs_tol=1e-12), (cid, var)
        if case["method"] == "logit":
            assert case["linear_g_outside_bounds"] > 0, f"{cid}: logit bounds do not bind"
    for cid, err in ERRORS.items():
        assert isinstance(err["r_error"], bool), cid


# ----------------------------------------------------------------------------- weights
@pytest.mark.parametrize("cid", list(CASES))
def test_cli_weights_match_r(cid: str, tmp_path: Path):
    """`survey weight` reproduces R's weights (postStratify, rake, calibrate) to 1e-9 relative."""
    case = CASES[cid]
    out = tmp_path / "w.csv"
    run_ok(weight_args(case, out))
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    diff = max_rel_diff(got["weight"].to_numpy(), case["weights"])
    assert diff <= WEIGHT_RTOL, f"{cid}: weights differ from R by up to {diff:.2e} (relative)"


@pytest.mark.parametrize(
    "cid", [c for c, v in CASES.items() if v["method"] in {"rake", "raking", "logit", "linear"}]
)
def test_api_weights_match_r_at_tight_tolerance(cid: str):
    """The Python API with a tight tolerance reproduces R: separates algorithm from CLI defaults."""
    case = CASES[cid]
    data = read_data(case["dataset"])
    design = wt.Design.from_frame(data, weights=case.get("base_weight"))
    targets = wt.Targets.from_frame(pd.read_csv(GOLDEN / case["targets"], keep_default_na=False))
    pop = float(case["population"])
    if case["method"] == "rake":
        out = wt.rake(design, targets, population=pop, tol=1e-13, max_iter=5000)
    else:
        bounds = tuple(case["bounds"]) if case.get("bounds") else None
        out = wt.calibrate(
            design, targets, calfun=case["method"], bounds=bounds, population=pop, tol=1e-13, max_iter=500
        )
    diff = max_rel_diff(out.weights, case["weights"])
    assert diff <= WEIGHT_RTOL, f"{cid}: weights differ from R by up to {diff:.2e} (relative)"


@pytest.mark.parametrize("cid", ["consult_rake_equal", "consult_rake_crossed_basew", "skewed_rake_basew"])
def test_cli_default_rake_tolerance_is_close_to_r(cid: str, tmp_path: Path):
    """With the CLI's default rake tolerance (1e-6 on shares) weights are within 1e-5 of R's."""
    case = CASES[cid]
    out = tmp_path / "w.csv"
    run_ok(weight_args(case, out, tight=False))
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    diff = max_rel_diff(got["weight"].to_numpy(), case["weights"])
    assert diff <= 1e-5, f"{cid}: default tolerance leaves weights {diff:.2e} from R"


def test_cli_weight_output_keeps_every_row_and_column(tmp_path: Path):
    """`weight` writes all input rows and columns in order, then `weight` (the contract)."""
    case = CASES["consult_rake_crossed_basew"]
    out = tmp_path / "w.csv"
    run_ok(weight_args(case, out))
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    data = read_data(case["dataset"])
    assert list(got.columns) == [*data.columns, "weight"]
    pd.testing.assert_frame_equal(got[data.columns], data, check_dtype=False)


@pytest.mark.parametrize("cid", [c for c, v in CASES.items() if v["method"] == "logit"])
def test_cli_logit_weights_stay_within_bounds(cid: str, tmp_path: Path):
    """Logit g-weights (weight / base weight, on R's scale) lie inside the bounds that bind."""
    case = CASES[cid]
    out = tmp_path / "w.csv"
    run_ok(weight_args(case, out))
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    n, pop = len(got), float(case["population"])
    base = got[case["base_weight"]].to_numpy() if case.get("base_weight") else np.full(n, pop / n)
    # R applies the bounds after rescaling base weights that are far below N (bounds_rescale).
    scale = case["bounds_rescale"]
    g = got["weight"].to_numpy() / base / scale
    lo, hi = case["bounds"]
    assert g.min() >= lo * (1 - 1e-12)
    assert g.max() <= hi * (1 + 1e-12)
    assert max_rel_diff([g.min(), g.max()], np.asarray(case["g_range"]) / scale) <= WEIGHT_RTOL


# ----------------------------------------------------------------------------- calibrated estimates
ESTIMATE_CASES = [c for c, v in CASES.items() if v["method"] != "raking"]


@pytest.mark.parametrize("cid", ESTIMATE_CASES)
def test_cli_calibration_aware_estimates_match_r(cid: str, tmp_path: Path):
    """`estimate --targets` gives R's calibrated-design means, proportions and SEs to 1e-8."""
    case = CASES[cid]
    expected = case["calibrated"]["estimates"]
    out = tmp_path / "e.csv"
    run_ok(calibrated_estimate_args(case, variables_of(expected), out, None))
    problems = compare_rows(read_estimates(out), r_rows(expected), ("estimate", "se", "n"), EST_RTOL)
    assert not problems, f"{cid}:\n" + "\n".join(problems)


@pytest.mark.parametrize("cid", [c for c in ESTIMATE_CASES if CASES[c]["calibrated"].get("by")])
def test_cli_calibration_aware_subgroup_estimates_match_r(cid: str, tmp_path: Path):
    """`estimate --targets --by` matches R's svyby on the calibrated design (domain SEs)."""
    case = CASES[cid]
    cal = case["calibrated"]
    out = tmp_path / "e.csv"
    run_ok(calibrated_estimate_args(case, variables_of(cal["estimates_by"]), out, cal["by"]))
    ours = read_estimates(out)
    problems = compare_rows(ours, r_rows(cal["estimates_by"]), ("estimate", "se", "n"), EST_RTOL)
    assert not problems, f"{cid}:\n" + "\n".join(problems)


@pytest.mark.parametrize("cid", ["consult_rake_equal", "consult_linear_basew"])
def test_estimate_rows_have_counts_and_normal_intervals(cid: str, tmp_path: Path):
    """n counts respondents; a numeric mean's CI is estimate ± z·se, as R's confint()."""
    case = CASES[cid]
    expected = r_rows(case["calibrated"]["estimates"])
    out = tmp_path / "e.csv"
    run_ok(calibrated_estimate_args(case, variables_of(case["calibrated"]["estimates"]), out, None))
    ours = read_estimates(out)
    assert list(ours.columns[:7]) == ["variable", "category", "estimate", "se", "ci_low", "ci_high", "n"]
    merged = expected.merge(ours, on=["variable", "category", "by"], suffixes=("_r", ""))
    assert len(merged) == len(expected)
    assert (merged["n"].astype(int) == merged["n_r"].astype(int)).all()
    means = merged[merged["category"] == "mean"]
    assert len(means) == 2
    problems = compare_rows(ours[ours["category"] == "mean"], expected, ("ci_low", "ci_high"), EST_RTOL)
    problems = [p for p in problems if not p.startswith("no row")]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cid", ["consult_rake_equal", "consult_post_sexage_basew", "clustered_rake"])
def test_proportion_interval_is_rs_svyciprop_logit(cid: str, tmp_path: Path):
    """The CI of a proportion is R's svyciprop(method="logit") (default df = degf(design)).

    Why logit: Wald intervals of proportions leave [0, 1] for rare answers; svyciprop's logit
    interval is what R users publish.
    """
    case = CASES[cid]
    ci = case["calibrated"]["svyciprop"]
    out = tmp_path / "e.csv"
    run_ok(calibrated_estimate_args(case, ["opinion"], out, None))
    ours = read_estimates(out)
    row = ours[(ours["variable"] == "opinion") & (ours["category"] == ci["category"])].iloc[0]
    assert math.isclose(row["estimate"], ci["estimate"], rel_tol=EST_RTOL)
    got = (float(row["ci_low"]), float(row["ci_high"]))
    assert max_rel_diff(got, (ci["ci_low"], ci["ci_high"])) <= EST_RTOL, (
        f"{cid}: ours {got}, svyciprop logit df={ci['df']} {(ci['ci_low'], ci['ci_high'])}, "
        f"df=Inf {(ci['ci_low_normal'], ci['ci_high_normal'])}"
    )


def api_design(case: dict[str, Any]) -> wt.Design:
    """The golden case weighted through the Python API (tight tolerance, same design as R)."""
    data = read_data(case["dataset"])
    clustered = case["design"] != "ids=~1"
    design = wt.Design.from_frame(
        data,
        weights=case.get("base_weight"),
        strata="stratum" if clustered else None,
        cluster="psu" if clustered else None,
    )
    targets = wt.Targets.from_frame(pd.read_csv(GOLDEN / case["targets"], keep_default_na=False))
    pop = float(case["population"])
    if case["method"] == "poststratify":
        return wt.poststratify(design, targets, population=pop)
    if case["method"] == "rake":
        return wt.rake(design, targets, population=pop, tol=1e-13, max_iter=5000)
    bounds = tuple(case["bounds"]) if case.get("bounds") else None
    return wt.calibrate(
        design, targets, calfun=case["method"], bounds=bounds, population=pop, tol=1e-13, max_iter=500
    )


@pytest.mark.parametrize(
    "cid", ["consult_post_age_basew", "consult_rake_equal", "consult_linear_basew", "clustered_rake"]
)
def test_api_totals_match_r_svytotal(cid: str):
    """`estimate(statistic="total")` gives svytotal's estimate and calibration-aware SE."""
    case = CASES[cid]
    table = wt.estimate(api_design(case), list(case["calibrated"]["totals"]), statistic="total")
    for row in table.rows:
        expected = case["calibrated"]["totals"][row.variable]
        assert math.isclose(row.estimate, expected["estimate"], rel_tol=EST_RTOL), (cid, row)
        assert math.isclose(row.se, expected["se"], rel_tol=EST_RTOL), (cid, row, expected["se"])


@pytest.mark.parametrize("cid", ["consult_rake_basew", "skewed_linear_basew", "small_post_sexage"])
def test_api_kish_design_effect_matches_r(cid: str):
    """Kish deff n·Σw²/(Σw)² of the weights, as computed in R."""
    case = CASES[cid]
    assert math.isclose(wt.kish_deff(np.asarray(case["weights"])), case["kish"]["deff"], rel_tol=1e-12)
    assert math.isclose(wt.kish_deff(api_design(case).weights), case["kish"]["deff"], rel_tol=EST_RTOL)


def test_golden_subgroup_rows_equal_svyby():
    """R's own svyby agrees with the subset() rows stored for --by (guards the golden script)."""
    checked = 0
    for cid, case in CASES.items():
        for part in ("calibrated", "fixed"):
            summary = case[part]
            for var, rows in summary.get("svyby", {}).items():
                for r in rows:
                    mine = next(
                        x for x in summary["estimates_by"] if x["variable"] == var and x["by"] == r["by"]
                    )
                    assert math.isclose(mine["estimate"], r["estimate"], rel_tol=1e-12), (cid, part, var)
                    assert math.isclose(mine["se"], r["se"], rel_tol=1e-10), (cid, part, var)
                    checked += 1
    assert checked >= 40


# ----------------------------------------------------------------------------- fixed weights
@pytest.mark.parametrize("fid", list(FIXED))
def test_cli_fixed_weight_estimates_match_r(fid: str, tmp_path: Path):
    """`estimate --weight` (weights as given) matches svydesign(ids=~1 | ~psu, strata, weights)."""
    spec = FIXED[fid]
    out = tmp_path / "e.csv"
    args: list[Any] = ["estimate", GOLDEN / spec["dataset"], "--variables"]
    args += [",".join(variables_of(spec["estimates"])), "--weight", spec["weight"]]
    if spec["design"] != "ids=~1":
        args += ["--strata", "stratum", "--cluster", "psu"]
    run_ok([*args, "--out", out])
    problems = compare_rows(read_estimates(out), r_rows(spec["estimates"]), ("estimate", "se"), EST_RTOL)
    if spec.get("by"):
        out_by = tmp_path / "eb.csv"
        run_ok([*args, "--by", spec["by"], "--out", out_by])
        problems += compare_rows(
            read_estimates(out_by), r_rows(spec["estimates_by"]), ("estimate", "se"), EST_RTOL
        )
    assert not problems, f"{fid}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "cid", ["consult_rake_basew", "consult_logit_equal", "small_post_sexage", "clustered_rake"]
)
def test_weights_then_fixed_estimates_match_r(cid: str, tmp_path: Path):
    """`weight` then `estimate --weight weight`: SEs of the weights treated as fixed, as R's.

    These SEs are larger than the calibration-aware ones (checked too): the two must never be
    confused in a report.
    """
    case = CASES[cid]
    wfile = tmp_path / "w.csv"
    run_ok(weight_args(case, wfile))
    out = tmp_path / "e.csv"
    args: list[Any] = ["estimate", wfile, "--variables", ",".join(variables_of(case["fixed"]["estimates"]))]
    args += ["--weight", "weight"]
    if case["design"] != "ids=~1":
        args += ["--strata", "stratum", "--cluster", "psu"]
    run_ok([*args, "--out", out])
    problems = compare_rows(
        read_estimates(out), r_rows(case["fixed"]["estimates"]), ("estimate", "se"), EST_RTOL
    )
    assert not problems, f"{cid}:\n" + "\n".join(problems)
    fixed_se = r_rows(case["fixed"]["estimates"]).set_index(["variable", "category"])["se"]
    cal_se = r_rows(case["calibrated"]["estimates"]).set_index(["variable", "category"])["se"]
    assert (cal_se.loc[("satisfaction", "mean")] < fixed_se.loc[("satisfaction", "mean")]) or cid.startswith(
        "small"
    )


# ----------------------------------------------------------------------------- replicate weights
@pytest.mark.parametrize("rid", list(REPLICATES))
def test_cli_jk1_replicate_estimates_match_r(rid: str, tmp_path: Path):
    """`estimate --replicates jk1`: R's as.svrepdesign(type="JK1"), recalibrated per replicate."""
    spec = REPLICATES[rid]
    out = tmp_path / "e.csv"
    args: list[Any] = ["estimate", GOLDEN / spec["dataset"], "--variables"]
    args += [
        ",".join(variables_of(spec["estimates"])),
        "--weight",
        spec["base_weight"],
        "--replicates",
        "jk1",
    ]
    if spec.get("method"):
        args += ["--targets", GOLDEN / spec["targets"], "--method", CLI_METHOD[spec["method"]]]
        args += ["--population", _num(spec["population"]), *TIGHT]
    run_ok([*args, "--out", out])
    problems = compare_rows(read_estimates(out), r_rows(spec["estimates"]), ("estimate", "se"), EST_RTOL)
    assert not problems, f"{rid}:\n" + "\n".join(problems)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("eid", [e for e, v in ERRORS.items() if v["r_error"]])
def test_cli_refuses_what_r_refuses(eid: str, tmp_path: Path):
    """Empty target cells and infeasible bounds fail with a one-line message, never weights."""
    spec = ERRORS[eid]
    out = tmp_path / "w.csv"
    args = weight_args({**spec, "design": "ids=~1"}, out)
    result = run_cli(args)
    assert result.exit_code != 0, f"{eid}: R says {spec['message']!r}, we wrote weights"
    assert not out.exists()
    if "empty" in eid:
        assert "65+" in result.output, f"{eid}: the message should name the empty cell:\n{result.output}"


@pytest.mark.parametrize("eid", [e for e, v in ERRORS.items() if not v["r_error"]])
def test_cli_rakes_margins_when_only_a_crossed_cell_is_empty(eid: str, tmp_path: Path):
    """An empty crossed cell does not stop raking on the margins (R does it too)."""
    spec = ERRORS[eid]
    out = tmp_path / "w.csv"
    run_ok(weight_args({**spec, "design": "ids=~1"}, out))
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    diff = max_rel_diff(got["weight"].to_numpy(), spec["weights"])
    assert diff <= WEIGHT_RTOL, f"{eid}: weights differ from R by up to {diff:.2e}"


# ----------------------------------------------------------------------------- regenerating
@pytest.mark.slow
def test_golden_files_regenerate_identically(regenerate_golden: Regenerate):
    """Re-running make_golden.R gives the stored datasets byte for byte and the same numbers."""
    regenerated_golden = regenerate_golden("make_golden.R", "make_golden_breakdowns.R")
    for csv in sorted(GOLDEN.glob("*.csv")):
        if csv.name not in DESIGNS_SCRIPT_WRITES:  # tests/weighting/test_oracle_designs.py checks those
            assert (regenerated_golden / csv.name).read_bytes() == csv.read_bytes(), csv.name
    fresh = json.loads((regenerated_golden / "golden.json").read_text(encoding="utf-8"))
    stored = golden()
    mismatches: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(b, dict):
            for k in b:
                if k not in {"meta"}:
                    walk(a.get(k) if isinstance(a, dict) else None, b[k], f"{path}.{k}")
        elif isinstance(b, list):
            if not isinstance(a, list) or len(a) != len(b):
                mismatches.append(path)
                return
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{i}]")
        elif isinstance(b, float) and isinstance(a, int | float):
            if not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300):
                mismatches.append(f"{path}: {a!r} != {b!r}")
        elif a != b:
            mismatches.append(f"{path}: {a!r} != {b!r}")

    walk(fresh, stored, "golden")
    assert not mismatches, "\n".join(mismatches[:20])
    # the workbench's breakdown oracle (tests/analyst/test_breakdowns.py) is written byte for byte
    breakdowns = "golden_breakdowns.json"
    assert (regenerated_golden / breakdowns).read_bytes() == (GOLDEN / breakdowns).read_bytes()
