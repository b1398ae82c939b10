"""The real ``survey`` command, as a user runs it: bad options and paths end in one line and exit 2.

Run through the console entry point (``run_survey`` calls ``main()``) because the net under every
command lives there, which typer's test runner would bypass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.store import migrate
from tests.entry_point import Ran, run_survey


def _refused(done: Ran) -> str:
    """Exit 2 without a traceback: what the option parser says of an option out of its range."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stderr


def _one_line_error(done: Ran) -> str:
    """Exit 2 and one line on stderr: what the commands and their net say."""
    assert len(_refused(done).strip().splitlines()) == 1, done.stderr
    return done.stderr


@pytest.fixture
def population(tmp_path: Path) -> Path:
    table = tmp_path / "population.csv"
    table.write_text("sex,count\nF,10\nM,many\n")
    return table


def test_out_of_range_options_are_refused_before_any_work(tmp_path: Path) -> None:
    assert "--seed" in _refused(
        run_survey("demo", "--seed", "-1", "--database-url", f"sqlite:///{tmp_path}/d.db")
    )
    data, targets = tmp_path / "d.csv", tmp_path / "t.csv"
    data.write_text("sex,q\nF,a\nM,b\nM,a\n")
    targets.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    level = run_survey("estimate", str(data), "--targets", str(targets), "--method", "rake", "--variables", "q",
                 "--level", "2", "--out", str(tmp_path / "e.csv"))  # fmt: skip
    assert "--level" in _refused(level)
    nan = run_survey("weight", str(data), "--targets", str(targets), "--method", "rake", "--population", "nan",
               "--out", str(tmp_path / "w.csv"))  # fmt: skip
    assert "--population" in _refused(nan)
    folder = run_survey(
        "weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(tmp_path)
    )
    assert "it is a folder" in _one_line_error(folder)
    assert not (tmp_path / "w.csv").exists()


def test_population_tables_that_cannot_be_read_are_named(tmp_path: Path, population: Path) -> None:
    counts = run_survey(
        "targets", "from-population", str(population), "--variables", "sex", "--out", str(tmp_path / "t.csv")
    )
    assert str(population) in _one_line_error(counts)
    binary = tmp_path / "binary.csv"  # 0x81: no character in UTF-8 (alone) nor in Windows-1252
    binary.write_bytes(b"sexe,count\nF\x81,10\n")
    unreadable = run_survey(
        "targets", "from-population", str(binary), "--variables", "sexe", "--out", str(tmp_path / "t.csv")
    )
    assert str(binary) in _one_line_error(unreadable)
    into_folder = run_survey(
        "targets", "from-population", str(population), "--variables", "sex", "--out", str(tmp_path)
    )
    assert "--out" in _one_line_error(into_folder)


def test_database_mistakes_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    migrate.upgrade(url)
    assert "database:" in _one_line_error(run_survey("db", "upgrade", "nosuchrev", "--database-url", url))
    assert "database:" in _one_line_error(run_survey("db", "current", "--database-url", "notaurl"))
