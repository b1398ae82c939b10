"""Bad data files end `survey weight` in one line naming the file and the line or column, exit 2.

Run through the console entry point (``run_survey`` calls ``main()``, streams that are not terminals)
because the net for errors no command foresaw lives there, and a progress bar must not add lines to
what a script reads on stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.entry_point import run_survey


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("ragged.csv", b"sex,y\nF,1\nM,2,3\nF,4\n", "line 3 has 3 fields, the header has 2"),
        ("twice.csv", b"sex,sex,y\nF,M,1\n", "column 'sex' appears more than once"),
        # 0x81 is a byte neither UTF-8 (alone) nor Windows-1252 gives a character to
        ("binary.csv", b"sex,y\nF\x81,1\n", "neither UTF-8 nor Windows-1252 text"),
        ("broken.sav", b"\x00not an spss file" * 20, "broken.sav"),
        ("broken.parquet", b"\x00not parquet" * 20, "broken.parquet"),
        ("weights.csv", b"sex,w\nF,1\nM,abc\n", "column 'w': 'abc' at data row 2 is not a number"),
        ("empty.csv", b"sex,w\n", "no rows"),
    ],
)
def test_a_bad_file_is_one_line_with_exit_2(tmp_path: Path, name: str, content: bytes, needle: str) -> None:
    data = tmp_path / name
    data.write_bytes(content)
    targets = tmp_path / "t.csv"
    targets.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.5\n")
    out = tmp_path / "w.csv"
    args = [str(data), "--targets", str(targets), "--method", "rake", "--base-weight", "w", "--out", str(out)]
    done = run_survey("weight", *args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert needle in lines[0]
    assert not out.exists()


def test_bad_targets_are_named_before_a_bad_data_file_read_meanwhile(tmp_path: Path) -> None:
    data = tmp_path / "broken.parquet"
    data.write_bytes(b"\x00not parquet" * 20)
    targets = tmp_path / "t.csv"
    targets.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.6\n")
    out = tmp_path / "w.parquet"
    done = run_survey("weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert str(targets) in lines[0]
    assert "sum" in lines[0]
    assert not out.exists()
