"""``survey grant add|remove|list``: the operator's way to give and take per-consultation rights."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli.main import app
from survey.store.db import transaction
from survey.store.models import AuditEntry, Role
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.users import UserService

PASSWORD = "correct horse"


def _staff(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        users = UserService(session)
        for name, role in (("ana", Role.ANALYST), ("coo", Role.COORDINATOR), ("ivo", Role.INTERVIEWER),
                           ("adm", Role.ADMIN)):  # fmt: skip
            users.create(name, PASSWORD, role, actor="test")
        ConsultationService(session).create("ours", {"en": "Ours"}, actor="test")


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["grant", *args, "--database-url", database_url])
    return result.exit_code, result.output


def test_add_list_remove_with_the_account_s_role_by_default(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    _staff(sessions)
    for name in ("ana", "coo", "ivo"):
        code, output = _run(database_url, "add", name, "ours")
        assert code == 0 and "(granted)" in output, output
    assert _run(database_url, "add", "ana", "ours")[1].strip().endswith("(already held)")
    code, listing = _run(database_url, "list", "--consultation", "ours")
    assert code == 0
    rows = [line.split("\t")[:4] for line in listing.strip().splitlines()]
    assert rows == [["ana", "ours", "analyst", "cli"], ["coo", "ours", "coordinator", "cli"],
                    ["ivo", "ours", "interviewer", "assignment"]]  # fmt: skip
    assert _run(database_url, "list", "--user", "coo")[1].startswith("coo\tours\tcoordinator")
    code, output = _run(database_url, "remove", "ana", "ours", "--role", "analyst")
    assert code == 0, output
    with sessions() as session:
        ana, coo = UserService(session).named("ana"), UserService(session).named("coo")
        ours = ConsultationService(session).get("ours")
        assert not grants.may(session, ana, ours.id, Role.ANALYST)
        assert grants.may(session, coo, ours.id, Role.COORDINATOR)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "grant")).all()
        assert {(a.actor, a.action) for a in audit} == {("cli", "grant"), ("cli", "revoke")} and len(
            audit
        ) == 4
    assert _run(database_url, "remove", "ana", "ours") == (1, "error: ana held no analyst grant on ours\n")


def test_bad_input_exits_non_zero_naming_the_field(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    _staff(sessions)
    code, output = _run(database_url, "add", "adm", "ours")
    assert code == 2 and "--role: 'admin' is global" in output
    code, output = _run(database_url, "add", "coo", "ours", "--role", "analyst")
    assert code == 2 and "role: 'coo' is coordinator, not analyst" in output
    code, output = _run(database_url, "add", "nobody", "ours")
    assert code == 2 and "no user 'nobody'" in output
    code, output = _run(database_url, "add", "ana", "missing")
    assert code == 2 and "no consultation 'missing'" in output
    assert _run(database_url, "list")[1].strip() == "no grants (admins need none)"


def test_every_command_has_help() -> None:
    for command in ("add", "remove", "list"):
        result = CliRunner().invoke(app, ["grant", command, "--help"])
        assert result.exit_code == 0 and len(result.output.split("Usage:")[1]) > 80, command
    assert "Per-consultation rights" in CliRunner().invoke(app, ["grant", "--help"]).output
