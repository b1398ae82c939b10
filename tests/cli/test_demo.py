"""``survey demo`` on a fresh SQLite file, then the real server's health endpoint answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from survey.cli.main import app as cli_app
from survey.store.db import make_engine, session_factory
from survey.store.models import Response, TargetSet, User
from tests.conftest import free_port

SURVEY = [sys.executable, "-m", "survey"]


def test_demo_then_health(tmp_path: Path) -> None:
    env = {**os.environ, "SURVEY_DATA_DIR": str(tmp_path), "SURVEY_DEMO_PASSWORD": "demo-pass-123"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [*SURVEY, "demo"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "1151 responses stored" in done.stdout
    again = subprocess.run(
        [*SURVEY, "demo"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert "0 responses stored, 1151 already there" in again.stdout

    engine = make_engine(f"sqlite:///{tmp_path / 'survey.sqlite3'}")
    with session_factory(engine)() as session:
        modes = dict(session.execute(select(Response.mode, func.count()).group_by(Response.mode)).all())
        assert modes == {"online": 1003, "field": 148}
        assert session.scalar(select(func.count()).select_from(TargetSet)) == 1
        assert session.scalar(select(func.count()).select_from(User)) == 6  # with the coordinator
    engine.dispose()

    port = free_port()
    server = subprocess.Popen(
        [*SURVEY, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:
                    body = json.loads(reply.read())
            except OSError:
                time.sleep(0.2)
        assert body is not None, "server did not answer"
        assert body["status"] == "ok" and body["schema_current"] is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/consultations", timeout=5) as reply:
            assert json.loads(reply.read())[0]["slug"] == "brussels-futures"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group below ``command``, read off the CLI itself so a new one is covered."""
    yield path
    if hasattr(command, "list_commands"):
        context = command.context_class(command, info_name="survey")
        for name in command.list_commands(context):
            child = command.get_command(context, name)
            assert child is not None, name
            yield from _command_paths(child, (*path, name))


def test_every_command_has_help() -> None:
    """Each command's --help, in one process (a subprocess each cost two seconds of start-up)."""
    root = typer.main.get_command(cli_app)
    paths = list(_command_paths(root))
    assert {("demo",), ("db", "upgrade"), ("weight",), ("device", "revoke")} <= set(paths)
    runner = CliRunner()
    for path in paths:
        done = runner.invoke(cli_app, [*path, "--help"])
        assert done.exit_code == 0, (path, done.output)
        assert "Usage" in done.output and len(done.output) > 200, path


def test_the_installed_entry_point_prints_help() -> None:
    done = subprocess.run([*SURVEY, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout and "weight" in done.stdout
