"""Readiness: the database answers and its schema is at this version's head revision.

Why separate from liveness (``/health``): a process can be alive while it must not get traffic
(during a migration, or while the database is away); a load balancer or ``docker compose`` asks
``/ready`` before sending requests, and the image's HEALTHCHECK asks the same endpoint, so the
container, the proxy and ``survey doctor`` judge readiness by one function.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, inspect, text

from survey.store.errors import first_line
from survey.store.migrate import head_revision

SCHEMA_TABLE = "alembic_version"


@lru_cache(maxsize=1)
def _head() -> str | None:
    """The shipped head, read from the migration scripts once per process (it cannot change)."""
    return head_revision()


@dataclass(frozen=True)
class Readiness:
    """The verdict and its parts; ``detail`` says in one line what to do when not ready."""

    ready: bool
    database: str  # "ok" or "unreachable"
    schema_revision: str | None
    head_revision: str | None
    detail: str
    error: str = ""  # the driver's words when unreachable: for the operator's terminal, never served


def readiness(engine: Engine) -> Readiness:
    """Check that the database answers and read its schema revision."""
    head = _head()
    try:
        with engine.connect() as connection:
            # Read directly: Alembic's MigrationContext logs two INFO lines per call, every 10 s.
            revision = (
                connection.scalar(text(f"SELECT version_num FROM {SCHEMA_TABLE}"))
                if inspect(connection).has_table(SCHEMA_TABLE)
                else None
            )
    except Exception as exc:  # any driver error means the same to a load balancer: not ready
        return Readiness(False, "unreachable", None, head, "database unreachable", first_line(exc))
    if revision == head:
        return Readiness(True, "ok", revision, head, f"schema at {head}")
    if revision is None:
        return Readiness(False, "ok", None, head, "the database has no schema: run survey db upgrade")
    return Readiness(
        False, "ok", revision, head, f"schema at {revision}, this version needs {head}: run survey db upgrade"
    )
