"""The field tables come and go with migration 0002; the coordinator role with 0005."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from survey.store import migrate
from survey.store.db import make_engine
from tests.conftest import table_names

FIELD_TABLES = {"field_assignments", "field_quotas", "field_receipts", "field_manifest_entries"}
INSERT_USER = text(
    "INSERT INTO users (id, username, password_hash, role, display_name, active, created_at) "
    "VALUES (:id, :name, 'x', :role, '', true, CURRENT_TIMESTAMP)"
)


def test_field_tables_up_down_up(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) >= FIELD_TABLES
    migrate.downgrade(empty_database_url, "0001")
    assert not FIELD_TABLES & table_names(empty_database_url)
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) >= FIELD_TABLES


def _execute(url: str, statement: text, **params: object) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(statement, params)
    finally:
        engine.dispose()


def test_coordinator_role_up_down_keeps_users_and_devices(empty_database_url: str) -> None:
    url = empty_database_url
    migrate.upgrade(url, "0004")
    _execute(url, INSERT_USER, id=1, name="int", role="interviewer")
    _execute(url, text("INSERT INTO devices (user_id, label, token_hash, created_at) "
                       "VALUES (1, 't', 'h', CURRENT_TIMESTAMP)"))  # fmt: skip
    with pytest.raises(IntegrityError):
        _execute(url, INSERT_USER, id=2, name="early", role="coordinator")
    migrate.upgrade(url)
    _execute(url, INSERT_USER, id=2, name="coord", role="coordinator")
    with pytest.raises(IntegrityError):
        _execute(url, INSERT_USER, id=3, name="x", role="superuser")
    with pytest.raises(RuntimeError, match="coordinator account"):
        migrate.downgrade(url, "0004")
    _execute(url, text("DELETE FROM users WHERE id = 2"))
    migrate.downgrade(url, "0004")
    with pytest.raises(IntegrityError):
        _execute(url, INSERT_USER, id=2, name="late", role="coordinator")
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM devices WHERE user_id = 1")).scalar() == 1
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    migrate.upgrade(url)
