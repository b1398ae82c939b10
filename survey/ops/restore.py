"""``survey restore``: check a backup whole, then put it back into an empty database.

Order of refusals, all before anything is written: not our archive; another kind of database;
a schema revision other than this version's (unless ``migrate``); a target holding rows or data
files that differ (unless ``force``); a member whose checksum differs. After the load the row
counts and revision are read back and compared with the manifest, so a restore that "worked" but
lost rows is reported as failed.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from survey.ops import _postgres, _sqlite
from survey.ops._tables import holds_rows, revision_of, table_counts
from survey.ops.archive import Manifest, extract_verified, read_manifest, sha256_of
from survey.ops.backup import Step, backend_of
from survey.ops.errors import OperationsError
from survey.settings import Settings
from survey.store import migrate
from survey.store.db import make_engine

RESTORE_STEPS = 4


@dataclass(frozen=True)
class RestoreReport:
    """What was restored, for the terminal."""

    manifest: Manifest
    files: int
    revision: str | None  # the schema revision after the restore (and the migration, if any)


def _known_revision(revision: str) -> bool:
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def _check_revision(manifest: Manifest, allow_migrate: bool) -> None:
    head = migrate.head_revision()
    saved = manifest.schema_revision
    if saved == head:
        return
    if saved is None or not _known_revision(saved):
        raise OperationsError(
            f"the backup's schema revision {saved} is unknown to this version "
            f"(made by survey {manifest.tools.get('survey', '?')}): restore it with that version"
        )
    if not allow_migrate:
        raise OperationsError(
            f"the backup's schema is at revision {saved}, this version's is at {head}: "
            "add --migrate to restore it and then upgrade the schema"
        )


def _check_target(url: str, force: bool) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            full = holds_rows(connection)
    except OperationalError as exc:
        raise OperationsError(
            f"cannot reach the target database: {str(exc.orig).strip().splitlines()[0]}"
        ) from exc
    finally:
        engine.dispose()
    if full and not force:
        raise OperationsError(
            "the target database holds data: restore into an empty database, or add --force to replace it"
        )


def _check_files(manifest: Manifest, data_dir: Path, force: bool) -> None:
    for name, entry in manifest.files.items():
        if not name.startswith("files/"):
            continue
        target = data_dir / PurePosixPath(name).relative_to("files")
        if target.exists() and not force and (not target.is_file() or sha256_of(target) != entry.sha256):
            raise OperationsError(f"{target} exists and differs from the backup's: add --force to replace it")


def _check_restored(url: str, manifest: Manifest) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision, counts = revision_of(connection), table_counts(connection)
    finally:
        engine.dispose()
    if revision != manifest.schema_revision:
        raise OperationsError(f"restored schema is at {revision}, the backup's at {manifest.schema_revision}")
    for name in sorted(set(counts) | set(manifest.counts)):
        if counts.get(name) != manifest.counts.get(name):
            raise OperationsError(
                f"restored table {name} has {counts.get(name)} rows, the backup had {manifest.counts.get(name)}"
            )


def restore_backup(
    settings: Settings,
    archive: Path,
    *,
    allow_migrate: bool = False,
    force: bool = False,
    step: Step = lambda _: None,
) -> RestoreReport:
    """Restore ``archive`` into ``settings``' database and data folder; raise OperationsError on refusal."""
    url = settings.database_url
    if not archive.is_file():
        raise OperationsError(f"{archive}: no such file")
    manifest = read_manifest(archive)
    backend = backend_of(url)
    if manifest.backend != backend:
        raise OperationsError(
            f"{archive} holds a {manifest.backend} database; the target is {backend}: "
            "restore onto the same kind of database"
        )
    _check_revision(manifest, allow_migrate)
    _check_target(url, force)
    _check_files(manifest, settings.data_dir, force)
    with tempfile.TemporaryDirectory(prefix="survey-restore-") as work:
        folder = Path(work)
        step("verifying checksums")
        extract_verified(archive, manifest, folder)
        step("restoring the database")
        (_postgres if backend == "postgresql" else _sqlite).restore(url, folder / manifest.database_file)
        _check_restored(url, manifest)
        step("restoring the data folder")
        files = 0
        for name in manifest.files:
            if name.startswith("files/"):
                target = settings.data_dir / PurePosixPath(name).relative_to("files")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / PurePosixPath(name), target)
                files += 1
    step("schema")
    revision = manifest.schema_revision
    if revision != migrate.head_revision():
        migrate.upgrade(url)
        revision = migrate.head_revision()
    return RestoreReport(manifest, files, revision)
