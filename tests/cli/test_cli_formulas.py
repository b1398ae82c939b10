"""`survey weight --out x.csv` makes formula-like text inert, as `survey export` does; --raw opts out.

A respondent's comment ``=HYPERLINK(...)`` copied into the weighted CSV would run when the analyst
opens it in a spreadsheet. Numbers (a negative answer, the weight) must come out untouched.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

runner = CliRunner()
COMMENTS = ('=HYPERLINK("http://x.example")', "+cmd", "-cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "fine")
BALANCE = ("-3.5", "+2", "-1e3", "4", "-0.25", "7")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rows = [
        [str(i), "F" if i % 2 else "M", COMMENTS[i % 6], BALANCE[i % 6], "-5" if i % 2 else "=1"]
        for i in range(60)
    ]
    data = tmp_path / "d.csv"
    with data.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "sex", "comment", "balance", "mixed"])
        writer.writerows(rows)
    targets = tmp_path / "t.csv"
    targets.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    return data, targets


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_out_prefixes_formula_text_and_leaves_numbers(app, files, tmp_path):
    data, targets = files
    out = tmp_path / "w.csv"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = _read(out)
    assert [r["comment"] for r in rows[:6]] == ["'" + c for c in COMMENTS[:5]] + ["fine"]
    assert [r["balance"] for r in rows[:6]] == list(BALANCE)  # plain numbers are numbers
    assert [r["mixed"] for r in rows[:2]] == ["'=1", "-5"]
    assert all(float(r["weight"]) > 0 for r in rows)
    assert "comment (50)" in result.stderr and "mixed (30)" in result.stderr and "--raw" in result.stderr
    assert "balance" not in result.stderr


def test_raw_writes_cells_as_read(app, files, tmp_path):
    data, targets = files
    out = tmp_path / "w.csv"
    args = ["weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out), "--raw"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    written = _read(out)
    with data.open(newline="") as fh:
        original = list(csv.DictReader(fh))
    assert [{k: v for k, v in r.items() if k != "weight"} for r in written] == original
    assert "leading '" not in result.stderr


def test_parquet_out_is_not_a_spreadsheet_file(app, files, tmp_path):
    data, targets = files
    out = tmp_path / "w.parquet"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out).get_column("comment").to_list()[:6] == list(COMMENTS)


def test_categories_used_for_weighting_are_neutralised_in_the_copy_only(app, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("grp,y\n" + "".join(f"{'=a' if i % 2 else '-b'},{i}\n" for i in range(20)))
    targets = tmp_path / "t.csv"
    targets.write_text("variable,category,share\ngrp,=a,0.4\ngrp,-b,0.6\n")
    out = tmp_path / "w.csv"
    result = runner.invoke(
        app, ["weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = _read(out)
    assert {r["grp"] for r in rows} == {"'=a", "'-b"}
    shares = {g: sum(float(r["weight"]) for r in rows if r["grp"] == g) / 20 for g in ("'=a", "'-b")}
    assert shares == pytest.approx({"'=a": 0.4, "'-b": 0.6})
