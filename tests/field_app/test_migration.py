"""The field tables come and go with migration 0002 (model/migration agreement: tests/store)."""

from __future__ import annotations

from survey.store import migrate
from tests.conftest import table_names

FIELD_TABLES = {"field_assignments", "field_quotas", "field_receipts", "field_manifest_entries"}


def test_field_tables_up_down_up(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) >= FIELD_TABLES
    migrate.downgrade(empty_database_url, "0001")
    assert not FIELD_TABLES & table_names(empty_database_url)
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) >= FIELD_TABLES
