"""``survey backup``, ``survey restore`` and ``survey doctor``: the operator's commands."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from survey.cli._common import DatabaseOption, fail, out, stages, writable_file
from survey.settings import ConfigurationError, Settings, get_settings


def _settings(database: str | None) -> Settings:
    try:
        settings = get_settings()
    except ConfigurationError as exc:
        fail(str(exc))
    return dataclasses.replace(settings, database_url=database) if database else settings


def backup_command(
    target: Path = typer.Argument(
        ..., metavar="OUT", help="Archive to write (a .tar file); written whole or not at all."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Back up the store, the data folder's files and the non-secret configuration into one archive.

    The database is copied in one consistent snapshot (PostgreSQL: pg_dump --format=custom in an
    exported snapshot; SQLite: the online backup API) while the service keeps running. The
    archive's manifest.json holds the schema revision, the rows per table, the creation time, the
    tool versions and the SHA-256 of every file. The archive holds every response: keep it as
    safe as the database.
    """
    from survey.ops.backup import BACKUP_STEPS, create_backup  # noqa: PLC0415
    from survey.ops.errors import OperationsError  # noqa: PLC0415

    writable_file(target, "OUT")
    settings = _settings(database)
    try:
        with stages(BACKUP_STEPS) as step:
            manifest = create_backup(settings, target, step)
    except OperationsError as exc:
        fail(str(exc))
    rows = sum(manifest.counts.values())
    out.print(
        f"backup {target}: {manifest.backend} at schema {manifest.schema_revision}, "
        f"{rows} rows in {len(manifest.counts)} tables, {len(manifest.files)} files",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )


def restore_command(
    archive: Path = typer.Argument(..., metavar="IN", help="Archive written by survey backup."),
    allow_migrate: bool = typer.Option(
        False, "--migrate", help="Restore a backup of an older schema, then upgrade it to this version's."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace a database that holds data and data files that differ."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Restore a backup into an empty database and the data folder, after checking every checksum.

    Refused before anything is written: an archive that is not a backup, a SQLite backup into
    PostgreSQL or the reverse, a schema revision other than this version's (unless --migrate), a
    target database holding rows or data files that differ (unless --force), a damaged member.
    After the load the rows per table are compared with the manifest. Stop the service first.
    """
    from survey.ops.errors import OperationsError  # noqa: PLC0415
    from survey.ops.restore import RESTORE_STEPS, restore_backup  # noqa: PLC0415

    settings = _settings(database)
    try:
        with stages(RESTORE_STEPS) as step:
            report = restore_backup(settings, archive, allow_migrate=allow_migrate, force=force, step=step)
    except OperationsError as exc:
        fail(str(exc))
    rows = sum(report.manifest.counts.values())
    out.print(
        f"restored {archive} (taken {report.manifest.created_at}): {rows} rows, {report.files} files, "
        f"schema at {report.revision}",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )


def doctor_command(
    database: str | None = DatabaseOption,
) -> None:
    """Check the deployment: configuration, database and schema, secret, folders, clock, Redis, PDF.

    One line per check: ok, warn (works, but fix it) or fail (the service will not work correctly),
    each saying what to do. The exit code is 1 when any check fails, so a deploy script can stop.
    The database and schema check is the one /ready and the image's HEALTHCHECK use.
    """
    import os  # noqa: PLC0415

    from survey.ops.doctor import checked_at, report_line, run_checks  # noqa: PLC0415

    environ = dict(os.environ)
    if database:
        environ["DATABASE_URL"] = database
    checks = run_checks(environ)
    out.print(f"survey doctor, {checked_at()}", highlight=False, soft_wrap=True)
    for check in checks:
        out.print(report_line(check), highlight=False, markup=False, soft_wrap=True)
    failed = [c.name for c in checks if c.status == "fail"]
    if failed:
        raise typer.Exit(1)
