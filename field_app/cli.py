"""``survey device``: list and revoke field tablets, assign interviewers, from the command line."""

from __future__ import annotations

import typer
from sqlalchemy import select

from field_app.supervisor import new_code, set_code
from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.bounds import MAX_ID
from survey.store.db import transaction
from survey.store.errors import StoreError
from survey.store.models import Device, Role, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign, unassign
from survey.store.services.field_devices import revoke_device

device_app = typer.Typer(
    help="Field tablets: list, revoke, assign interviewers, supervisor unlock codes.", no_args_is_help=True
)


@device_app.command("list")
def list_devices(database: str | None = DatabaseOption) -> None:
    """Every registered tablet with its interviewer and state."""
    with transaction(sessions(database)) as session:
        rows = session.execute(select(Device, User.username).join(User, User.id == Device.user_id)).all()
        for device, username in rows:
            state = f"revoked {device.revoked_at:%Y-%m-%d %H:%M}" if device.revoked_at else "active"
            out.print(f"{device.id}\t{username}\t{device.label}\t{state}", highlight=False)


@device_app.command()
def revoke(
    device_id: int = typer.Argument(..., min=1, max=MAX_ID, help="Device id (see `survey device list`)."),
    database: str | None = DatabaseOption,
) -> None:
    """Revoke a tablet: its next sync is refused with a clear message; its data stays on it."""
    try:
        with transaction(sessions(database)) as session:
            revoke_device(session, device_id, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"device {device_id} revoked")


@device_app.command("assign")
def assign_command(
    username: str = typer.Argument(..., help="Interviewer login."),
    consultation: str = typer.Argument(..., help="Consultation slug."),
    database: str | None = DatabaseOption,
) -> None:
    """Let an interviewer download and collect for a consultation."""
    try:
        with transaction(sessions(database)) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None or user.role != Role.INTERVIEWER.value:
                fail(f"no interviewer '{username}'")
            assign(session, user, ConsultationService(session).get(consultation), actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"{username} assigned to {consultation}")


@device_app.command("unassign")
def unassign_command(
    username: str = typer.Argument(..., help="Interviewer login."),
    consultation: str = typer.Argument(..., help="Consultation slug."),
    database: str | None = DatabaseOption,
) -> None:
    """Withdraw an interviewer from a consultation: the tablet no longer offers it."""
    from field_app.console_ops import interviewer  # noqa: PLC0415

    try:
        with transaction(sessions(database)) as session:
            user = interviewer(session, username)
            unassign(session, user, ConsultationService(session).get(consultation), actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"{username} withdrawn from {consultation}")


@device_app.command("supervisor-code")
def supervisor_code(
    consultation: str = typer.Argument(..., help="Consultation slug."),
    code: str | None = typer.Option(
        None, "--code", help="The code to set (8 to 64 letters or digits); a random 12-digit code if omitted."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Set or rotate the supervisor unlock code; tablets get its hash (never the code) at their next sync.

    It unlocks, without network, an interviewer locked out by too many wrong PINs. The code is
    printed once and not kept: only a salted slow hash is stored.
    """
    chosen = code if code is not None else new_code()
    try:
        with transaction(sessions(database)) as session:
            set_code(session, ConsultationService(session).get(consultation), chosen, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"supervisor code for {consultation}: {chosen}", highlight=False)
    out.print(
        "tablets receive it at their next sync; the previous code stops working there then", highlight=False
    )


def register(app: typer.Typer) -> None:
    """Wire ``survey device ...`` into the main CLI."""
    app.add_typer(device_app, name="device")
