"""``survey grant``: which analyst, coordinator or interviewer works on which consultation.

The command line runs as the server operator: whoever can run it can read the database directly,
so it acts with an admin's reach and records ``cli`` as the actor in the audit log. Grants limit
what staff members reach through the web app and its APIs (see docs/roles.md).
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.db import transaction
from survey.store.errors import StoreError
from survey.store.models import Role
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.users import UserService

app = typer.Typer(
    help="Per-consultation rights of analysts, coordinators and interviewers (admins are global).",
    no_args_is_help=True,
)

RoleOption = typer.Option(
    None,
    "--role",
    help="analyst, coordinator or interviewer (default: the account's own role). An interviewer's "
    "grant is the field assignment.",
    show_default=False,
)


def _role(given: Role | None, account_role: str) -> Role:
    role = given or Role(account_role)
    if role not in grants.GRANTABLE:
        fail(f"--role: '{role.value}' is global and is not granted per consultation")
    return role


def _change(
    change: Callable[..., bool], username: str, consultation: str, role: Role | None, database: str | None
) -> tuple[bool, Role]:
    """Apply ``grants.grant`` or ``grants.revoke`` in one transaction; whether it changed anything."""
    try:
        with transaction(sessions(database)) as session:
            user = UserService(session).named(username)
            target = ConsultationService(session).get(consultation)
            chosen = _role(role, user.role)
            return change(session, user_id=user.id, consultation_id=target.id, role=chosen, by="cli"), chosen
    except StoreError as exc:
        fail(str(exc))


@app.command("add")
def add(
    username: str = typer.Argument(..., help="Login name of the staff member."),
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    role: Role | None = RoleOption,
    database: str | None = DatabaseOption,
) -> None:
    """Let a staff member act in their role on one consultation."""
    created, chosen = _change(grants.grant, username, consultation, role, database)
    state = "granted" if created else "already held"
    out.print(f"{username} may act as {chosen.value} on {consultation} ({state})")


@app.command("remove")
def remove(
    username: str = typer.Argument(..., help="Login name of the staff member."),
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    role: Role | None = RoleOption,
    database: str | None = DatabaseOption,
) -> None:
    """Take a staff member's right on one consultation away (their open pages lose it at once)."""
    removed, chosen = _change(grants.revoke, username, consultation, role, database)
    if not removed:
        fail(f"{username} held no {chosen.value} grant on {consultation}", code=1)
    out.print(f"{username} may no longer act as {chosen.value} on {consultation}")


@app.command("list")
def list_grants(
    user: str | None = typer.Option(None, "--user", help="Only this staff member's grants."),
    consultation: str | None = typer.Option(None, "--consultation", help="Only grants on this consultation."),
    database: str | None = DatabaseOption,
) -> None:
    """Print grants as ``user<TAB>consultation<TAB>role<TAB>granted by<TAB>granted at``."""
    try:
        with sessions(database)() as session:
            rows = grants.all_grants(session)
            if user is not None:
                user_id = UserService(session).named(user).id
                rows = [g for g in rows if g.user_id == user_id]
            if consultation is not None:
                consultation_id = ConsultationService(session).get(consultation).id
                rows = [g for g in rows if g.consultation_id == consultation_id]
    except StoreError as exc:
        fail(str(exc))
    for g in rows:
        # plain echo, not the rich console, which would turn the tabs into spaces
        typer.echo(f"{g.username}\t{g.slug}\t{g.role.value}\t{g.granted_by}\t{g.granted_at:%Y-%m-%dT%H:%MZ}")
    if not rows:
        out.print("no grants (admins need none)")
