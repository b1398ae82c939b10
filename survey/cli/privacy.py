"""``survey erase`` and ``survey purge``: a person's answers removed on request; unfinished ones expire.

See docs/data-protection.md for every personal field the platform can hold and how long it keeps it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from survey.cli._common import DatabaseOption, fail, out, sessions
from survey.store.errors import StoreError
from survey.store.services.erasure import By, erase, purge_unfinished

__all__ = ["erase_command", "purge_command"]


def _finish(session: Session, dry_run: bool) -> None:
    """Commit, or roll back a dry run (nothing changed, the same counts reported)."""
    if dry_run:
        session.rollback()
    else:
        session.commit()


def erase_command(
    resume_token: Annotated[
        str | None,
        typer.Option("--resume-token", help="The person's resume link, or its token (the part after /r/)."),
    ] = None,
    invitation_code: Annotated[
        str | None, typer.Option("--invitation-code", help="The person's invitation code (XXXX-XXXX-XXXX).")
    ] = None,
    response: Annotated[
        str | None, typer.Option("--response", help="The response id (a number) or its UUID.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be erased; change nothing.")
    ] = False,
    database_url: str | None = DatabaseOption,
) -> None:
    """Erase one person's answers, corrections, field receipt and notes; an audit line without content stays.

    Give exactly one of --resume-token, --invitation-code or --response.
    """
    options: tuple[tuple[By, str | None], ...] = (
        ("resume_token", resume_token),
        ("invitation_code", invitation_code),
        ("response", response),
    )
    given = [(by, value) for by, value in options if value is not None]
    if len(given) != 1:
        fail("give exactly one of --resume-token, --invitation-code or --response")
    by, value = given[0]
    try:
        with sessions(database_url)() as session:
            erased = erase(session, by, value, actor="cli")
            _finish(session, dry_run)
    except StoreError as exc:
        fail(str(exc))
    verb = "would erase" if dry_run else "erased"
    out.print(
        f"{verb} {len(erased.uuids)} response(s) ({', '.join(erased.uuids)}), {erased.answers} answers, "
        f"{erased.receipts} field receipt(s), {erased.manifest_lines} tablet manifest line(s)",
        highlight=False,
        soft_wrap=True,
    )


def purge_command(
    older_than: Annotated[
        int, typer.Option("--older-than", help="Days since an unfinished response was last saved.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be purged; change nothing.")
    ] = False,
    database_url: str | None = DatabaseOption,
) -> None:
    """Delete unfinished responses not saved for --older-than days; complete ones are never touched.

    Their invitation codes are released, so the people holding them can start again.
    """
    try:
        with sessions(database_url)() as session:
            purged = purge_unfinished(session, older_than, actor="cli")
            _finish(session, dry_run)
    except StoreError as exc:
        fail(str(exc))
    verb = "would purge" if dry_run else "purged"
    out.print(
        f"{verb} {purged.responses} unfinished response(s) last saved before "
        f"{purged.cutoff:%Y-%m-%d %H:%M} UTC ({purged.answers} answers); "
        f"{purged.released_codes} invitation code(s) released",
        highlight=False,
    )
