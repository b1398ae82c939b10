"""`survey weight`, `estimate` and `targets` read files one way: only an empty cell is missing,
categories read alike in data and targets, copied columns come out byte for byte as they went in."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from survey.cli import targets as targets_cli
from survey.cli.weighting import register

runner = CliRunner()
REGIONS = ("NA", "None", "null", "n/a", "north")


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    register(application)
    application.add_typer(targets_cli.app, name="targets")
    return application


def _error_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def _write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n")
    return path


def _targets(path: Path, rows: list[tuple[str, str, float]]) -> Path:
    lines = ["variable,category,share", *(f"{v},{c},{s}" for v, c, s in rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def regions(tmp_path: Path) -> tuple[Path, Path]:
    """250 respondents, 50 in each region; the region codes look like pandas' NA strings."""
    rows = [
        [str(i), REGIONS[i % 5], "F" if i % 2 else "M", "007", " x ", "1.0", str(i % 3)] for i in range(250)
    ]
    data = _write_rows(tmp_path / "d.csv", ["id", "region", "sex", "code", "pad", "num", "q"], rows)
    tfile = _targets(tmp_path / "t.csv", [("region", r, 0.2) for r in REGIONS])
    return data, tfile


def test_na_like_labels_are_categories_and_copied_columns_are_byte_identical(app, regions, tmp_path):
    data, tfile = regions
    out = tmp_path / "w.csv"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = out.read_text().splitlines()
    original = data.read_text().splitlines()
    assert written[0] == original[0] + ",weight"
    for before, after in zip(original[1:], written[1:], strict=True):
        assert after.rsplit(",", 1)[0] == before  # NA, None, 007, ' x ', 1.0: all as read
    weights = pd.read_csv(out, keep_default_na=False)
    assert weights["weight"].sum() == pytest.approx(250)
    assert weights.groupby("region")["weight"].sum().to_dict() == pytest.approx(dict.fromkeys(REGIONS, 50.0))


def test_estimate_keeps_respondents_whose_category_reads_like_na(app, regions, tmp_path):
    data, _ = regions
    out = tmp_path / "e.csv"
    result = runner.invoke(app, ["estimate", str(data), "--variables", "region", "--out", str(out)])
    assert result.exit_code == 0, result.output
    est = pd.read_csv(out, keep_default_na=False)
    assert set(est["category"]) == set(REGIONS)
    assert est["n"].tolist() == [250] * 5
    assert est["estimate"].tolist() == pytest.approx([0.2] * 5)


def test_na_values_option_makes_named_values_missing_in_used_columns_only(app, regions, tmp_path):
    data, tfile = regions
    out = tmp_path / "w.csv"
    _targets(
        tfile,
        [(r, c, 0.25) for r, c in (("region", "None"), ("region", "null"), ("region", "n/a"))]
        + [("region", "north", 0.25)],
    )
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    refused = runner.invoke(app, [*args, "--na-values", "NA"])
    assert refused.exit_code == 2
    assert "'region' has 50 missing value(s)" in _error_line(refused)
    result = runner.invoke(app, [*args, "--na-values", "NA", "--missing", "category"])
    assert result.exit_code == 0, result.output
    assert out.read_text().count("\n50,NA,") == 1  # the copied cell is still NA, not blank


def test_numeric_looking_categories_read_alike_in_weight_and_estimate(app, tmp_path):
    rows = [[str(i), ("1", "1.0", "2", " 2.00 ")[i % 4], "ab"[i % 2]] for i in range(40)]
    data = _write_rows(tmp_path / "d.csv", ["id", "grp", "y"], rows)
    tfile = _targets(tmp_path / "t.csv", [("grp", "1.0", 0.3), ("grp", "2", 0.7)])
    out = tmp_path / "w.csv"
    weighted = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert weighted.exit_code == 0, weighted.output
    frame = pd.read_csv(out, dtype=str)
    assert frame["grp"].tolist() == [r[1] for r in rows]
    share = frame.assign(w=frame["weight"].astype(float)).groupby(frame["grp"].str.strip().str[0])["w"].sum()
    assert (share / share.sum()).to_dict() == pytest.approx({"1": 0.3, "2": 0.7})
    est = tmp_path / "e.csv"
    args = ["estimate", str(data), "--variables", "y", "--targets", str(tfile), "--method", "rake"]
    estimated = runner.invoke(app, [*args, "--by", "grp", "--out", str(est)])
    assert estimated.exit_code == 0, estimated.output
    assert set(pd.read_csv(est, dtype=str)["by"]) == {"1", "2"}


def test_whitespace_is_trimmed_alike_and_invisible_differences_are_quoted(app, tmp_path):
    rows = [[str(i), (" F", "F ", "M")[i % 3]] for i in range(30)]
    data = _write_rows(tmp_path / "d.csv", ["id", "sex"], rows)
    tfile = tmp_path / "t.csv"
    tfile.write_text("variable,category,share\nsex, F ,0.5\nsex,M\u00a0,0.5\n")
    out = tmp_path / "w.csv"
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with out.open() as fh:
        assert [r["sex"] for r in csv.DictReader(fh)] == [r[1] for r in rows]
    tfile.write_text("variable,category,share\nsex,F,0.5\nsex,M\u200b,0.5\n")
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    line = _error_line(refused)
    assert "sex='M'" in line
    assert "'M\\u200b'" in line
    assert "invisible" in line


