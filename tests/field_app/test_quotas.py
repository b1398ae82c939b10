"""Quota cells over one question or crossed over several (age × education style), server side."""

from __future__ import annotations

from tests.field_app.conftest import SLUG, FieldEnv, basic, login
from tests.field_app.test_api import auth, interview, sync

URL = f"/field/api/admin/consultations/{SLUG}/quotas"


def test_crossed_cells_count_responses_having_every_answer(client, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    cells = [
        {"variable": "sex", "category": "F", "target": 5},
        {"variable": "sex:votes", "category": "F:yes", "target": 2},
        {"variable": "sex:votes", "category": "M:yes", "target": 2},
        {"variable": "sex:votes", "category": "M:no", "target": 1},
    ]
    assert client.put(URL, json=cells, headers=basic("ana")).status_code == 200
    sync(client, token, [
        interview(field_env),
        interview(field_env),
        interview(field_env, answers={"sex": "M", "age": 30, "votes": "no"}),
        interview(field_env, answers={"sex": "M", "age": 17}),  # no vote: in no crossed cell
    ])  # fmt: skip
    quotas = client.get(f"/field/api/consultations/{SLUG}/quotas", headers=auth(token)).json()
    got = {(q["variable"], q["category"]): (q["done"], q["target"]) for q in quotas}
    assert got == {
        ("sex", "F"): (2, 5),
        ("sex:votes", "F:yes"): (2, 2),
        ("sex:votes", "M:yes"): (0, 2),
        ("sex:votes", "M:no"): (1, 1),
    }


def test_bad_crossed_cells_are_refused_with_every_reason(client, field_env: FieldEnv) -> None:
    bad = [
        {"variable": "sex:votes", "category": "F", "target": 1},
        {"variable": "sex:age", "category": "F:40", "target": 1},
        {"variable": "sex:sex", "category": "F:M", "target": 1},
        {"variable": "sex:votes", "category": "X:yes", "target": -1},
    ]
    response = client.put(URL, json=bad, headers=basic("ana"))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "2 questions but 1 categories" in detail
    assert "'40' is not a choice of the single-choice question 'age'" in detail
    assert "a question appears twice" in detail
    assert "'X' is not a choice" in detail and "target must be between 0 and 2147483647" in detail
    twice = [{"variable": "sex", "category": "F", "target": 1}] * 2
    assert "listed twice" in client.put(URL, json=twice, headers=basic("ana")).json()["detail"]
