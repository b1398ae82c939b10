"""``survey backup``: the store, the data folder's files and the non-secret configuration, in one archive.

What is in the archive (see :mod:`survey.ops.archive`): ``manifest.json`` (schema revision, rows per
table, creation time, tool versions, SHA-256 of every other member), ``database.dump``
(PostgreSQL custom format) or ``database.sqlite3``, ``config.json`` and ``files/…`` (everything
under ``SURVEY_DATA_DIR`` except the SQLite database itself and ``backups/``).
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.engine import make_url

from survey import __version__
from survey.ops import _postgres, _sqlite
from survey.ops.archive import Manifest, entry_for, write_archive
from survey.ops.errors import OperationsError
from survey.settings import Settings

Step = Callable[[str], None]
BACKUP_STEPS = 4
SKIPPED_FOLDERS = ("backups",)  # where operators are told to keep backups: never copied into the next one


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgresql``; any other database is refused by name."""
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise OperationsError(f"cannot back up a {backend} database: only SQLite and PostgreSQL")
    return backend


def _masked(url: str) -> str:
    """A URL with its password replaced by ***, for the configuration kept in the archive."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def public_configuration(settings: Settings) -> dict[str, object]:
    """The settings an operator needs to rebuild the service, without SECRET_KEY or any password."""
    return {
        "SURVEY_ENV": settings.environment,
        "DATABASE_URL": make_url(settings.database_url).render_as_string(hide_password=True),
        "SURVEY_DATA_DIR": str(settings.data_dir),
        "SURVEY_HOST": settings.host,
        "SURVEY_PORT": settings.port,
        "SURVEY_MAX_BODY_BYTES": settings.max_body_bytes,
        "SURVEY_MAX_ATTACHMENT_BYTES": settings.max_attachment_bytes,
        "LOG_LEVEL": settings.log_level,
        "SURVEY_CORS_ORIGINS": ",".join(settings.cors_origins),
        "REDIS_URL": _masked(settings.redis_url),
    }


def data_files(data_dir: Path, database_url: str, *exclude: Path) -> Iterator[Path]:
    """Files of the data folder that belong in a backup, relative to it."""
    if not data_dir.is_dir():
        return
    skip = {p.resolve() for p in exclude}
    if backend_of(database_url) == "sqlite":
        database = _sqlite.path_of(database_url).resolve()
        skip |= {database, *(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal"))}
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if relative.parts[0] in SKIPPED_FOLDERS or relative.parts[0].startswith(".survey-backup-"):
            continue
        if path.is_file() and not path.is_symlink() and path.resolve() not in skip:
            yield relative


def _tools(backend: str, server: str) -> dict[str, str]:
    tools = {
        "survey": __version__,
        "python": platform.python_version(),
        "sqlalchemy": version("sqlalchemy"),
        "alembic": version("alembic"),
    }
    if backend == "postgresql":
        tools |= {"pg_dump": _postgres.tool_version("pg_dump"), "postgresql_server": server}
    else:
        tools |= {"sqlite": sqlite3.sqlite_version}
    return tools


def create_backup(settings: Settings, out: Path, step: Step = lambda _: None) -> Manifest:
    """Write the archive to ``out``; return its manifest. ``step(name)`` is called as each stage starts."""
    url = settings.database_url
    backend = backend_of(url)
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix=".survey-backup-", dir=out.parent) as work:
        folder = Path(work)
        step("snapshot of the database")
        created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        database_file = "database.dump" if backend == "postgresql" else "database.sqlite3"
        snapshot = (_postgres if backend == "postgresql" else _sqlite).dump(url, folder / database_file)
        members = {database_file: folder / database_file}
        step("copying the data folder")
        for relative in data_files(settings.data_dir, url, out):
            copy = folder / "files" / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(settings.data_dir / relative, copy)
            members[f"files/{relative.as_posix()}"] = copy
        (folder / "config.json").write_text(json.dumps(public_configuration(settings), indent=2))
        members["config.json"] = folder / "config.json"
        step("checksums")
        manifest = Manifest(
            created_at=created_at,
            backend=backend,
            schema_revision=snapshot.revision,
            counts=snapshot.counts,
            tools=_tools(backend, snapshot.server),
            database_file=database_file,
            files={name: entry_for(path) for name, path in members.items()},
        )
        step("writing the archive")
        write_archive(out, manifest, members)
    return manifest
