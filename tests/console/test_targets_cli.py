"""The console's CLI twins: `targets from-population --consultation` stores the same target set the
console saves; `device unassign` withdraws what the people page withdraws."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli.main import app as cli
from survey.store.models import AuditEntry, FieldAssignment, Role, Target, TargetSet
from tests.console.conftest import make_user
from tests.factories import store_demo_form


def test_from_population_stores_a_dated_version_with_its_source(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    store_demo_form(sessions, "panel")
    table = tmp_path / "pop.csv"
    table.write_text("sex,age_group,count\nF,18-24,30\nF,65+,20\nM,18-24,40\nM,65+,10\n")
    args = ["targets", "from-population", str(table), "--variables", "sex,sex:age_group", "--out",
            str(tmp_path / "t.csv"), "--consultation", "panel", "--label", "census", "--database-url", database_url]  # fmt: skip
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert "stored as version 1" in done.output
    with sessions() as session:
        stored = session.scalar(select(TargetSet))
        assert stored is not None and (stored.label, stored.source, stored.population) == (
            "census", "population table pop.csv", 100.0)  # fmt: skip
        assert len(session.scalars(select(Target)).all()) == 6
    bad = CliRunner().invoke(cli, [*args[:4], "region", *args[5:]])
    assert bad.exit_code != 0 and "no column 'region'" in bad.output
    (tmp_path / "r.csv").write_text("sex,region,count\nF,north,3\nM,north,4\n")
    unfit = CliRunner().invoke(cli, ["targets", "from-population", str(tmp_path / "r.csv"), "--variables", "region",
                                     "--out", str(tmp_path / "u.csv"), "--consultation", "panel",
                                     "--database-url", database_url])  # fmt: skip
    assert unfit.exit_code != 0 and "--consultation panel" in unfit.output and "region" in unfit.output
    with sessions() as session:
        assert len(session.scalars(select(TargetSet)).all()) == 1


def test_device_unassign_withdraws_and_is_audited(sessions: sessionmaker[Session], database_url: str) -> None:
    store_demo_form(sessions, "panel")
    make_user(sessions, "ivan", Role.INTERVIEWER)
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["device", "assign", "ivan", "panel", "--database-url", database_url]).exit_code
        == 0
    )
    done = runner.invoke(cli, ["device", "unassign", "ivan", "panel", "--database-url", database_url])
    assert done.exit_code == 0, done.output
    nobody = runner.invoke(cli, ["device", "unassign", "ghost", "panel", "--database-url", database_url])
    assert nobody.exit_code != 0 and "no interviewer 'ghost'" in nobody.output
    with sessions() as session:
        assert session.scalars(select(FieldAssignment)).all() == []
        assert [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.actor == "cli"))] == [
            "assign", "unassign"]  # fmt: skip
