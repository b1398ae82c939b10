"""``survey backup`` / ``survey restore`` through the command line, on SQLite and PostgreSQL.

What an operator relies on: the archive lists every member with its checksum and the rows per table;
a restore refuses, in one line and exit 2 and before writing anything, a damaged archive, another
schema revision (unless --migrate), a target that holds data (unless --force), another backend.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from survey.cli.main import app
from survey.ops._tables import table_counts
from survey.ops.archive import sha256_of
from survey.store import migrate
from survey.store.db import make_engine

runner = CliRunner()


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = table_counts(connection)
    engine.dispose()
    return counts


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _manifest(archive: Path) -> dict[str, object]:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        return json.loads(handle.read())


def _one_line_error(code: int, stderr: str, words: str) -> None:
    assert code == 2, stderr
    assert stderr.startswith("error:") and "Traceback" not in stderr
    assert words in " ".join(stderr.split()), stderr


def test_round_trip_through_the_cli_keeps_rows_files_and_checksums(
    demo_url: str, fresh_url: str, cli_env: Path, tmp_path: Path
) -> None:
    (cli_env / "exports").mkdir(parents=True)
    (cli_env / "exports" / "responses.csv").write_text("uuid,answer\n1,oui\n")
    archive = tmp_path / "backups" / "nightly.tar"
    archive.parent.mkdir()
    code, stdout, stderr = _run("backup", str(archive), "--database-url", demo_url)
    assert code == 0, stderr
    assert "backup" in stdout
    manifest = _manifest(archive)
    assert manifest["schema_revision"] == migrate.head_revision()
    assert manifest["counts"] == _counts(demo_url)
    assert manifest["counts"]["responses"] == 1151  # type: ignore[index]
    files = manifest["files"]
    assert isinstance(files, dict)
    assert "files/exports/responses.csv" in files and "config.json" in files
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    for name, entry in files.items():
        assert sha256_of(tmp_path / "x" / name) == entry["sha256"], name
    config = json.loads((tmp_path / "x" / "config.json").read_text())
    assert "SECRET_KEY" not in config and "s" * 40 not in json.dumps(config)
    assert manifest["tools"]["survey"]  # type: ignore[index]

    (cli_env / "exports" / "responses.csv").unlink()
    code, stdout, stderr = _run("restore", str(archive), "--database-url", fresh_url)
    assert code == 0, stderr
    assert _counts(fresh_url) == manifest["counts"]
    assert (cli_env / "exports" / "responses.csv").read_text() == "uuid,answer\n1,oui\n"


def test_a_target_holding_data_is_refused_unless_forced(demo_url: str, cli_env: Path, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar"
    assert _run("backup", str(archive), "--database-url", demo_url)[0] == 0
    engine = make_engine(demo_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    engine.dispose()
    before = _counts(demo_url)
    code, _, stderr = _run("restore", str(archive), "--database-url", demo_url)
    _one_line_error(code, stderr, "the target database holds data")
    assert _counts(demo_url) == before  # nothing touched
    code, _, stderr = _run("restore", str(archive), "--database-url", demo_url, "--force")
    assert code == 0, stderr
    assert _counts(demo_url) == _manifest(archive)["counts"]
    assert _counts(demo_url)["audit_log"] > 0  # the deleted rows are back


def _tamper(archive: Path, member: str, tmp_path: Path) -> Path:
    """A copy of the archive with one byte of ``member`` changed and the manifest left as it was."""
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for info in source.getmembers():
            data = source.extractfile(info)
            assert data is not None
            raw = bytearray(data.read())
            if info.name == member:
                raw[len(raw) // 2] ^= 0xFF
            target.addfile(info, io.BytesIO(bytes(raw)))
    return damaged


def test_a_damaged_member_is_refused_before_anything_is_written(
    demo_url: str, fresh_url: str, cli_env: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar"
    assert _run("backup", str(archive), "--database-url", demo_url)[0] == 0
    database_file = _manifest(archive)["database_file"]
    assert isinstance(database_file, str)
    damaged = _tamper(archive, database_file, tmp_path)
    code, _, stderr = _run("restore", str(damaged), "--database-url", fresh_url)
    _one_line_error(code, stderr, "does not match its checksum")
    migrated = make_engine(fresh_url)
    with migrated.connect() as connection:
        assert table_counts(connection) == {}  # the fresh database got nothing, not even a schema
    migrated.dispose()


def test_an_older_schema_needs_migrate(
    fresh_url: str, cli_env: Path, tmp_path: Path, database_url: str
) -> None:
    from tests.conftest import drop_database, new_database

    older = new_database(database_url, "ops_old", tmp_path)
    try:
        migrate.upgrade(older, "0008")
        archive = tmp_path / "old.tar"
        assert _run("backup", str(archive), "--database-url", older)[0] == 0
        assert _manifest(archive)["schema_revision"] == "0008"
        code, _, stderr = _run("restore", str(archive), "--database-url", fresh_url)
        _one_line_error(code, stderr, "add --migrate")
        code, _, stderr = _run("restore", str(archive), "--database-url", fresh_url, "--migrate")
        assert code == 0, stderr
        engine = make_engine(fresh_url)
        assert migrate.current_revision(engine) == migrate.head_revision()
        engine.dispose()
    finally:
        drop_database(older)


def test_an_unknown_schema_revision_is_refused_even_with_migrate(
    demo_url: str, fresh_url: str, cli_env: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar"
    assert _run("backup", str(archive), "--database-url", demo_url)[0] == 0
    rewritten = tmp_path / "future.tar"
    with tarfile.open(archive) as source, tarfile.open(rewritten, "w") as target:
        for info in source.getmembers():
            data = source.extractfile(info)
            assert data is not None
            raw = data.read()
            if info.name == "manifest.json":
                manifest = json.loads(raw)
                manifest["schema_revision"] = "9999"
                raw = json.dumps(manifest).encode()
                info.size = len(raw)
            target.addfile(info, io.BytesIO(raw))
    code, _, stderr = _run("restore", str(rewritten), "--database-url", fresh_url, "--migrate")
    _one_line_error(code, stderr, "9999 is unknown to this version")


def test_another_backend_and_non_archives_are_refused_in_one_line(
    demo_url: str, cli_env: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar"
    assert _run("backup", str(archive), "--database-url", demo_url)[0] == 0
    other = (
        f"sqlite:///{tmp_path / 'other.sqlite3'}"
        if make_url(demo_url).get_backend_name() == "postgresql"
        else "postgresql+psycopg://postgres@127.0.0.1:5432/never_used_by_ops_tests"
    )
    code, _, stderr = _run("restore", str(archive), "--database-url", other)
    _one_line_error(code, stderr, "restore onto the same kind of database")
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar at all" * 100)
    code, _, stderr = _run("restore", str(junk), "--database-url", demo_url)
    _one_line_error(code, stderr, "not a readable backup archive")
    code, _, stderr = _run("restore", str(tmp_path / "missing.tar"), "--database-url", demo_url)
    _one_line_error(code, stderr, "no such file")
    code, _, stderr = _run("backup", str(tmp_path), "--database-url", demo_url)
    _one_line_error(code, stderr, "it is a folder")


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_help(command: str) -> None:
    code, stdout, _ = _run(command, "--help")
    assert code == 0
    assert "--database-url" in stdout
    if command == "restore":
        assert "--migrate" in stdout and "--force" in stdout


def test_force_replaces_a_postgresql_target_with_an_extension_and_objects_of_its_own(
    demo_url: str, fresh_url: str, cli_env: Path, tmp_path: Path
) -> None:
    if make_url(demo_url).get_backend_name() != "postgresql":
        return  # extensions, functions and views of their own exist only on PostgreSQL
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS citext"))
        connection.execute(text("CREATE TABLE leftover (id serial PRIMARY KEY, name citext)"))
        connection.execute(text("INSERT INTO leftover (name) VALUES ('x')"))
        connection.execute(text("CREATE VIEW leftover_names AS SELECT name FROM leftover"))
        connection.execute(
            text(
                "CREATE FUNCTION leftover_count() RETURNS bigint AS 'SELECT count(*) FROM leftover' LANGUAGE sql"
            )
        )
    engine.dispose()
    archive = tmp_path / "b.tar"
    assert _run("backup", str(archive), "--database-url", demo_url)[0] == 0
    code, _, stderr = _run("restore", str(archive), "--database-url", fresh_url)
    _one_line_error(code, stderr, "the target database holds data")
    code, _, stderr = _run("restore", str(archive), "--database-url", fresh_url, "--force")
    assert code == 0, stderr
    assert _counts(fresh_url) == _manifest(archive)["counts"]  # leftover is gone, the demo is there
    engine = make_engine(fresh_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'citext'")) == 1
        assert connection.scalar(text("SELECT to_regprocedure('leftover_count()') IS NULL")) is True
    engine.dispose()
