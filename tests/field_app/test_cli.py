"""``survey device`` commands, on a stand-alone Typer app (the main CLI wiring is done elsewhere)."""

from __future__ import annotations

import typer
from sqlalchemy import select
from typer.testing import CliRunner

from field_app.cli import register
from survey.cli.main import app as survey_app
from survey.store.models import Device, FieldAssignment, User


def test_assign_list_revoke(sessions, field_env, database_url: str) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    result = runner.invoke(app, ["device", "assign", "int2", field_env.slug, "--database-url", database_url])
    assert result.exit_code == 0, result.output
    with sessions() as session, session.begin():
        user = session.scalar(select(User).where(User.username == "int2"))
        assert user is not None
        assert session.scalar(select(FieldAssignment).where(FieldAssignment.user_id == user.id)) is not None
        device = Device(user_id=user.id, label="t2", token_hash="x" * 64)
        session.add(device)
        session.flush()
        device_id = device.id
    listed = runner.invoke(app, ["device", "list", "--database-url", database_url])
    assert "int2" in listed.output and "active" in listed.output
    revoked = runner.invoke(app, ["device", "revoke", str(device_id), "--database-url", database_url])
    assert revoked.exit_code == 0, revoked.output
    with sessions() as session:
        stored = session.get(Device, device_id)
        assert stored is not None and stored.revoked_at is not None
    missing = runner.invoke(app, ["device", "revoke", "99999", "--database-url", database_url])
    assert missing.exit_code == 2


def test_user_create_with_coordinator_role(sessions, field_env, database_url: str) -> None:
    result = CliRunner().invoke(
        survey_app,
        ["user", "create", "coord2", "--role", "coordinator", "--database-url", database_url],
        env={"SURVEY_NEW_PASSWORD": "long-enough-1"},
    )
    assert result.exit_code == 0, result.output
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == "coord2"))
        assert user is not None and user.role == "coordinator"
