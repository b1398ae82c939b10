"""Prometheus metrics: requests, latency, rate-limit refusals, submissions and group commits, tablet
sync items, weighting runs.

Nothing here identifies a person: labels are the route *template* (``/c/{slug:str}``, never the
filled-in path), the method, the status, a sync item's result, a weighting method; a path that
matched no route is counted as ``unmatched`` so a scanner cannot grow the label set. Every label
takes values from a short fixed list.

This module imports nothing of the application, so the store, the field app and the analysis
services can count what they do without an import cycle.

Processes: ``survey serve --workers N`` points ``PROMETHEUS_MULTIPROC_DIR`` at a folder of its own
before it starts the workers; prometheus_client then keeps every worker's counts in files there and
``/metrics`` (whichever worker answers) adds them up. A single process counts in memory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

# The *_created series double the output and say nothing an operator uses.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
MEDIA_TYPE = "text/plain; version=0.0.4"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 500)
WEIGHTING_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
UNMATCHED = "unmatched"
SYNC_RESULTS = ("stored", "duplicate", "conflict", "invalid")
WEIGHTING_METHODS = ("rake", "poststratify", "linear", "logit", "raking")
OTHER = "other"

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
STORED = Counter(
    "survey_submissions_stored", "Online responses stored by the group commits.", registry=REGISTRY
)
BATCH_SIZE = Histogram(
    "survey_group_commit_size", "Responses stored per group commit (one transaction).",
    buckets=BATCH_BUCKETS, registry=REGISTRY,
)  # fmt: skip
FAILED_BATCHES = Counter(
    "survey_group_commit_failed_batches",
    "Group commits that failed: refused by the database (then written one by one) or database unavailable.",
    ["reason"], registry=REGISTRY,
)  # fmt: skip
RETRIED_ALONE = Counter(
    "survey_group_commit_retried_alone", "Responses of refused group commits, written one by one.",
    registry=REGISTRY,
)  # fmt: skip
SYNC_ITEMS = Counter(
    "survey_sync_items", "Tablet items answered by sync, import or OpenRosa, by result.",
    ["result"], registry=REGISTRY,
)  # fmt: skip
WEIGHTING_RUNS = Histogram(
    "survey_weighting_run_seconds", "Weighting runs (count and duration), by method and outcome.",
    ["method", "outcome"], buckets=WEIGHTING_BUCKETS, registry=REGISTRY,
)  # fmt: skip


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request (called once per response by :mod:`survey.http.observe`)."""
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    if status == 429:
        RATE_LIMITED.labels(route).inc()


def observe_group_commit(size: int) -> None:
    """One committed group of ``size`` responses."""
    STORED.inc(size)
    BATCH_SIZE.observe(size)


def observe_failed_group_commit(size: int, *, refused: bool) -> None:
    """A group commit the database refused (its responses are then tried one by one) or could not take."""
    FAILED_BATCHES.labels("refused" if refused else "unavailable").inc()
    if refused:
        RETRIED_ALONE.inc(size)


def observe_sync_results(results: Iterable[str]) -> None:
    """The results of one sync request's items (a status outside the known ones counts as ``other``)."""
    for result in results:
        SYNC_ITEMS.labels(result if result in SYNC_RESULTS else OTHER).inc()


@contextmanager
def weighting_run(method: str) -> Iterator[None]:
    """Time one weighting run; an exception counts it as ``failed`` (and goes on)."""
    label = method if method in WEIGHTING_METHODS else OTHER
    started = time.perf_counter()
    outcome = "failed"
    try:
        yield
        outcome = "ok"
    finally:
        WEIGHTING_RUNS.labels(label, outcome).observe(time.perf_counter() - started)


def exposition() -> bytes:
    """The text format for ``GET /metrics``: every worker's counts when served by ``survey serve``."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        MultiProcessCollector(shared)  # type: ignore[no-untyped-call]
        return generate_latest(shared)
    return generate_latest(REGISTRY)
