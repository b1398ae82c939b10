"""Stable machine-readable codes beside the English detail, on refusals and on refused items."""

from __future__ import annotations

from tests.field_app.conftest import PASSWORD, FieldEnv, basic, login
from tests.field_app.test_api import auth, interview, sync


def test_refusals_carry_a_code_and_keep_status_and_detail(client, field_env: FieldEnv) -> None:
    body = login(client)
    missing = client.post("/field/api/sync", json={"items": []})
    assert (missing.status_code, missing.json()["code"]) == (401, "token_missing")
    unknown = sync(client, "made-up", [])
    assert (unknown.status_code, unknown.json()["code"]) == (401, "device_unknown")
    wrong = client.post("/field/api/login", json={"username": "int1", "password": "nope"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "login_failed")
    analyst = client.post("/field/api/login", json={"username": "ana", "password": PASSWORD})
    assert (analyst.status_code, analyst.json()["code"]) == (401, "login_failed")
    too_many = sync(client, body["token"], [interview(field_env) for _ in range(501)])
    assert (too_many.status_code, too_many.json()["code"]) == (400, "batch_too_large")
    shapeless = client.post("/field/api/sync", json={"items": {}}, headers=auth(body["token"]))
    assert (shapeless.status_code, shapeless.json()["code"]) == (422, "invalid_request")
    version = client.get("/field/api/versions/999999", headers=auth(body["token"]))
    assert (version.status_code, version.json()["code"]) == (404, "not_assigned")

    client.post(f"/field/api/admin/devices/{body['device_id']}/revoke", headers=basic("boss"))
    revoked = sync(client, body["token"], [interview(field_env)])
    assert revoked.status_code == 403
    assert revoked.json()["code"] == "device_revoked"
    assert revoked.json()["status_code"] == 403 and "stay on the tablet" in revoked.json()["detail"]
    refused = client.get("/field/api/admin/devices", headers=basic("int1"))
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


def test_login_throttling_has_its_code(client, field_env: FieldEnv) -> None:
    for _ in range(5):
        client.post("/field/api/login", json={"username": "int2", "password": "nope"})
    throttled = client.post("/field/api/login", json={"username": "int2", "password": "nope"})
    assert throttled.status_code == 429 and throttled.json()["code"] == "too_many_attempts"
    assert throttled.headers["retry-after"]


def test_refused_items_say_why_with_a_code(client, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    kept = interview(field_env)
    assert sync(client, token, [kept]).json()["results"][0]["code"] == ""
    items = [
        interview(field_env, uuid="not-a-uuid"),
        interview(field_env, consultation="elsewhere"),
        interview(field_env, version_id=999999),
        interview(field_env, mode="paper"),
        interview(field_env, kind="contact"),
        interview(field_env, answers={"sex": "F", "age": 200}),
        {**kept, "answers": {"sex": "M", "age": 30, "votes": "no"}},
    ]
    results = sync(client, token, items).json()["results"]
    assert [r["code"] for r in results] == [
        "invalid_uuid", "consultation_not_assigned", "unknown_version", "paper_number_required",
        "outcome_required", "invalid_answers", "different_content",
    ]  # fmt: skip
    assert results[5]["errors"] == [{"field": "age", "code": "constraint", "message": "Between 16 and 120"}]
    assert all(r["detail"] for r in results)  # the English words stay for support


def test_openapi_documents_the_codes(client) -> None:
    spec = client.get("/schema/openapi.json").json()
    responses = spec["paths"]["/field/api/sync"]["post"]["responses"]
    examples = [e["value"] for e in responses["403"]["content"]["application/json"]["examples"].values()]
    assert {"status_code": 403, "code": "device_revoked"}.items() <= examples[0].items()
    ok = next(iter(responses["200"]["content"]["application/json"]["examples"].values()))["value"]
    assert {r["code"] for r in ok["results"]} >= {"different_content", "invalid_answers"}
    assert (
        "different_content"
        in spec["components"]["schemas"]["ItemResult"]["properties"]["code"]["description"]
    )
    assert spec["components"]["schemas"]["FieldErrorBody"]["required"] == ["code", "detail", "status_code"]
