"""`survey estimate --cluster psu,ssu --fpc N1,N2 --lonely-psu P --by G` against R's own values
(svydesign / svymean / svyby on R's api and mu284 data, tests/weighting/golden/make_golden_designs.R)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

GOLDEN = Path(__file__).resolve().parents[1] / "weighting" / "golden"
G = json.loads((GOLDEN / "golden_designs.json").read_text())
RTOL = 1e-9
runner = CliRunner()


def _estimates(app: typer.Typer, out: Path, *args: str) -> pd.DataFrame:
    result = runner.invoke(app, ["estimate", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return pd.read_csv(out, keep_default_na=False)


def _check(got: pd.DataFrame, expected: list[dict], key: str = "category") -> None:
    for row in expected:
        match = got[(got["variable"] == row["variable"]) & (got[key].astype(str) == row[key])]
        assert len(match) == 1, row
        assert math.isclose(match["estimate"].iloc[0], row["estimate"], rel_tol=RTOL), row
        assert math.isclose(match["se"].iloc[0], row["se"], rel_tol=RTOL), (row, match["se"].iloc[0])


@pytest.mark.parametrize("case", ["api_clus2_fpc", "api_clus2_wr"])
def test_two_stage_designs_with_and_without_fpc_match_r(app, tmp_path, case):
    spec = G["multistage"][case]
    args = [str(GOLDEN / spec["dataset"]), "--cluster", ",".join(spec["ids"])]
    args += ["--fpc", ",".join(spec["fpc"])] if "fpc" in spec else ["--weight", spec["weights"]]
    variables = ",".join(dict.fromkeys(r["variable"] for r in spec["estimates"]))
    _check(_estimates(app, tmp_path / "e.csv", *args, "--variables", variables), spec["estimates"])
    domains = _estimates(app, tmp_path / "d.csv", *args, "--variables", "api00", "--by", spec["by"])
    _check(domains, spec["svyby"], key="by")


@pytest.mark.parametrize("policy", ["remove", "adjust", "average", "certainty"])
def test_lonely_psu_policies_match_r(app, tmp_path, policy):
    spec = G["lonely"]
    args = [str(GOLDEN / spec["dataset"]), "--weight", spec["weights"], "--strata", spec["strata"]]
    got = _estimates(app, tmp_path / "e.csv", *args, "--variables", "api00", "--lonely-psu", policy)
    _check(got, spec[policy]["estimates"])


def test_a_lonely_psu_fails_by_default_naming_the_stratum(app, tmp_path):
    spec = G["lonely"]
    args = [str(GOLDEN / spec["dataset"]), "--weight", spec["weights"], "--strata", spec["strata"]]
    result = runner.invoke(app, ["estimate", *args, "--variables", "api00", "--out", str(tmp_path / "e.csv")])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "stratum H has only one PSU" in lines[0]
    assert not (tmp_path / "e.csv").exists()


def test_a_subgroup_of_one_respondent_is_a_notice_not_a_python_warning(app, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("g,y\n" + "".join(f"a,{i}\n" for i in range(9)) + "b,4\n")
    out = tmp_path / "e.csv"
    result = runner.invoke(app, ["estimate", str(data), "--variables", "y", "--by", "g", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "notice:" in result.stderr
    assert "one respondent" in result.stderr
    assert "Warning" not in result.stderr
    lone = pd.read_csv(out).set_index("by").loc["b"]
    assert math.isnan(lone["ci_low"])
    assert math.isnan(lone["ci_high"])
