"""Readiness: the database answers and its schema is at this version's head revision.

Why separate from liveness (``/health``): a process can be alive while it must not get traffic
(during a migration, or while the database is away); a load balancer or ``docker compose`` asks
``/ready`` before sending requests, and the image's HEALTHCHECK asks the same endpoint, so the
container, the proxy and ``survey doctor`` judge readiness by one function.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from survey.store.errors import first_line
from survey.store.migrate import current_revision, head_revision


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
    """Check the database with one round trip and the schema revision with another."""
    head = head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except Exception as exc:  # any driver error means the same to a load balancer: not ready
        return Readiness(False, "unreachable", None, head, "database unreachable", first_line(exc))
    if revision == head:
        return Readiness(True, "ok", revision, head, f"schema at {head}")
    if revision is None:
        return Readiness(False, "ok", None, head, "the database has no schema: run survey db upgrade")
    return Readiness(
        False, "ok", revision, head, f"schema at {revision}, this version needs {head}: run survey db upgrade"
    )
