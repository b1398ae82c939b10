"""Files the platform writes go back in: an export (with its `weight` column) can be weighted again,
and final weights from linear calibration, negative ones included, can be estimated on."""

from __future__ import annotations

import numpy as np
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


def _sample(n: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n, p=[0.7, 0.3]),
            "q": rng.choice(["yes", "no"], n),
            "y": rng.normal(size=n).round(3),
        }
    )


def test_an_export_with_a_weight_column_is_weighted_again_with_a_notice(app, tmp_path):
    export = tmp_path / "export.csv"
    _sample().assign(weight=2.5, weight_rep1=1.0, weight_rep2=3.0).to_csv(export, index=False)
    tfile = tmp_path / "t.csv"
    tfile.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    out = tmp_path / "w.csv"
    result = runner.invoke(
        app, ["weight", str(export), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "notice" in result.stderr
    assert "weight, weight_rep1, weight_rep2" in result.stderr
    written = pd.read_csv(out)
    assert list(written.columns) == ["sex", "q", "y", "weight"]
    assert written.groupby("sex")["weight"].sum().to_dict() == pytest.approx({"F": 60.0, "M": 60.0})


def test_negative_final_weights_are_estimated_on_with_a_notice(app, tmp_path):
    frame = _sample().assign(w=1.0)
    frame.loc[:4, "w"] = [-0.5, 0.0, -0.2, 2.0, 3.0]
    data = tmp_path / "d.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / "e.csv"
    result = runner.invoke(
        app, ["estimate", str(data), "--variables", "y", "--weight", "w", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "notice" in result.stderr
    assert "data row 1" in result.stderr
    mean = float((frame["w"] * frame["y"]).sum() / frame["w"].sum())
    assert pd.read_csv(out)["estimate"].iloc[0] == pytest.approx(mean)


def test_non_positive_base_weights_are_still_refused(app, tmp_path):
    frame = _sample().assign(w=1.0)
    frame.loc[3, "w"] = -1.0
    data = tmp_path / "d.csv"
    frame.to_csv(data, index=False)
    tfile = tmp_path / "t.csv"
    tfile.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    args = ["--targets", str(tfile), "--method", "rake"]
    est = runner.invoke(
        app,
        ["estimate", str(data), "--variables", "y", "--weight", "w", *args, "--out", str(tmp_path / "e.csv")],
    )
    assert est.exit_code == 2
    assert "must be > 0 (data row 4" in est.stderr
    wgt = runner.invoke(
        app, ["weight", str(data), "--base-weight", "w", *args, "--out", str(tmp_path / "w.csv")]
    )
    assert wgt.exit_code == 2
    assert "must be > 0 (data row 4" in wgt.stderr
