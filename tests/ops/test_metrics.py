"""``/metrics`` (Prometheus text) and the request id on responses and log lines, through the real app.

Counters are process-wide (one registry per worker), so each test compares values before and after
what it does.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from litestar import Litestar, get
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from survey.app import create_app
from survey.demo.load import SLUG, _answers
from survey.demo.population import load_population_table
from survey.demo.sample import generate_sample
from survey.http.observe import observed
from survey.store.db import make_engine, session_factory
from survey.store.models import Consultation, QuestionnaireVersion
from tests.app_pool import lent_app
from tests.ops.conftest import settings_for

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of ``/metrics``, keyed by name and sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_route_template_never_by_filled_in_path(
    database_url: str, tmp_path: Path
) -> None:
    with lent_app(settings_for(database_url, tmp_path)) as app, TestClient(app) as client:
        before = _samples(client)
        for slug in ("first-unknown-consultation", "second-unknown-consultation"):
            assert client.get(f"/c/{slug}").status_code == 404
        client.get("/no/such/page/at/all")
        client.get("/ready")
        after = _samples(client)
        text = client.get("/metrics").text
    routes = {labels for (name, labels) in after if name == "survey_http_requests_total"}
    # Exactly the consultation page's template: other /c/{slug}/... routes may already be counted by
    # earlier tests in this process (the registry is the process's own).
    template = next(
        dict(labels)["route"]
        for labels in routes
        if re.fullmatch(r"/c/\{slug(:str)?\}", dict(labels)["route"])
    )
    key = {"method": "GET", "route": template, "status": "404"}
    assert (
        _value(after, "survey_http_requests_total", **key)
        - _value(before, "survey_http_requests_total", **key)
        == 2
    )
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert _value(after, "survey_http_requests_total", **unmatched) > _value(
        before, "survey_http_requests_total", **unmatched
    )
    ready = {"method": "GET", "route": "/ready"}
    assert _value(after, "survey_http_request_duration_seconds_count", **ready) > _value(
        before, "survey_http_request_duration_seconds_count", **ready
    )
    assert "first-unknown-consultation" not in text and "/no/such/page" not in text


def test_submissions_stored_are_counted(demo_url: str, tmp_path: Path) -> None:
    engine = make_engine(demo_url)
    with session_factory(engine)() as session:
        version_id = session.scalar(
            select(QuestionnaireVersion.id)
            .join(Consultation, Consultation.id == QuestionnaireVersion.consultation_id)
            .where(Consultation.slug == SLUG)
            .order_by(QuestionnaireVersion.number.desc())
        )
    engine.dispose()
    sample = generate_sample(load_population_table(), n_online=3, n_field=0, seed=5)
    with lent_app(settings_for(demo_url, tmp_path)) as app, TestClient(app) as client:
        before_all = _samples(client)
        before = _value(before_all, "survey_submissions_stored_total")
        for _, row in sample.iterrows():
            body = {
                "uuid": str(uuid.uuid4()),
                "version_id": version_id,
                "language": "fr",
                "answers": _answers(row),
            }
            reply = client.post(f"/api/consultations/{SLUG}/responses", json=body)
            assert reply.status_code == 201, reply.text
        after = _samples(client)
    assert _value(after, "survey_submissions_stored_total") - before == 3
    # One group commit per request here (each waits for its acknowledgement): sizes add up to 3.
    for name, gained in (("survey_group_commit_size_sum", 3), ("survey_group_commit_size_count", 3)):
        assert _value(after, name) - _value(before_all, name) == gained, name


def test_rate_limit_refusals_are_counted(database_url: str, tmp_path: Path, sessions) -> None:
    with lent_app(settings_for(database_url, tmp_path)) as app, TestClient(app) as client:
        before = _samples(client)
        statuses = []
        for _ in range(8):
            token = CSRF.search(client.get("/analyst/login").text).group(1)  # type: ignore[union-attr]
            reply = client.post(
                "/analyst/login",
                data={"csrf_token": token, "username": "nobody", "password": "wrong-password"},
                follow_redirects=False,
            )
            statuses.append(reply.status_code)
        after = _samples(client)
    refused = statuses.count(429)
    assert refused >= 1, statuses
    gained = sum(
        value - before.get(key, 0.0)
        for key, value in after.items()
        if key[0] == "survey_rate_limit_refusals_total"
    )
    assert gained == refused


def test_every_response_carries_a_request_id_and_keeps_a_proxys(database_url: str, tmp_path: Path) -> None:
    with lent_app(settings_for(database_url, tmp_path)) as app, TestClient(app) as client:
        ids = {client.get(path).headers["x-request-id"] for path in ("/ready", "/ready", "/no/such/page")}
        assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
        assert (
            client.get("/ready", headers={"X-Request-ID": "proxy-abc-123"}).headers["x-request-id"]
            == "proxy-abc-123"
        )
        replaced = client.get("/ready", headers={"X-Request-ID": "bad id <script>"}).headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", replaced)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_log_lines_written_during_a_request_carry_its_id() -> None:
    @get("/work", sync_to_thread=True)
    def work() -> str:
        logging.getLogger("tests.ops").warning("working")
        return "done"

    collect = _Collect()
    root = logging.getLogger()
    root.addHandler(collect)
    try:
        app = observed(Litestar([work], logging_config=None))

        async def call() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
                return await http.get("/work")

        with ThreadPoolExecutor(max_workers=1) as pool:  # its own event loop, whatever this thread runs
            response = pool.submit(asyncio.run, call()).result()
        logging.getLogger("tests.ops").warning("outside any request")
    finally:
        root.removeHandler(collect)
    inside = [r for r in collect.records if r.getMessage() == "working"]
    outside = [r for r in collect.records if r.getMessage() == "outside any request"]
    assert [r.request_id for r in inside] == [response.headers["x-request-id"]]  # type: ignore[attr-defined]
    assert not hasattr(outside[0], "request_id")


@get("/ops-test-fault", sync_to_thread=False)
def fault() -> str:
    raise RuntimeError("deliberate fault for the request-id test")


def test_an_internal_error_shows_the_request_id_as_its_reference(database_url: str, tmp_path: Path) -> None:
    app = create_app(settings_for(database_url, tmp_path))
    app.register(fault)
    with TestClient(app, raise_server_exceptions=False) as client:
        reply = client.get("/ops-test-fault", headers={"accept": "application/json"})
        assert reply.status_code == 500
        assert f"reference {reply.headers['x-request-id']}" in reply.json()["detail"]
        page = client.get(
            "/ops-test-fault", headers={"accept": "text/html", "X-Request-ID": "support-case-0042"}
        )
        assert page.status_code == 500 and page.headers["x-request-id"] == "support-case-0042"
        assert "support-case-0042" in page.text


@get("/ops-test-locked", sync_to_thread=False)
def locked() -> str:
    raise OperationalError(
        "UPDATE field_adaptive_plans ...", {}, sqlite3.OperationalError("database is locked")
    )


def test_a_busy_or_unreachable_database_is_a_503_to_retry_not_a_500(
    database_url: str, tmp_path: Path
) -> None:
    """SQLite's lock held past the busy timeout, or a cut PostgreSQL connection: the request's transaction
    was rolled back, so the client is told to retry (Retry-After) instead of an internal error."""
    app = create_app(settings_for(database_url, tmp_path))
    app.register(locked)
    with TestClient(app, raise_server_exceptions=False) as client:
        reply = client.get("/ops-test-locked", headers={"accept": "application/json"})
        assert reply.status_code == 503 and reply.headers["retry-after"] == "5"
        assert "nothing was stored, retry shortly" in reply.text and "database is locked" not in reply.text
