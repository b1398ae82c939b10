"""Prometheus metrics: requests by route template and status, latency, rate-limit refusals, submissions.

Nothing here identifies a person: labels are the route *template* (``/c/{slug:str}``, never the
filled-in path), the method and the status; a path that matched no route is counted as
``unmatched`` so a scanner cannot grow the label set.

Processes: each worker of ``survey serve --workers N`` counts on its own. When the environment
variable ``PROMETHEUS_MULTIPROC_DIR`` names an empty folder (set before the server starts),
prometheus_client keeps the HTTP counters in files there and ``/metrics`` reports all workers
together; the group-commit figures are then those of the worker that answered.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from survey.store.services.intake import WriterStats

disable_created_metrics()  # the *_created series double the output and say nothing an operator uses
REGISTRY = CollectorRegistry(auto_describe=True)
MEDIA_TYPE = "text/plain; version=0.0.4"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "unmatched"

REQUESTS = Counter(
    "survey_http_requests", "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"], registry=REGISTRY,
)  # fmt: skip
LATENCY = Histogram(
    "survey_http_request_duration_seconds", "Time from request to the end of the response, by route template.",
    ["method", "route"], buckets=BUCKETS, registry=REGISTRY,
)  # fmt: skip
RATE_LIMITED = Counter(
    "survey_rate_limit_refusals", "Requests refused with 429 (rate limit or sign-in throttle), by route template.",
    ["route"], registry=REGISTRY,
)  # fmt: skip


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request (called once per response by :mod:`survey.ops.observe`)."""
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    if status == 429:
        RATE_LIMITED.labels(route).inc()


class WriterCollector(Collector):
    """The online group-commit writer's figures (kept by :class:`WriterStats`), read at scrape time."""

    def __init__(self, stats: WriterStats) -> None:
        self.stats = stats

    def collect(self) -> list[Metric]:
        s = self.stats
        stored = CounterMetricFamily(
            "survey_submissions_stored", "Online responses stored by this worker's group commits."
        )
        stored.add_metric([], s.responses)
        batches = CounterMetricFamily("survey_group_commit_batches", "Group commits made.")
        batches.add_metric([], s.batches)
        failed = CounterMetricFamily(
            "survey_group_commit_failed_batches",
            "Group commits the database refused (then written one by one).",
        )
        failed.add_metric([], s.failed_batches)
        alone = CounterMetricFamily(
            "survey_group_commit_retried_alone", "Responses of refused group commits, written one by one."
        )
        alone.add_metric([], s.retried_alone)
        largest = GaugeMetricFamily("survey_group_commit_largest_batch", "Largest group commit so far.")
        largest.add_metric([], s.largest_batch)
        return [stored, batches, failed, alone, largest]


def exposition(stats: WriterStats) -> bytes:
    """The text format for ``GET /metrics``."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        MultiProcessCollector(shared)
        http = generate_latest(shared)
    else:
        http = generate_latest(REGISTRY)
    writer = CollectorRegistry()
    writer.register(WriterCollector(stats))
    return http + generate_latest(writer)
