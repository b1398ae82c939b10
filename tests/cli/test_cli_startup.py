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
    "pyarrow", "pyreadstat", "samplics", "scipy", "sqlalchemy", "uvicorn", "weasyprint", "weighting",
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
