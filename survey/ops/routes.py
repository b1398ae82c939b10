"""``GET /ready`` (200 when the service may take traffic, 503 otherwise) and ``GET /metrics``."""

from __future__ import annotations

import msgspec
from litestar import Controller, get
from litestar.datastructures import State
from litestar.response import Response

from survey.metrics import MEDIA_TYPE, exposition
from survey.ops.readiness import readiness


class Ready(msgspec.Struct):
    """Readiness as JSON: ``ready`` and its parts, without anything that identifies a person."""

    ready: bool
    database: str
    schema_revision: str | None
    head_revision: str | None
    detail: str


class ReadyController(Controller):
    """Readiness for load balancers and the image's HEALTHCHECK (liveness stays at ``/health``)."""

    path = "/ready"
    tags = ["operations"]  # noqa: RUF012

    @get(sync_to_thread=True, summary="Readiness: database reachable and schema at head", cache=False)
    def ready(self, state: State) -> Response[Ready]:
        verdict = readiness(state.engine)
        body = Ready(
            verdict.ready, verdict.database, verdict.schema_revision, verdict.head_revision, verdict.detail
        )
        return Response(
            body, status_code=200 if verdict.ready else 503, headers={"Cache-Control": "no-store"}
        )


class MetricsController(Controller):
    """``GET /metrics`` in the Prometheus text format (block it at the proxy: it is for the monitoring)."""

    path = "/metrics"
    include_in_schema = False

    @get(cache=False)
    async def metrics(self) -> Response[bytes]:
        return Response(
            exposition(),
            media_type=MEDIA_TYPE,  # Litestar adds the charset
            headers={"Cache-Control": "no-store"},
        )
