"""The field tables come and go with migration 0002 and match their mapped classes."""

from __future__ import annotations

import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

import field_app.models  # noqa: F401  (registers the field tables on Base.metadata)
from survey.store import migrate
from survey.store.db import make_engine
from survey.store.models import Base
from tests.conftest import POSTGRES_URL

FIELD_TABLES = {"field_assignments", "field_quotas", "field_receipts", "field_manifest_entries"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"test_fmig_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_field_tables_up_down_up(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    assert _tables(empty_url) >= FIELD_TABLES
    migrate.downgrade(empty_url, "0001")
    assert not FIELD_TABLES & _tables(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) <= {"alembic_version"}
    migrate.upgrade(empty_url)
    assert _tables(empty_url) >= FIELD_TABLES


def test_field_models_match_migration(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
