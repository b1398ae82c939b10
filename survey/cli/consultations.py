"""``survey consultation``: create, open, close, schedule and list consultations.

The same service calls as the console's consultation pages (``ConsultationService``), so a rule
such as "no opening without a questionnaire" holds whichever door an organiser uses.
"""

from __future__ import annotations

import datetime as dt

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions

app = typer.Typer(help="Create, open, close, schedule and list consultations.", no_args_is_help=True)

Slug = typer.Argument(..., help="Consultation slug (lower-case letters, digits, hyphens).")
OpensAt = typer.Option(
    "",
    "--opens-at",
    help="When it opens by itself: ISO 8601, e.g. 2027-01-10T09:00 (UTC unless a zone is given).",
)
ClosesAt = typer.Option(
    "",
    "--closes-at",
    help="When it closes by itself: ISO 8601, e.g. 2027-02-28T18:00 (UTC unless a zone is given).",
)


def _moment(name: str, value: str) -> dt.datetime | None:
    """An ISO 8601 date-time (UTC when it names no zone); empty is none; anything else exits 2."""
    if not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"--{name.replace('_', '-')}: '{value}' is not a date and time such as 2027-01-31T18:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _run(database: str | None, slug: str, action: str, **dates: dt.datetime | None) -> str:
    """Apply one lifecycle action in one transaction; the consultation's status afterwards."""
    from survey.store.db import transaction  # noqa: PLC0415 - SQLAlchemy loads with the command, not for --help
    from survey.store.errors import NotFoundError  # noqa: PLC0415
    from survey.store.services.consultations import ConsultationInputError, ConsultationService  # noqa: PLC0415

    try:
        with transaction(sessions(database)) as session:
            service = ConsultationService(session)
            consultation = service.get(slug)
            if action == "open":
                service.open(consultation, actor="cli")
            elif action == "close":
                service.close(consultation, actor="cli")
            else:
                service.schedule(consultation, opens_at=dates.get("opens_at"), closes_at=dates.get("closes_at"),
                                 actor="cli")  # fmt: skip
            return consultation.status
    except ConsultationInputError as exc:
        fail(f"{slug}: {exc}")
    except NotFoundError as exc:
        fail(str(exc))


@app.command()
def create(
    slug: str = Slug,
    title_fr: str = typer.Option("", "--title-fr", help="Title in French."),
    title_nl: str = typer.Option("", "--title-nl", help="Title in Dutch."),
    title_en: str = typer.Option("", "--title-en", help="Title in English."),
    description_fr: str = typer.Option("", "--description-fr", help="Description in French."),
    description_nl: str = typer.Option("", "--description-nl", help="Description in Dutch."),
    description_en: str = typer.Option("", "--description-en", help="Description in English."),
    privacy_fr: str = typer.Option("", "--privacy-fr", help="Privacy notice in French."),
    privacy_nl: str = typer.Option("", "--privacy-nl", help="Privacy notice in Dutch."),
    privacy_en: str = typer.Option("", "--privacy-en", help="Privacy notice in English."),
    organiser: str = typer.Option("", "--organiser", help="Who runs the consultation, as citizens see it."),
    contact: str = typer.Option("", "--contact", help="Contact address for questions about the data."),
    opens_at: str = OpensAt,
    closes_at: str = ClosesAt,
    database: str | None = DatabaseOption,
) -> None:
    """Create a consultation as a draft: citizens see it once it is opened (or its opening date comes)."""
    from survey.store.db import transaction  # noqa: PLC0415
    from survey.store.services.consultations import (  # noqa: PLC0415
        ConsultationDraft,
        ConsultationInputError,
        ConsultationService,
    )

    draft = ConsultationDraft(
        slug=slug, title={"fr": title_fr, "nl": title_nl, "en": title_en},
        description={"fr": description_fr, "nl": description_nl, "en": description_en},
        organiser=organiser, contact=contact, privacy_notice={"fr": privacy_fr, "nl": privacy_nl, "en": privacy_en},
        opens_at=_moment("opens_at", opens_at), closes_at=_moment("closes_at", closes_at),
    )  # fmt: skip
    try:
        with transaction(sessions(database)) as session:
            ConsultationService(session).create_draft(draft, actor="cli")
    except ConsultationInputError as exc:
        fail(f"{slug}: {exc}")
    out.print(f"{slug}: created as a draft; import its questionnaire with `survey form import`, then open it")


@app.command("open")
def open_command(slug: str = Slug, database: str | None = DatabaseOption) -> None:
    """Open now (citizens and tablets get it); refused while it has no questionnaire. Reopens a closed one."""
    out.print(f"{slug}: {_run(database, slug, 'open')}")


@app.command()
def close(slug: str = Slug, database: str | None = DatabaseOption) -> None:
    """Close now: citizens see the closed page, tablets stop offering it but still send what they hold."""
    out.print(f"{slug}: {_run(database, slug, 'close')}")


@app.command()
def schedule(
    slug: str = Slug,
    opens_at: str = OpensAt,
    closes_at: str = ClosesAt,
    database: str | None = DatabaseOption,
) -> None:
    """Set the dates on which it opens and closes by itself (an omitted date is cleared)."""
    status = _run(database, slug, "schedule", opens_at=_moment("opens_at", opens_at),
                  closes_at=_moment("closes_at", closes_at))  # fmt: skip
    out.print(f"{slug}: {status}; opens {opens_at or 'by hand'}, closes {closes_at or 'by hand'}")


@app.command("list")
def list_command(database: str | None = DatabaseOption) -> None:
    """Every consultation with its status (dates applied) and live counts: complete by mode, unfinished, today."""
    from rich.table import Table  # noqa: PLC0415

    from survey.store.services.consultations import ConsultationService  # noqa: PLC0415
    from survey.store.services.counted import live_counts  # noqa: PLC0415

    table = Table("slug", "status", "online", "field", "paper", "complete", "unfinished", "today", "tests")
    with sessions(database)() as session:
        for c in ConsultationService(session).list():
            n = live_counts(session, c.id)
            table.add_row(c.slug, c.status, *(str(n.complete.get(m, 0)) for m in ("online", "field", "paper")),
                          str(n.total), str(n.unfinished), str(n.today), str(n.tests))  # fmt: skip
    out.print(table)
