"""``survey invite``: invitation codes for a recruited panel (one code, one response)."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import quote

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.db import transaction
from survey.store.errors import StoreError
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitations import InvitationService

app = typer.Typer(help="Invitation codes: close a consultation to a recruited panel.", no_args_is_help=True)


@app.command()
def create(
    slug: str = typer.Argument(..., help="Consultation slug."),
    count: int = typer.Option(..., "--count", "-n", help="How many codes to issue (1 to 100,000)."),
    output: Path = typer.Option(..., "--out", "-o", help="CSV file to write the codes and links to."),
    base_url: str = typer.Option(
        "http://127.0.0.1:8000", "--base-url", help="Public address of the platform, for the links."
    ),
    batch: str = typer.Option("", "--batch", help="A label for this mailing (e.g. 'wave-1')."),
    database: str | None = DatabaseOption,
) -> None:
    """Issue codes and write them with their personal links; the codes are shown only this once."""
    if output.exists():
        fail(f"--out: {output} exists; choose a new file so no earlier codes are overwritten")
    try:
        with transaction(sessions(database)) as session:
            consultation = ConsultationService(session).get(slug)
            codes = InvitationService(session).issue(consultation, count, batch=batch, actor="cli")
            root = base_url.rstrip("/")
            with output.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["code", "link"])
                writer.writerows([c, f"{root}/c/{quote(slug)}?code={c}"] for c in codes)
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"--out: cannot write {output}: {exc.strerror}")
    out.print(f"{count} invitation codes for '{slug}' written to {output}")


@app.command()
def status(
    slug: str = typer.Argument(..., help="Consultation slug."), database: str | None = DatabaseOption
) -> None:
    """How many codes were issued, started and used, and whether the open link is closed."""
    try:
        with transaction(sessions(database)) as session:
            consultation = ConsultationService(session).get(slug)
            counts = InvitationService(session).counts(consultation)
            required = consultation.invitation_only
    except StoreError as exc:
        fail(str(exc))
    access = "invitation only" if required else "open link"
    out.print(f"{slug}: {access}; issued {counts.issued}, started {counts.started}, used {counts.used}")


@app.command()
def require(
    slug: str = typer.Argument(..., help="Consultation slug."),
    off: bool = typer.Option(False, "--off", help="Open the public link again."),
    database: str | None = DatabaseOption,
) -> None:
    """Accept online responses only with an invitation code (field interviews are not affected)."""
    try:
        with transaction(sessions(database)) as session:
            consultation = ConsultationService(session).get(slug)
            InvitationService(session).set_required(consultation, not off, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"{slug}: {'open link' if off else 'invitation only'}")
