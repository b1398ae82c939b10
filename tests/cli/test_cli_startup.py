"""`survey --help` starts fast because it imports no heavy library: each command loads its own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from survey.cli.main import COMMANDS, app

HEAVY = {
    "alembic", "field_app", "jinja2", "litestar", "msgspec", "numpy", "pandas", "polars", "psycopg",
    "pyarrow", "pydantic", "pyreadstat", "samplics", "scipy", "sqlalchemy", "uvicorn", "weasyprint", "weighting",
}  # fmt: skip
PROBE = """
import json, sys
sys.argv = ["survey", *json.loads(sys.argv[1])]
from survey.cli.main import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["weight", "--help"], ["estimate", "--help"], ["targets", "--help"]]
)
def test_help_imports_no_heavy_library(args):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "Usage" in done.stdout
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert loaded & HEAVY == set()


def test_each_listed_summary_is_the_command_s_own_help():
    for name, lazy in COMMANDS.items():
        command = lazy.load(name)
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph.startswith(lazy.summary), name


def test_the_listing_names_every_command_and_a_lazy_command_runs():
    listing = CliRunner().invoke(app, ["--help"])
    assert listing.exit_code == 0
    for name in COMMANDS:
        assert f" {name} " in listing.stdout
    helped = CliRunner().invoke(app, ["weight", "--help"])
    assert helped.exit_code == 0
    assert "--na-values" in helped.stdout
    refused = CliRunner().invoke(
        app, ["targets", "from-population", "nope.csv", "--variables", "sex", "--out", "t.csv"]
    )
    assert refused.exit_code == 2
    assert "nope.csv" in refused.stderr


def _run(args: list[str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done, set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_weighting_run_loads_neither_pydantic_nor_pandas(tmp_path):
    data, targets, out = tmp_path / "d.csv", tmp_path / "t.csv", tmp_path / "w.csv"
    data.write_text("sex,y\nF,1\nM,2\nF,3\nM,4\n")
    targets.write_text("variable,category,share\nsex,F,0.6\nsex,M,0.4\n")
    args = ["weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out)]
    done, loaded = _run(
        [*args, "--population", "1000", "--tol", "1e-9", "--max-iter", "50", "--min-cell", "0"]
    )
    assert loaded & {"pydantic", "pandas", "pyarrow"} == set(), done.stderr
    weights = [float(line.split(",")[-1]) for line in out.read_text().splitlines()[1:]]
    assert weights == pytest.approx([300.0, 200.0, 300.0, 200.0])


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--n-replicates", "1", "Input should be greater than or equal to 2"),
        ("--tol", "abc", "Input should be a valid number"),
        ("--max-iter", "2.5", "Input should be a valid integer"),
        ("--method", "RAKE", "'RAKE' is not one of 'poststratify', 'rake'"),
    ],
)
def test_a_value_the_light_conversion_does_not_take_gets_typer_s_own_message(
    tmp_path, option, value, message
):
    data = tmp_path / "d.csv"
    data.write_text("sex\nF\n")
    args = ["weight", str(data), "--targets", str(data), "--method", "rake", option, value]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2
    assert message in " ".join(done.stderr.replace("│", " ").split())


ENDING = """
import atexit, json, sys
atexit.register(lambda: print("interpreter shutdown"))
sys.argv = ["survey", *json.loads(sys.argv[1])]
from survey.cli.main import run
run()
"""


def test_a_file_command_ends_its_process_at_once_with_its_code_and_all_its_output(tmp_path):
    data, targets, out = tmp_path / "d.csv", tmp_path / "t.csv", tmp_path / "w.csv"
    data.write_text("sex,y\nF,1\nM,2\nF,3\nM,4\n")
    targets.write_text("variable,category,share\nsex,F,0.6\nsex,M,0.4\n")

    def ending(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", ENDING, json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = ending("weight", str(data), "--targets", str(targets), "--method", "rake", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "".join(done.stdout.split()).endswith(f"wrote4rowsto{out}")  # the last line, maybe wrapped
    assert "interpreter shutdown" not in done.stdout
    assert [line.split(",")[-1] for line in out.read_text().splitlines()[1:]] == ["1.2", "0.8", "1.2", "0.8"]
    refused = ending("weight", str(data), "--targets", str(tmp_path / "none.csv"), "--method", "rake")
    assert refused.returncode == 2
    assert "none.csv" in refused.stderr
    assert "interpreter shutdown" not in refused.stdout
    helped = ending("--help")  # the other commands end as Python programs do
    assert helped.returncode == 0
    assert "interpreter shutdown" in helped.stdout
