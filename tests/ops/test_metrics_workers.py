"""``/metrics`` of ``survey serve --workers 2`` adds up every worker, without PROMETHEUS_MULTIPROC_DIR set.

Submissions go out on new connections, so the kernel spreads them over both workers (each worker's
``/health`` shows its own share); then every scrape, whichever worker answers it, must report the
totals of both.
"""

from __future__ import annotations

import os
import urllib.request
import uuid
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import valid_answers
from tests.served import get_json, post_json, survey_serve

SENT = 24


def _scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(base + "/metrics", timeout=10) as reply:  # a new connection each time
        text = reply.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_add_up_across_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)  # the server must set it up itself
    with survey_serve(tmp_path) as served:
        path = served.responses_path
        for _ in range(SENT):
            payload = {"uuid": str(uuid.uuid4()), "version_id": served.version_id,
                       "language": "fr", "answers": valid_answers()}  # fmt: skip
            assert post_json(served.base + path, payload) == 201
        per_worker = {get_json(f"{served.base}/health")["submissions"]["responses"] for _ in range(30)}
        assert 0 not in per_worker, per_worker  # both workers stored some
        assert sum(per_worker) == SENT or per_worker == {SENT // 2}, per_worker
        route = next(
            dict(labels)["route"]
            for (name, labels) in _scrape(served.base)
            if name == "survey_http_requests_total" and dict(labels)["route"].endswith("/responses")
        )
        created = (("method", "POST"), ("route", route), ("status", "201"))
        for _ in range(10):  # new connections: scrapes reach both workers
            samples = _scrape(served.base)
            assert samples[("survey_submissions_stored_total", ())] == SENT
            assert samples[("survey_group_commit_size_sum", ())] == SENT
            assert samples[("survey_http_requests_total", created)] == SENT
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
