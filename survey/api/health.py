"""Health endpoint for load balancers and compose health checks."""

from __future__ import annotations

import msgspec
from litestar import Controller, get
from litestar.datastructures import State
from litestar.response import Response

from survey import __version__
from survey.store.migrate import head_revision, reachable_revision


class Submissions(msgspec.Struct):
    """This worker's group commits since it started (each worker process has its own)."""

    batches: int
    responses: int
    largest_batch: int
    failed_batches: int
    retried_alone: int  # responses of batches the database refused, written one by one


class Health(msgspec.Struct):
    """Whether the app can reach its database and the schema is at the shipped revision."""

    status: str
    version: str
    database: str
    schema_revision: str | None
    schema_current: bool
    submissions: Submissions


class HealthController(Controller):
    """``GET /health``: 200 when healthy, 503 otherwise (the body says which part failed)."""

    path = "/health"
    tags = ["operations"]  # noqa: RUF012

    @get(sync_to_thread=True, summary="Service health")
    def health(self, state: State) -> Response[Health]:
        reachable, revision = reachable_revision(state.engine)
        database = "ok" if reachable else "unreachable"
        current = revision is not None and revision == head_revision()
        healthy = database == "ok" and current
        stats = state.submission_batcher.stats
        submissions = Submissions(
            stats.batches, stats.responses, stats.largest_batch, stats.failed_batches, stats.retried_alone
        )
        body = Health("ok" if healthy else "degraded", __version__, database, revision, current, submissions)
        return Response(body, status_code=200 if healthy else 503)
