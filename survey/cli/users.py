"""``survey user``: staff accounts (admins, analysts, interviewers, coordinators).

A new password or role ends every staff session the account had, wherever it is kept.
"""

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


def _end_shared_sessions(user_id: int) -> None:
    """With REDIS_URL, staff sessions live in Redis: end them there as well as in the store."""
    from survey.http.shared_store import session_store  # noqa: PLC0415
    from survey.settings import get_settings  # noqa: PLC0415

    store = session_store(get_settings())
    if store is not None:
        store.end_all(None, user_id)  # Redis needs no store session


@app.command()
def password(
    username: str = typer.Argument(..., help="Login name."),
    new_password: str = typer.Option(
        ...,
        "--password",
        prompt="New password",
        hide_input=True,
        confirmation_prompt=True,
        envvar="SURVEY_NEW_PASSWORD",
        help="New password (asked when not given; at least 8 characters).",
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Set a new password; the account's open sessions end."""
    try:
        with transaction(sessions(database)) as session:
            user_id = UserService(session).set_password(username, new_password, actor="cli").id
    except StoreError as exc:
        fail(str(exc))
    _end_shared_sessions(user_id)
    out.print(f"password of '{username}' changed; its sessions have ended")


@app.command()
def role(
    username: str = typer.Argument(..., help="Login name."),
    new_role: Role = typer.Option(..., "--role", help="admin, analyst, interviewer or coordinator."),
    database: str | None = DatabaseOption,
) -> None:
    """Give an account another role; its open sessions end."""
    try:
        with transaction(sessions(database)) as session:
            user_id = UserService(session).set_role(username, new_role, actor="cli").id
    except StoreError as exc:
        fail(str(exc))
    _end_shared_sessions(user_id)
    out.print(f"'{username}' is now {new_role.value}; its sessions have ended")


@app.command()
def disable(
    username: str = typer.Argument(..., help="Login name."),
    enable: bool = typer.Option(False, "--enable", help="Enable the account again instead."),
    database: str | None = DatabaseOption,
) -> None:
    """Disable an account (its open sessions end), or enable it again with --enable."""
    try:
        with transaction(sessions(database)) as session:
            user_id = UserService(session).set_active(username, enable, actor="cli").id
    except StoreError as exc:
        fail(str(exc))
    if not enable:
        _end_shared_sessions(user_id)
    out.print(f"'{username}' is {'enabled' if enable else 'disabled; its sessions have ended'}")


@app.command()
def reset(
    username: str = typer.Argument(..., help="Login name."),
    base_url: str = typer.Option(
        "http://127.0.0.1:8000", "--base-url", help="Public address of the platform, for the link."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Print a one-time link with which the account sets a new password (valid 24 hours, works once)."""
    import os  # noqa: PLC0415

    from survey.settings import get_settings  # noqa: PLC0415
    from survey.store.services.password_reset import RESET_PATH, issue_reset_link  # noqa: PLC0415

    if not os.environ.get("SECRET_KEY"):
        fail("SECRET_KEY is not set: the link is signed with the server's key; set the same SECRET_KEY here")
    try:
        with transaction(sessions(database)) as session:
            link = issue_reset_link(session, username, secret=get_settings().secret_key, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"{base_url.rstrip('/')}{RESET_PATH}/{link.token}", highlight=False, soft_wrap=True)
