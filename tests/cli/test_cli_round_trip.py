"""Files the platform writes go back in: an export (with its `weight` column) can be weighted again,
and final weights from linear calibration, negative ones included, can be estimated on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from survey.cli import export
from survey.cli import targets as targets_cli
from survey.cli.weighting import register
from survey.demo.population import POPULATION_CSV
from tests.analyst.conftest import SLUG, _demo_templates, demo, demo_url  # noqa: F401  (fixtures)

runner = CliRunner()


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


def test_a_real_survey_export_is_weighted_again(demo, demo_url, tmp_path):  # noqa: F811  (fixtures)
    """The file `survey export` writes, weight column included, goes straight back into `survey weight`."""
    application = typer.Typer()
    export.register(application)
    register(application)
    application.add_typer(targets_cli.app, name="targets")
    exported, tfile, out = tmp_path / "export.csv", tmp_path / "t.csv", tmp_path / "w.csv"
    made = runner.invoke(application, ["export", SLUG, "--out", str(exported), "--database-url", demo_url])
    assert made.exit_code == 0, made.output
    assert "weight" in pd.read_csv(exported, nrows=1).columns
    table = str(POPULATION_CSV)
    made = runner.invoke(
        application,
        ["targets", "from-population", table, "--variables", "sex,age_group", "--out", str(tfile)],
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        application, ["weight", str(exported), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "already has weight" in result.stderr
    before, after = pd.read_csv(exported, dtype=str), pd.read_csv(out, dtype=str)
    assert list(after.columns) == list(before.columns)
    pd.testing.assert_frame_equal(after.drop(columns="weight"), before.drop(columns="weight"))
    weights = after["weight"].astype(float)
    assert weights.sum() == pytest.approx(len(before))


@pytest.mark.parametrize(("column", "values"), [("sex", None), ("weight", ["heavy", "light"])])
def test_a_column_that_is_not_an_earlier_weight_is_never_replaced(app, tmp_path, column, values):
    frame = _sample()
    if values is not None:
        frame[column] = [values[i % 2] for i in range(len(frame))]
    data = tmp_path / "d.csv"
    frame.to_csv(data, index=False)
    tfile = tmp_path / "t.csv"
    tfile.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    out = tmp_path / "w.csv"
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    result = runner.invoke(app, [*args, "--weight-column", column])
    assert result.exit_code == 2
    assert f"column {column!r} that is not an earlier weight" in result.stderr
    assert not out.exists()


def test_replicate_weights_written_by_weight_give_the_same_se_in_estimate(app, tmp_path):
    frame = _sample(60)
    data = tmp_path / "d.csv"
    frame.to_csv(data, index=False)
    tfile = tmp_path / "t.csv"
    tfile.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    weighted, delivered, made_here = tmp_path / "w.csv", tmp_path / "e1.csv", tmp_path / "e2.csv"
    rake = ["--targets", str(tfile), "--method", "rake"]
    done = runner.invoke(app, ["weight", str(data), *rake, "--replicates", "jk1", "--out", str(weighted)])
    assert done.exit_code == 0, done.output
    args = ["estimate", str(weighted), "--variables", "y", "--weight", "weight", "--out", str(delivered)]
    done = runner.invoke(app, [*args, "--replicate-weights", "^weight_rep[0-9]+$", "--replicate-type", "JK1"])
    assert done.exit_code == 0, done.output
    args = ["estimate", str(data), "--variables", "y", *rake, "--replicates", "jk1", "--out", str(made_here)]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    one, two = pd.read_csv(delivered), pd.read_csv(made_here)
    assert one["estimate"].iloc[0] == pytest.approx(two["estimate"].iloc[0], rel=1e-9)
    assert one["se"].iloc[0] == pytest.approx(two["se"].iloc[0], rel=1e-9)
    fixed = runner.invoke(
        app, ["estimate", str(weighted), "--variables", "y", "--weight", "weight", "--out", str(delivered)]
    )
    assert fixed.exit_code == 0
    assert pd.read_csv(delivered)["se"].iloc[0] != pytest.approx(one["se"].iloc[0], rel=1e-6)


def test_a_replicate_pattern_that_finds_too_little_is_one_line(app, tmp_path):
    data = tmp_path / "d.csv"
    _sample().assign(w=1.0).to_csv(data, index=False)
    args = ["estimate", str(data), "--variables", "y", "--weight", "w", "--out", str(tmp_path / "e.csv")]
    result = runner.invoke(app, [*args, "--replicate-weights", "^rep"])
    assert result.exit_code == 2
    assert "'^rep' matches 0 column(s)" in result.stderr
