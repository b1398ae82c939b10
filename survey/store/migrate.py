"""Schema changes only through Alembic: these helpers back ``survey db upgrade|downgrade|current``.

Alembic is imported in each helper, not at the top: it loads Mako and Pygments, and every server
process imports this module (the health check reads the revision) long before, if ever, it needs them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the packaged migrations, no alembic.ini needed."""
    from alembic.config import Config  # noqa: PLC0415  (see the module's docstring)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    from alembic import command  # noqa: PLC0415

    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the schema down to ``revision`` (``base`` drops every table)."""
    from alembic import command  # noqa: PLC0415

    command.downgrade(alembic_config(database_url), revision)


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest migration shipped with this code (read once per process: the health check asks for
    it on every call, and the scripts shipped cannot change under a running process)."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

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
