"""CLI contract of `survey weight` / `survey estimate`: outputs, exit code 2 with one line, no partial OUT."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from survey.cli.weighting import register

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    register(application)
    return application


@pytest.fixture
def files(tmp_path: Path, sample: pd.DataFrame, targets) -> tuple[Path, Path]:
    data = tmp_path / "responses.csv"
    sample.to_csv(data, index=False)
    tfile = tmp_path / "targets.csv"
    targets.to_frame().to_csv(tfile, index=False)
    return data, tfile


def _error_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("method", ["poststratify", "rake", "linear", "logit"])
def test_weight_writes_all_rows_columns_and_weight(app, files, tmp_path, sample, method):
    data, tfile = files
    sample = sample.assign(base=sample["base"] * 10000 / sample["base"].sum())  # base on the population scale
    sample.to_csv(data, index=False)
    if method == "poststratify":
        pd.DataFrame({"variable": ["sex", "sex"], "category": ["F", "M"], "share": [0.5, 0.5]}).to_csv(
            tfile, index=False
        )
    out = tmp_path / "w.csv"
    diag = tmp_path / "d.json"
    args = ["weight", str(data), "--targets", str(tfile), "--method", method, "--population", "10000"]
    args += ["--out", str(out), "--diagnostics", str(diag), "--base-weight", "base"]
    if method == "logit":
        args += ["--bounds", "0.3,3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    assert list(written.columns) == [*sample.columns, "weight"]
    assert len(written) == len(sample)
    pd.testing.assert_series_equal(written["sex"], sample["sex"])
    assert written["weight"].sum() == pytest.approx(10000)
    payload = json.loads(diag.read_text())
    assert payload["diagnostics"][0]["method"] == method
    assert "deff" in payload["diagnostics"][0]["overall"]


def test_weight_default_out_sums_to_n_and_trim(app, files, sample):
    data, tfile = files
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--trim", "0.5,2.5"]
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(data.with_name("responses_weighted.csv"))
    assert written["weight"].sum() == pytest.approx(len(sample))
    assert "capped" in result.stdout


def test_weight_parquet_and_replicate_columns(app, files, tmp_path):
    data, tfile = files
    out = tmp_path / "w.parquet"
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    result = runner.invoke(app, [*args, "--replicates", "bootstrap", "--n-replicates", "5", "--seed", "1"])
    assert result.exit_code == 0, result.output
    written = pd.read_parquet(out)
    assert [c for c in written.columns if c.startswith("weight")] == [
        "weight",
        *[f"weight_rep{i}" for i in range(1, 6)],
    ]


@pytest.mark.parametrize(
    ("targets_rows", "needle"),
    [
        ([("sex", "F", 0.5), ("sex", "M", 0.4)], "sum to 0.9"),
        ([("sex", "F", 1.0)], "sex=M"),
        ([("sex", "F", 0.5), ("sex", "M", 0.4), ("sex", "X", 0.1)], "sex=X"),
        ([("income", "low", 1.0)], "'income'"),
    ],
)
def test_weight_bad_targets_exit_2_one_line_no_output(app, files, tmp_path, targets_rows, needle):
    data, tfile = files
    pd.DataFrame(targets_rows, columns=["variable", "category", "share"]).to_csv(tfile, index=False)
    out = tmp_path / "w.csv"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert needle in _error_line(result)
    assert not out.exists()


def test_weight_missing_values_and_no_convergence(app, files, tmp_path, sample):
    data, tfile = files
    out = tmp_path / "w.csv"
    sample.loc[7, "region"] = None
    sample.to_csv(data, index=False)
    base = ["weight", str(data), "--targets", str(tfile), "--out", str(out)]
    result = runner.invoke(app, [*base, "--method", "rake"])
    assert result.exit_code == 2
    assert "'region'" in _error_line(result)
    assert not out.exists()
    result = runner.invoke(
        app, [*base, "--method", "rake", "--missing", "mode", "--max-iter", "1", "--tol", "1e-14"]
    )
    assert result.exit_code == 2
    assert "after 1 iterations" in _error_line(result)
    assert not out.exists()
    result = runner.invoke(app, [*base, "--method", "rake", "--missing", "category"])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_weight_unmet_bounds_and_unreadable_file(app, files, tmp_path):
    data, tfile = files
    out = tmp_path / "w.csv"
    result = runner.invoke(
        app,
        [
            "weight",
            str(data),
            "--targets",
            str(tfile),
            "--method",
            "logit",
            "--bounds",
            "0.95,1.05",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert "bounds 0.95,1.05" in _error_line(result)
    result = runner.invoke(
        app, ["weight", str(tmp_path / "nope.csv"), "--targets", str(tfile), "--method", "rake"]
    )
    assert result.exit_code == 2
    assert "nope.csv" in _error_line(result)
    assert not out.exists()


def test_estimate_with_targets_is_calibration_aware(app, files, tmp_path, sample):
    data, tfile = files
    out = tmp_path / "e.csv"
    args = [
        "estimate",
        str(data),
        "--variables",
        "score,q_trust",
        "--targets",
        str(tfile),
        "--method",
        "rake",
    ]
    result = runner.invoke(
        app, [*args, "--by", "mode", "--out", str(out), "--diagnostics", str(tmp_path / "d.json")]
    )
    assert result.exit_code == 0, result.output
    est = pd.read_csv(out)
    assert list(est.columns) == ["variable", "category", "by", "estimate", "se", "ci_low", "ci_high", "n"]
    assert set(est.loc[est["variable"] == "score", "category"]) == {"mean"}
    assert set(est.loc[est["variable"] == "q_trust", "category"]) == {"low", "mid", "high"}
    assert (est["se"] > 0).all()
    assert json.loads((tmp_path / "d.json").read_text())["variance"] == "taylor, calibration-aware"
    fixed = tmp_path / "f.csv"
    sample.assign(w=1.0).to_csv(data, index=False)
    result = runner.invoke(
        app, ["estimate", str(data), "--variables", "score", "--weight", "w", "--out", str(fixed)]
    )
    assert result.exit_code == 0, result.output
    assert pd.read_csv(fixed)["n"].iloc[0] == len(sample)


def test_estimate_strata_cluster_and_replicates(app, files, tmp_path):
    data, tfile = files
    out = tmp_path / "e.csv"
    args = [
        "estimate",
        str(data),
        "--variables",
        "score",
        "--strata",
        "stratum",
        "--cluster",
        "psu",
        "--out",
        str(out),
    ]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, [*args, "--replicates", "jk1", "--targets", str(tfile), "--method", "linear"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["se"].iloc[0] > 0


def test_estimate_errors(app, files, tmp_path):
    data, tfile = files
    out = tmp_path / "e.csv"
    result = runner.invoke(app, ["estimate", str(data), "--variables", "nope", "--out", str(out)])
    assert result.exit_code == 2
    assert "'nope'" in _error_line(result)
    result = runner.invoke(
        app, ["estimate", str(data), "--variables", "score", "--targets", str(tfile), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert not out.exists()


def test_help_on_every_command(app):
    for command in ("weight", "estimate"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "--out" in result.output
        assert "--diagnostics" in result.output
