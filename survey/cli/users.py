"""``survey user``: staff accounts (admins, analysts, interviewers)."""

from __future__ import annotations

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.db import transaction
from survey.store.errors import StoreError
from survey.store.models import Role
from survey.store.services.users import UserService

app = typer.Typer(help="Manage staff accounts.", no_args_is_help=True)


@app.command()
def create(
    username: str = typer.Argument(..., help="Login name."),
    role: Role = typer.Option(..., "--role", help="admin, analyst, interviewer or coordinator."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="SURVEY_NEW_PASSWORD",
        help="Password (asked when not given; at least 8 characters).",
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Create a staff account."""
    try:
        with transaction(sessions(database)) as session:
            UserService(session).create(username, password, role, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"user '{username}' created with role {role.value}")
