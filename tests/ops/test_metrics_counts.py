"""What the field app and the analysis count in ``/metrics``: tablet sync items by result, weighting runs.

Counters are process-wide, so each test compares the values before and after what it does.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.demo.load import SLUG
from survey.metrics import exposition
from survey.store.db import make_engine, session_factory
from tests.field_app.conftest import FieldEnv, client, field_env, login  # noqa: F401 - fixtures
from weighting.errors import WeightingError

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _samples(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _gained(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def _item(env: FieldEnv, item_uuid: str, age: int = 40) -> dict[str, Any]:
    return {
        "uuid": item_uuid, "consultation": env.slug, "version_id": env.version_id, "language": "en",
        "answers": {"sex": "F", "age": age, "votes": "yes"}, "started_at": "2026-11-23T10:00:00Z",
        "submitted_at": "2026-11-23T10:07:00Z", "client_hash": "h-" + uuid.uuid4().hex[:8],
    }  # fmt: skip


def test_sync_items_are_counted_by_result(client: TestClient, field_env: FieldEnv) -> None:  # noqa: F811
    token = login(client)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    first = str(uuid.uuid4())
    before = _samples(client.get("/metrics").text)
    batches = [
        [_item(field_env, first), _item(field_env, str(uuid.uuid4()))],  # two stored
        [_item(field_env, first)],  # the same again: a duplicate
        [_item(field_env, first, age=41)],  # the same UUID with other answers: a conflict
        [_item(field_env, "not-a-uuid")],  # invalid
    ]
    statuses = []
    for items in batches:
        reply = client.post("/field/api/sync", json={"items": items}, headers=headers)
        assert reply.status_code == 200, reply.text
        statuses += [r["status"] for r in reply.json()["results"]]
    assert statuses == ["stored", "stored", "duplicate", "conflict", "invalid"]
    after = _samples(client.get("/metrics").text)
    gained = {
        result: _gained(before, after, "survey_sync_items_total", result=result)
        for result in ("stored", "duplicate", "conflict", "invalid")
    }
    assert gained == {"stored": 2, "duplicate": 1, "conflict": 1, "invalid": 1}
    assert first not in client.get("/metrics").text  # no UUID, device or account in any label


def test_weighting_runs_are_counted_with_their_duration_and_outcome(demo_url: str) -> None:
    engine = make_engine(demo_url)
    with session_factory(engine)() as session:
        context = load_context(session, SLUG)
    engine.dispose()
    before = _samples(exposition().decode())
    analysis = run_analysis(context, WeightingSpec(method="rake"))
    assert analysis.final.method == "rake" and analysis.final.converged
    with pytest.raises(WeightingError, match="no_such_margin"):
        run_analysis(context, WeightingSpec(method="rake", variables=("no_such_margin",)))
    after = _samples(exposition().decode())
    ok = {"method": "rake", "outcome": "ok"}
    failed = {"method": "rake", "outcome": "failed"}
    assert _gained(before, after, "survey_weighting_run_seconds_count", **ok) == 1
    assert _gained(before, after, "survey_weighting_run_seconds_sum", **ok) > 0
    assert _gained(before, after, "survey_weighting_run_seconds_count", **failed) == 1
