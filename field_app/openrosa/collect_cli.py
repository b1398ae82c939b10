"""``survey collect app-user``: ODK Collect app users made, listed and revoked from the command line.

The same as the coordinators' page (field_app.openrosa.app_user_pages), for operators preparing many
tablets at once: ``create`` prints the QR code in the terminal (and can write it to an SVG or PNG
file) with the settings as text; the key is shown this once and only its hash is kept. The command
line acts with an admin's reach and records ``cli`` as the actor in the audit log.
"""

from __future__ import annotations

from pathlib import Path

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions, writable_file

app = typer.Typer(
    help="ODK Collect: app users configured by QR code (create, revoke, list).", no_args_is_help=True
)
app_user = typer.Typer(
    help="App users: a key for one interviewer on one consultation, given to ODK Collect as a QR code.",
    no_args_is_help=True,
)
app.add_typer(app_user, name="app-user")

ServerOption = typer.Option(
    ...,
    "--server",
    envvar="SURVEY_PUBLIC_URL",
    help="The platform's public address as tablets reach it, e.g. https://consult.example.org.",
    show_default=False,
)


@app_user.command("create")
def create(
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    username: str = typer.Argument(..., help="Login of the interviewer the app user collects for."),
    name: str = typer.Option(..., "--name", help="A name for the app user, e.g. the tablet's number."),
    server: str = ServerOption,
    qr_file: Path | None = typer.Option(
        None, "--qr-file", help="Also write the QR code to this .svg or .png file.", show_default=False
    ),
    language: str = typer.Option("fr", "--language", help="Language of the project name shown in Collect."),
    database: str | None = DatabaseOption,
) -> None:
    """Make an app user and print its QR code and settings (shown this once)."""
    import segno  # noqa: PLC0415 - loaded with the command, not for --help

    from field_app.openrosa.app_users import collect_settings, create_app_user, qr_payload  # noqa: PLC0415
    from survey.store.db import transaction  # noqa: PLC0415
    from survey.store.errors import StoreError  # noqa: PLC0415
    from survey.store.services.consultations import ConsultationService  # noqa: PLC0415
    from survey.store.services.users import UserService  # noqa: PLC0415

    if not server.startswith(("https://", "http://")):
        fail(f"--server {server}: give the full address, starting with https://")
    if qr_file is not None:
        writable_file(qr_file, "--qr-file")
        if qr_file.suffix.lower() not in (".svg", ".png"):
            fail(f"--qr-file {qr_file}: name a .svg or .png file")
    try:
        with transaction(sessions(database)) as session:
            target = ConsultationService(session).get(consultation)
            interviewer = UserService(session).named(username)
            device, key = create_app_user(session, target, interviewer, name, actor="cli")
            settings = collect_settings(server, target, key, language)
            device_id = device.id
    except StoreError as exc:
        fail(str(exc))
    payload = qr_payload(settings)
    code = segno.make(payload, error="m", micro=False)
    if qr_file is not None:
        code.save(str(qr_file), scale=5, border=4)
    general = settings["general"]
    assert isinstance(general, dict)
    out.print(f"app user {device_id} made for {username} on {consultation}: scan this code in ODK Collect")
    code.terminal(compact=True)
    out.print(f"server URL: {general['server_url']}", soft_wrap=True, highlight=False)
    out.print(f"QR payload: {payload}", soft_wrap=True, highlight=False)
    if qr_file is not None:
        out.print(f"QR code written to {qr_file}")


@app_user.command("list")
def list_command(
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    database: str | None = DatabaseOption,
) -> None:
    """List a consultation's app users: device id, name, interviewer, state, last contact."""
    from field_app.openrosa.app_users import app_users  # noqa: PLC0415
    from survey.store.errors import StoreError  # noqa: PLC0415
    from survey.store.services.consultations import ConsultationService  # noqa: PLC0415

    try:
        with sessions(database)() as session:
            found = app_users(session, ConsultationService(session).get(consultation))
    except StoreError as exc:
        fail(str(exc))
    if not found:
        out.print(f"no app users on {consultation}")
    for a in found:  # tab-separated, for scripts (the console would turn tabs into spaces)
        state = "revoked" if a.revoked else "active"
        seen = a.last_seen_at or "never"
        typer.echo(
            f"{a.device_id}\t{a.name}\t{a.interviewer}\t{state}\tcreated {a.created_at}\tlast seen {seen}"
        )


@app_user.command("revoke")
def revoke(
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    device_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="App user's device id (see `list`)."),
    database: str | None = DatabaseOption,
) -> None:
    """Revoke an app user: ODK Collect is refused with its key from the next request on."""
    from field_app.openrosa.app_users import revoke_app_user  # noqa: PLC0415
    from survey.store.db import transaction  # noqa: PLC0415
    from survey.store.errors import StoreError  # noqa: PLC0415
    from survey.store.services.consultations import ConsultationService  # noqa: PLC0415

    try:
        with transaction(sessions(database)) as session:
            revoke_app_user(session, ConsultationService(session).get(consultation), device_id, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"app user {device_id} on {consultation} revoked")
