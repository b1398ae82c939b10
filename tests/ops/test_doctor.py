"""``survey doctor`` and ``/ready`` on real databases, a real Redis and real WeasyPrint.

Each check must say ok on a sound deployment and fail (exit code 1) on the fault it exists for:
an empty or unreachable database, a schema behind the code, a placeholder or short secret in
production, a data folder that cannot be written, a Redis that does not answer.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from litestar.testing import TestClient
from typer.testing import CliRunner

from survey.cli.main import app
from survey.ops.doctor import run_checks, secret_bits
from survey.store import migrate
from tests.app_pool import lent_app
from tests.ops.conftest import settings_for

runner = CliRunner()
STRONG = secrets.token_urlsafe(48)
NO_REDIS = "redis://127.0.0.1:1/0"


def _lines(stdout: str) -> dict[str, str]:
    """``{check name: status}``; for a check shown twice (folders), the worst."""
    found: dict[str, str] = {}
    order = {"ok": 0, "warn": 1, "fail": 2}
    for line in stdout.splitlines()[1:]:
        status, name = line.split()[:2]
        if order[status] >= order.get(found.get(name, "ok"), 0):
            found[name] = status
    return found


def _doctor(env: dict[str, str], *args: str) -> tuple[int, dict[str, str], str]:
    result = runner.invoke(app, ["doctor", *args], env=env)
    return result.exit_code, _lines(result.stdout), result.stdout


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": STRONG,
        "SURVEY_ENV": "production", "REDIS_URL": "redis://127.0.0.1:6379/15",
    }  # fmt: skip


def test_a_sound_deployment_passes_every_check(env: dict[str, str]) -> None:
    code, lines, stdout = _doctor(env)
    assert code == 0, stdout
    assert lines == {
        "configuration": "ok", "secret": "ok", "folders": "ok", "database": "ok", "schema": "ok",
        "clock": "ok", "redis": "ok", "pdf": "ok",
    }, stdout  # fmt: skip


@pytest.mark.parametrize(
    ("secret", "status"),
    [
        ("changeme", "fail"),
        ("short-but-random-Xy7", "fail"),
        ("ab" * 40, "fail"),
        ("", "fail"),
        (STRONG, "ok"),
    ],
    ids=["placeholder", "short", "repetitive", "empty", "strong"],  # STRONG differs per process (xdist)
)
def test_a_weak_secret_fails_in_production(env: dict[str, str], secret: str, status: str) -> None:
    env["SECRET_KEY"] = secret
    code, lines, stdout = _doctor(env)
    # An empty key in production is refused by the settings themselves: the configuration line fails.
    assert lines.get("secret", lines["configuration"]) == status, stdout
    assert (code != 0) == (status == "fail")


def test_a_weak_secret_only_warns_in_development(env: dict[str, str]) -> None:
    env |= {"SURVEY_ENV": "development", "SECRET_KEY": "changeme"}
    code, lines, _ = _doctor(env)
    assert lines["secret"] == "warn"
    assert code == 0


def test_secret_bits_tell_random_from_repeated() -> None:
    assert secret_bits("a" * 64) == 0
    assert secret_bits(STRONG) > 128


def test_an_empty_database_fails_the_schema_check(env: dict[str, str], fresh_url: str) -> None:
    env["DATABASE_URL"] = fresh_url
    code, lines, stdout = _doctor(env)
    assert code == 1
    assert lines["database"] == "ok" and lines["schema"] == "fail"
    assert "survey db upgrade" in stdout


def test_a_schema_behind_the_code_fails(env: dict[str, str], fresh_url: str) -> None:
    migrate.upgrade(fresh_url, "0008")
    env["DATABASE_URL"] = fresh_url
    code, lines, stdout = _doctor(env)
    assert code == 1 and lines["schema"] == "fail"
    assert f"database 0008, head {migrate.head_revision()}" in stdout


def test_an_unreachable_database_and_redis_fail(env: dict[str, str]) -> None:
    env |= {"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none", "REDIS_URL": NO_REDIS}
    code, lines, _ = _doctor(env)
    assert code == 1
    assert lines["database"] == "fail" and lines["redis"] == "fail"
    assert "schema" not in lines and "clock" not in lines


def test_a_data_folder_that_cannot_be_made_fails(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    env["SURVEY_DATA_DIR"] = str(tmp_path / "a-file" / "data")
    code, lines, _ = _doctor(env)
    assert code == 1 and lines["folders"] == "fail"


def test_a_configuration_error_is_one_failed_line(env: dict[str, str]) -> None:
    env["SURVEY_PORT"] = "eighty"
    checks = run_checks(env)
    assert [(c.name, c.status) for c in checks] == [("configuration", "fail")]
    assert "SURVEY_PORT" in checks[0].detail


def test_doctor_help() -> None:
    result = runner.invoke(app, ["doctor", "--help"])
    assert result.exit_code == 0 and "--database-url" in result.stdout


def test_ready_is_200_at_head_and_503_behind(database_url: str, fresh_url: str, tmp_path: Path) -> None:
    with lent_app(settings_for(database_url, tmp_path)) as web, TestClient(web) as client:
        response = client.get("/ready")
        assert response.status_code == 200
        assert response.json()["ready"] is True
        assert response.json()["schema_revision"] == migrate.head_revision()
    migrate.upgrade(fresh_url, "0008")
    with lent_app(settings_for(fresh_url, tmp_path)) as web, TestClient(web) as client:
        response = client.get("/ready")
        assert response.status_code == 503
        assert response.json()["schema_revision"] == "0008"
        assert "survey db upgrade" in response.json()["detail"]


def test_ready_does_not_show_the_database_error(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    with lent_app(settings_for(url, tmp_path)) as web, TestClient(web) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "127.0.0.1" not in response.text
