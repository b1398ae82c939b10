"""Secrets handed over as files (Docker and Kubernetes secrets) instead of variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from survey.settings import SECRET_FILES, ConfigurationError, load_settings
from tests.entry_point import run_survey


def test_each_secret_is_read_from_its_file(tmp_path: Path) -> None:
    key = tmp_path / "secret_key"
    key.write_text("k" * 48 + "\n", encoding="utf-8")
    password = tmp_path / "pg_password"
    password.write_text("p@ss:w/rd ü\r\n", encoding="utf-8")
    settings = load_settings(
        {
            "SECRET_KEY_FILE": str(key),
            "POSTGRES_HOST": "db",
            "POSTGRES_USER": "survey",
            "POSTGRES_PASSWORD_FILE": str(password),
            "POSTGRES_DB": "survey",
        }
    )
    assert settings.secret_key == "k" * 48  # the trailing newline an editor adds is dropped
    url = make_url(settings.database_url)
    assert url.password == "p@ss:w/rd ü" and url.host == "db" and url.database == "survey"
    assert set(SECRET_FILES) >= {"SECRET_KEY", "DATABASE_URL", "POSTGRES_PASSWORD", "REDIS_URL"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SECRET_KEY": "x" * 40, "SECRET_KEY_FILE": "{file}"},
            "SECRET_KEY and SECRET_KEY_FILE are both set",
        ),
        ({"REDIS_URL_FILE": "{missing}"}, "REDIS_URL_FILE: cannot read"),
        ({"DATABASE_URL_FILE": "{empty}"}, "DATABASE_URL_FILE: "),
    ],
    ids=["both", "missing", "empty"],
)
def test_a_bad_secret_file_is_named(tmp_path: Path, env: dict[str, str], message: str) -> None:
    (tmp_path / "file").write_text("value", encoding="utf-8")
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    paths = {"file": tmp_path / "file", "missing": tmp_path / "nope", "empty": tmp_path / "empty"}
    with pytest.raises(ConfigurationError, match=message):
        load_settings({k: v.format(**paths) for k, v in env.items()})


def test_doctor_says_which_file_it_cannot_read(tmp_path: Path) -> None:
    done = run_survey(
        "doctor",
        env={
            "SECRET_KEY_FILE": str(tmp_path / "absent"),
            "SURVEY_DATA_DIR": str(tmp_path),
            "SECRET_KEY": None,
        },
    )
    assert done.returncode != 0
    assert "SECRET_KEY_FILE: cannot read" in done.stdout + done.stderr and "Traceback" not in done.stderr
