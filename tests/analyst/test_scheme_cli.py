"""``survey scheme add|list|remove`` and ``survey report --scheme`` on the demo store."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli import report
from survey.cli.schemes import app as scheme_app
from survey.store.models import AuditEntry, WeightingScheme
from tests.analyst.conftest import SLUG

app = typer.Typer()
app.add_typer(scheme_app, name="scheme")
report.register(app)
runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_add_list_remove_and_report_by_name(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path
) -> None:
    db = ("--database-url", demo_url)
    code, said = _run("scheme", "add", SLUG, "census-logit", "--method", "logit", "--bounds", "0.3,3",
                      "--variables", "sex,age_group", "--targets-version", "1", *db)  # fmt: skip
    assert code == 0, said
    assert "saved scheme 'census-logit'" in said and "targets version 1" in said
    code, said = _run("scheme", "list", SLUG, *db)
    assert (
        code == 0 and "census-logit\ttargets v1\tlogit\tmargins sex,age_group\tbounds 0.3,3\tno trim" in said
    )
    out = tmp_path / "report.html"
    code, said = _run("report", SLUG, "--scheme", "census-logit", "--out", str(out), *db)
    assert code == 0, said
    page = out.read_text(encoding="utf-8")
    assert 'id="report-scheme">Weighting scheme: census-logit.' in page and 'id="g-weights"' in page
    code, said = _run(
        "report", SLUG, "--scheme", "census-logit", "--method", "linear", "--out", str(out), *db
    )
    assert code == 2 and "--scheme fixes the method" in said
    code, said = _run("scheme", "remove", SLUG, "census-logit", *db)
    assert code == 0 and "removed scheme 'census-logit'" in said
    with demo() as session:
        assert session.scalars(select(WeightingScheme)).all() == []
        actions = [
            e.action
            for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "weighting_scheme"))
        ]
        assert actions == ["add_scheme", "remove_scheme"]
    assert _run("scheme", "list", SLUG, *db)[1].strip() == f"'{SLUG}' has no weighting scheme yet"


def test_refusals_are_one_line_with_exit_2(demo: sessionmaker[Session], demo_url: str) -> None:
    db = ("--database-url", demo_url)
    cases = [
        (
            ("scheme", "add", SLUG, "x", "--method", "rake", "--bounds", "0.5,2"),
            "bounds on g apply to linear or logit",
        ),
        (
            ("scheme", "add", SLUG, "x", "--bounds", "half,2", "--method", "linear"),
            "--bounds must be two numbers",
        ),
        (("scheme", "add", SLUG, "x", "--targets-version", "7"), "has no targets version 7"),
        (("scheme", "add", SLUG, "x", "--method", "logit", "--bounds", "0.99,1.01"), "cannot be met"),
        (("scheme", "add", SLUG, "no spaces"), "name 'no spaces'"),
        (("scheme", "remove", SLUG, "nobody"), "has no weighting scheme 'nobody'"),
        (("scheme", "list", "no-such-consultation"), "no-such-consultation"),
    ]
    for args, needle in cases:
        code, said = _run(*args, *db)
        assert code == 2 and needle in said, (args, said)
    with demo() as session:
        assert session.scalars(select(WeightingScheme)).all() == []
