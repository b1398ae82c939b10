"""Schema changes only through Alembic: these helpers back ``survey db upgrade|downgrade|current``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the packaged migrations, no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the schema down to ``revision`` (``base`` drops every table)."""
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    """The newest migration shipped with this code."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def reachable_revision(engine: Engine) -> tuple[bool, str | None]:
    """Whether the database answers a query, and the revision it is at (health checks ask both).

    Any failure reads as unreachable: a health check reports it rather than raising.
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True, current_revision(engine)
    except Exception:
        return False, None
