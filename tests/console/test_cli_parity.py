"""Whatever the console can write, the CLI can do too: every POST route under /console (read from
the app's own route table) has its ``survey`` command in ``survey.console.parity``, and that command
exists. Then the consultation commands are run for real against the store the console uses."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer import _click
from typer.core import TyperGroup

from survey.app import create_app
from survey.cli.main import app as cli_app
from survey.console.parity import CLI_FOR_WRITE, NOT_ACTIONS
from survey.settings import load_settings
from survey.store.models import AuditEntry, Consultation
from tests.console.conftest import write_form
from tests.entry_point import Ran, run_survey


def _console_writes(tmp_path: Path) -> set[str]:
    app = create_app(
        load_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "k" * 32})
    )
    return {
        route.path
        for route in app.routes
        if route.path.startswith("/console")
        for handler in getattr(route, "route_handlers", [])
        if handler.http_methods & {"POST", "PUT", "PATCH", "DELETE"}
    }


def _command_exists(words: str) -> bool:
    command: _click.Command | None = typer.main.get_command(cli_app)  # typer's own click
    assert command is not None
    ctx = _click.Context(command)
    for word in words.split():
        if not isinstance(command, TyperGroup):
            return False
        command = command.get_command(ctx, word)
        if command is None:
            return False
    return True


def test_every_console_write_has_its_command(tmp_path: Path) -> None:
    writes = _console_writes(tmp_path) - NOT_ACTIONS
    assert "/console/new" in writes and "/console/c/{slug:str}/questionnaire" in writes  # the table was read
    assert sorted(writes - set(CLI_FOR_WRITE)) == [], "add the command to survey/console/parity.py"
    assert sorted(set(CLI_FOR_WRITE) - writes) == [], "parity lists a route the console no longer has"
    missing = {path: words for path, words in CLI_FOR_WRITE.items() if not _command_exists(words)}
    assert missing == {}


def test_the_check_finds_a_missing_command() -> None:
    assert _command_exists("consultation open")
    assert not _command_exists("consultation reopen-everything")


def _survey(*args: str, url: str) -> Ran:
    """``survey ARGS --database-url URL`` through the entry point, in this process (no interpreter start)."""
    return run_survey(*args, "--database-url", url)


def test_consultation_commands_use_the_same_rules(sessions: sessionmaker[Session], database_url: str,
                                                  tmp_path: Path) -> None:  # fmt: skip
    bad = _survey("consultation", "create", "Bad Slug", url=database_url)
    assert bad.returncode == 2
    assert "slug: use 1 to 80 lower-case letters" in bad.stderr and "title: give a title" in bad.stderr
    made = _survey("consultation", "create", "town", "--title-nl", "Stad", "--closes-at", "2099-01-01T00:00",
                   url=database_url)  # fmt: skip
    assert made.returncode == 0, made.stderr
    refused = _survey("consultation", "open", "town", url=database_url)
    assert refused.returncode == 2 and "import a questionnaire before opening" in refused.stderr
    form = write_form(tmp_path / "f.xlsx")
    assert _survey("form", "import", str(form), "--consultation", "town", url=database_url).returncode == 0
    assert _survey("consultation", "open", "town", url=database_url).stdout.strip() == "town: open"
    late = _survey("consultation", "schedule", "town", "--closes-at", "yesterday", url=database_url)
    assert late.returncode == 2 and "--closes-at: 'yesterday' is not a date and time" in late.stderr
    past = _survey("consultation", "schedule", "town", "--closes-at", "2020-01-01T00:00", url=database_url)
    assert past.returncode == 0 and "town: closed" in past.stdout  # a past closing date closes it at once
    listed = _survey("consultation", "list", url=database_url)
    assert listed.returncode == 0 and "town" in listed.stdout and "closed" in listed.stdout
    assert _survey("consultation", "open", "nowhere", url=database_url).returncode == 2
    with sessions() as session:
        assert session.scalar(select(Consultation.status).where(Consultation.slug == "town")) == "closed"
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "consultation")
                                       .order_by(AuditEntry.id)))  # fmt: skip
    assert actions == ["create", "open", "schedule"]
