"""`survey weight` reads CSV, Parquet, SPSS (.sav) and Stata (.dta) by extension, value labels as the
categories, and writes CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyreadstat
import pytest
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture
def tfile(tmp_path: Path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\ngrp,1,0.25\ngrp,2,0.75\n")
    return path


def _coded(n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    return pd.DataFrame(
        {
            "sex": rng.choice([1.0, 2.0], n, p=[0.7, 0.3]),
            "grp": rng.choice([1.0, 2.0], n),
            "y": rng.normal(size=n),
        }
    )


def _check(out: Path, labels: tuple[object, object]) -> None:
    written = pl.read_parquet(out).to_pandas()
    shares = written.groupby("sex")["weight"].sum() / written["weight"].sum()
    assert len(written) == 90
    assert shares.to_dict() == pytest.approx(dict.fromkeys(labels, 0.5), abs=1e-5)


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_spss_and_stata_value_labels_are_the_categories(app, tmp_path, tfile, suffix):
    data = tmp_path / f"d{suffix}"
    writer = pyreadstat.write_sav if suffix == ".sav" else pyreadstat.write_dta
    writer(_coded(), str(data), variable_value_labels={"sex": {1: "F", 2: "M"}})
    out = tmp_path / "w.parquet"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = pl.read_parquet(out)
    assert set(written["sex"].to_list()) == {"F", "M"}
    _check(out, ("F", "M"))


def test_parquet_in_and_out_keeps_types_and_reads_numbers_as_categories(app, tmp_path, tfile):
    data = tmp_path / "d.parquet"
    frame = _coded()
    frame.to_parquet(data)
    tfile.write_text(tfile.read_text().replace("sex,F,", "sex,1,").replace("sex,M,", "sex,2.0,"))
    out = tmp_path / "w.parquet"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = pl.read_parquet(out)
    assert written.select("sex", "grp", "y").to_pandas().equals(frame)
    _check(out, (1.0, 2.0))


def test_spss_output_is_refused_before_any_work(app, tmp_path, tfile):
    data = tmp_path / "d.parquet"
    _coded().to_parquet(data)
    out = tmp_path / "w.sav"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert ".csv or .parquet" in result.stderr
    assert not out.exists()


def test_a_windows_1252_tab_file_from_excel_reads_by_the_one_rule(app, tmp_path):
    """Windows-1252 text, tabs and decimal commas: read as the workbench's upload reads it, answered in kind."""
    rows = [f"{i}\t{'FM'[i % 3 == 0]}\t{'Liège' if i % 2 else 'Ixelles'}\t{1 + (i % 4) / 2:.1f}".replace(".", ",")
            for i in range(40)]  # fmt: skip
    data = tmp_path / "d.csv"
    data.write_bytes(("id\tsexe\tcommune\tw\n" + "\n".join(rows) + "\n").encode("cp1252"))
    tfile = tmp_path / "t.csv"
    tfile.write_bytes("variable\tcategory\tshare\nsexe\tF\t0,5\nsexe\tM\t0,5\n".encode("cp1252"))
    out = tmp_path / "w.csv"
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--base-weight", "w"]
    result = runner.invoke(app, [*args, "--population", "80", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\tsexe\tcommune\tw\tweight"
    assert [ln.rsplit("\t", 1)[0] for ln in lines[1:]] == rows  # 'Liège' as written, now in UTF-8
    weights = [float(ln.rsplit("\t", 1)[1].replace(",", ".")) for ln in lines[1:]]
    assert sum(weights) == pytest.approx(80)


def test_a_semicolon_csv_with_decimal_commas_is_answered_in_kind(app, tmp_path):
    rows = [f"{i};{'FM'[i % 3 == 0]};{1 + (i % 4) / 2:.1f}".replace(".", ",") for i in range(40)]
    data = tmp_path / "d.csv"
    data.write_text("id;sex;w\n" + "\n".join(rows) + "\n")
    tfile = tmp_path / "t.csv"
    tfile.write_text("variable;category;share\nsex;F;0,5\nsex;M;0,5\n")
    out = tmp_path / "w.csv"
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--base-weight", "w"]
    result = runner.invoke(app, [*args, "--population", "80", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "id;sex;w;weight"
    assert [ln.rsplit(";", 1)[0] for ln in lines[1:]] == rows
    weights = [float(ln.rsplit(";", 1)[1].replace(",", ".")) for ln in lines[1:]]
    assert sum(weights) == pytest.approx(80)
