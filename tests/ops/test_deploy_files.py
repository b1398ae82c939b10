"""The deployment files agree with the code (no Docker engine runs here, so they are read as text).

compose.yaml may only set variables the settings read, every variable the settings read is
documented (settings.py's table and docs/operations.md), the image and compose ask /ready, the
image carries what PDF reports and backups need, and the database password needs no escaping.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.engine import make_url

from survey.cli.serve_worker import DRAIN_SECONDS, STOP_SECONDS
from survey.metrics import REGISTRY
from survey.settings import load_settings
from survey.store.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (ROOT / "survey" / "settings.py").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()


def _read_by_settings() -> set[str]:
    names = set(re.findall(r'env(?:\.get\(|\[)"([A-Z][A-Z0-9_]+)"', SETTINGS))
    names |= set(re.findall(r'_int\(env, "([A-Z][A-Z0-9_]+)"', SETTINGS))
    return names


def _app_services() -> dict[str, dict[str, object]]:
    """The services built from this repository (the others are stock images with their own variables)."""
    return {name: spec for name, spec in COMPOSE["services"].items() if "build" in spec}


def test_the_settings_read_what_their_table_says() -> None:
    read = _read_by_settings()
    assert {"DATABASE_URL", "SECRET_KEY", "SURVEY_DATA_DIR", "POSTGRES_PASSWORD", "REDIS_URL"} <= read
    table = SETTINGS.split('"""')[1]
    assert sorted(n for n in read if n not in table) == []


def test_compose_sets_only_variables_the_settings_read() -> None:
    services = _app_services()
    assert services
    for name, spec in services.items():
        environment = spec["environment"]
        assert isinstance(environment, dict)
        assert sorted(set(environment) - _read_by_settings()) == [], name


def test_every_variable_is_documented_in_the_operators_guide() -> None:
    assert sorted(n for n in _read_by_settings() if f"`{n}`" not in OPERATIONS) == []


def test_every_service_restarts_and_the_app_is_judged_ready_by_slash_ready() -> None:
    for name, spec in COMPOSE["services"].items():
        assert spec.get("restart") in ("unless-stopped", "always"), name
    for spec in _app_services().values():
        assert "/ready" in " ".join(spec["healthcheck"]["test"])  # type: ignore[index]
        assert any(str(v).endswith(":/app/var") for v in spec["volumes"])  # type: ignore[attr-defined]
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (.*)$", DOCKERFILE, re.MULTILINE | re.DOTALL)
    assert healthcheck and "/ready" in healthcheck.group(1)


def test_the_image_can_render_pdfs_back_up_and_write_its_data_folder_as_non_root() -> None:
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "fonts-dejavu-core",
        "fonts-liberation",
        "postgresql-client",
    ):
        assert package in DOCKERFILE, package
    assert re.search(r"chown app:app /app/var", DOCKERFILE)
    assert re.search(r"^USER app$", DOCKERFILE, re.MULTILINE)
    assert "SURVEY_DATA_DIR=/app/var" in DOCKERFILE


@pytest.mark.parametrize("password", ["p@ss:w/o%rd#?", "plain", "with space&and=signs"])
def test_the_database_url_from_postgres_parts_encodes_any_password(
    password: str, postgresql_database: str
) -> None:
    server = make_url(postgresql_database)
    settings = load_settings(
        {
            "POSTGRES_HOST": str(server.host), "POSTGRES_PORT": str(server.port or 5432),
            "POSTGRES_USER": str(server.username), "POSTGRES_PASSWORD": password,
            "POSTGRES_DB": str(server.database), "SURVEY_DATA_DIR": "/tmp",
        }
    )  # fmt: skip
    url = make_url(settings.database_url)
    assert (url.password, url.host, url.database) == (password, server.host, server.database)
    engine = make_engine(settings.database_url)  # the local server trusts; the URL must still parse
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT current_database()")) == server.database
    engine.dispose()


def test_an_explicit_database_url_wins_over_the_parts() -> None:
    settings = load_settings({"DATABASE_URL": "sqlite:////tmp/x.sqlite3", "POSTGRES_HOST": "db"})
    assert settings.database_url == "sqlite:////tmp/x.sqlite3"


def test_every_metric_is_described_in_the_operators_guide() -> None:
    """An operator reads what to watch in docs/operations.md: a metric added without a line there fails."""
    names = {family.name for family in REGISTRY.collect()}
    assert {"survey_sync_items", "survey_weighting_run_seconds", "survey_group_commit_size"} <= names
    assert sorted(n for n in names if f"`{n}" not in OPERATIONS) == []


def test_compose_waits_for_the_server_to_finish_its_requests_before_killing_it() -> None:
    for name, spec in _app_services().items():
        grace = re.fullmatch(r"(\d+)s", str(spec.get("stop_grace_period", "10s")))
        assert grace and int(grace.group(1)) > STOP_SECONDS + DRAIN_SECONDS, name
