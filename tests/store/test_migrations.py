"""Alembic is the only way the schema is made: up to head and back to base on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from survey.store import migrate
from survey.store.db import make_engine
from survey.store.models import Base
from tests.conftest import table_names


def test_upgrade_to_head_and_down_to_base(empty_database_url: str) -> None:
    assert table_names(empty_database_url) == set()
    migrate.upgrade(empty_database_url)
    expected = {t.name for t in Base.metadata.sorted_tables}
    assert expected <= table_names(empty_database_url)
    engine = make_engine(empty_database_url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert expected <= table_names(empty_database_url)


def test_models_and_migrations_agree(database_url: str) -> None:
    """A model change without a migration fails here, before it reaches production."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