def test_population_categories_that_read_like_na_become_targets(app, tmp_path):
    table = tmp_path / "pop.csv"
    table.write_text("nationality,sex,count\nBE,F,60\nNA,F,30\nnull,M,10\n")
    out = tmp_path / "t.csv"
    result = runner.invoke(
        app, ["targets", "from-population", str(table), "--variables", "nationality", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    got = pd.read_csv(out, keep_default_na=False)
    assert dict(zip(got["category"], got["share"], strict=True)) == pytest.approx(
        {"BE": 0.6, "NA": 0.3, "null": 0.1}
    )


def test_population_with_an_empty_cell_names_the_column_and_line(app, tmp_path):
    table = tmp_path / "pop.csv"
    table.write_text("nationality,count\nBE,60\n,30\n")
    result = runner.invoke(
        app,
        [
            "targets",
            "from-population",
            str(table),
            "--variables",
            "nationality",
            "--out",
            str(tmp_path / "t.csv"),
        ],
    )
    assert result.exit_code == 2
    line = _error_line(result)
    assert "'nationality'" in line
    assert "data row 2" in line


def test_the_reader_s_examples_hold():
    import doctest

    import survey.category_labels
    import survey.tabular_csv

    # the category rule's examples live with the rule, which survey.tabular imports
    for module in (survey.category_labels, survey.tabular_csv):
        result = doctest.testmod(module)
        assert result.attempted > 0
        assert result.failed == 0


def test_na_values_apply_to_numeric_outcomes_in_estimate(app, tmp_path):
    rows = [[str(i), ("2", "4", "-9")[i % 3]] for i in range(30)]
    data = _write_rows(tmp_path / "d.csv", ["id", "y"], rows)
    out = tmp_path / "e.csv"
    args = ["estimate", str(data), "--variables", "y", "--out", str(out)]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    assert pd.read_csv(out)["estimate"].iloc[0] == pytest.approx(-1.0)
    coded = runner.invoke(app, [*args, "--na-values", "-9"])
    assert coded.exit_code == 0, coded.output
    est = pd.read_csv(out)
    assert est["estimate"].iloc[0] == pytest.approx(3.0)
    assert est["n"].iloc[0] == 20


def test_polars_analysis_columns_are_the_pandas_frame_s_categories():
    import polars as pl

    from survey.tabular import analysis_columns, analysis_frame

    raw = pl.DataFrame(
        {
            "region": ["NA", " north ", "1.0", "1", None, "-9", "north", "01"],
            "w": ["1", "2", "1,5", "", "3", "4", "5", "6"],
        }
    ).with_columns(pl.col("region").cast(pl.Categorical))
    options = {
        "categories": ["region"],
        "numbers": ["w"],
        "na_values": frozenset({"-9"}),
        "decimal_comma": True,
    }
    frame = analysis_frame(raw, **options)
    columns = analysis_columns(raw, **options)
    region = columns.get_column("region")
    assert region.dtype == pl.Enum(["01", "1", "NA", "north"])
    assert region.to_list() == [None if pd.isna(v) else v for v in frame["region"]]
    assert region.to_physical().fill_null(-1).to_list() == frame["region"].cat.codes.tolist()
    assert columns.get_column("w").to_list()[:3] == [1.0, 2.0, 1.5]
    assert columns.get_column("w").is_nan().to_list() == frame["w"].isna().tolist()


def test_analysis_columns_from_any_dictionary_are_the_pandas_frame_s_categories():
    import polars as pl

    from survey.tabular import analysis_columns, analysis_frame

    # values of other columns in polars' shared dictionary must not become categories here
    pl.Series(["elsewhere", " north", "F "]).cast(pl.Categorical)
    raw = pl.DataFrame(
        {
            "region": ["NA", " north ", "1.0", None, "-9", "north"],
            "sex": ["F", "M", "F", "M", None, "F"],
            "grp": ["b", "a", "b", None, "a", "b"],
        }
    ).with_columns(pl.col("region").cast(pl.Categorical), pl.col("grp").cast(pl.Enum(["b", "unused", "a"])))
    options = {"categories": ["region", "sex", "grp"], "na_values": frozenset({"-9"})}
    columns = analysis_columns(raw, **options)
    frame = analysis_frame(raw, **options)
    for name in ("region", "sex", "grp"):
        assert columns.get_column(name).to_list() == [None if pd.isna(v) else v for v in frame[name]]
        assert columns.schema[name] == pl.Enum(list(frame[name].cat.categories))
    assert columns.schema["region"] == pl.Enum(["1", "NA", "north"])
    assert columns.schema["grp"] == pl.Enum(["a", "b"])


def test_a_reading_in_its_own_thread_raises_the_reader_s_error_in_the_caller_s(tmp_path):
    from survey.cli._common import InThread
    from survey.tabular import TableError, read_table

    with pytest.raises(TableError, match="file not found"):
        InThread(lambda: read_table(tmp_path / "absent.parquet", categorical=["sex"])).result()
    data = tmp_path / "d.csv"
    data.write_text("sex,y\nF,1\nM,2\n")
    frame = InThread(lambda: read_table(data, categorical=["sex"])).result()
    assert frame.get_column("sex").cast(str).to_list() == ["F", "M"]
