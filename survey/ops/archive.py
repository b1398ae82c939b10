"""The backup archive: one tar file holding ``manifest.json`` and the files it lists with their SHA-256.

Why one file: an operator copies a single file off the machine, and it arrives whole or visibly
not (the checksums say which part is damaged). The archive is written beside its final name and
renamed at the end, so a failed or interrupted backup never leaves a file that looks complete.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from survey.ops.errors import OperationsError

FORMAT = "civic-consult-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    """One file of the archive: its checksum and size, to find damage before anything is restored."""

    sha256: str
    bytes: int


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: enough to refuse a wrong restore before touching the target."""

    created_at: str  # UTC, ISO 8601, taken when the database snapshot was taken
    backend: str  # "sqlite" or "postgresql": a backup restores onto the same kind of database
    schema_revision: str | None
    counts: dict[str, int]  # rows per table in the snapshot; checked again after a restore
    tools: dict[str, str]  # versions of this program, Python, SQLAlchemy, Alembic, pg_dump, server
    database_file: str  # the member holding the database: database.dump or database.sqlite3
    files: dict[str, FileEntry] = field(default_factory=dict)
    format: str = FORMAT

    def to_json(self) -> bytes:
        """The manifest as written into the archive (sorted keys, so two backups diff cleanly)."""
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes, source: str) -> Manifest:
        """Read a manifest, naming the archive when it is not one of ours."""
        try:
            data: dict[str, Any] = json.loads(raw)
            if data.get("format") != FORMAT:
                raise OperationsError(
                    f"{source}: not a backup of this program (format {data.get('format')!r})"
                )
            files = {name: FileEntry(**entry) for name, entry in data.pop("files").items()}
            return cls(files=files, **data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise OperationsError(f"{source}: {MANIFEST} is unreadable ({exc})") from exc


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks so a large dump never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def entry_for(path: Path) -> FileEntry:
    """Checksum and size of a file about to go into the archive."""
    return FileEntry(sha256_of(path), path.stat().st_size)


def write_archive(out: Path, manifest: Manifest, members: dict[str, Path]) -> None:
    """Write ``manifest.json`` then each member to ``out``, atomically (rename at the end)."""
    partial = out.with_name(out.name + ".partial")
    try:
        with tarfile.open(partial, "w") as tar:
            info = tarfile.TarInfo(MANIFEST)
            raw = manifest.to_json()
            info.size = len(raw)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(raw))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)  # the archive holds every response: readable by its owner only
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def read_manifest(archive: Path) -> Manifest:
    """The manifest alone, without extracting anything (to refuse early)."""
    try:
        with tarfile.open(archive, "r") as tar:
            handle = tar.extractfile(MANIFEST)
            if handle is None:
                raise OperationsError(f"{archive}: {MANIFEST} is not a file")
            return Manifest.from_json(handle.read(), str(archive))
    except KeyError as exc:
        raise OperationsError(f"{archive}: no {MANIFEST}; not a backup of this program") from exc
    except tarfile.TarError as exc:
        raise OperationsError(f"{archive}: not a readable backup archive ({exc})") from exc


def extract_verified(archive: Path, manifest: Manifest, into: Path) -> None:
    """Extract every member into ``into`` and check it against the manifest.

    Refused: a member the manifest does not list, a listed file missing, a size or checksum that
    differs, a name that would land outside ``into`` (tarfile's ``data`` filter).
    """
    try:
        with tarfile.open(archive, "r") as tar:
            names = [m.name for m in tar.getmembers() if m.isfile()]
            unexpected = sorted(set(names) - set(manifest.files) - {MANIFEST})
            if unexpected:
                raise OperationsError(f"{archive}: {unexpected[0]} is not listed in the manifest")
            tar.extractall(into, filter="data")
    except tarfile.TarError as exc:
        raise OperationsError(f"{archive}: damaged archive ({exc})") from exc
    for name, entry in manifest.files.items():
        path = into / PurePosixPath(name)
        if not path.is_file():
            raise OperationsError(f"{archive}: {name} is missing from the archive")
        if path.stat().st_size != entry.bytes or sha256_of(path) != entry.sha256:
            raise OperationsError(
                f"{archive}: {name} does not match its checksum (damaged or altered backup)"
            )
