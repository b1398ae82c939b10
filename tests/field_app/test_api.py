"""Field API on SQLite and PostgreSQL: login, download, sync idempotency, revocation, reconciliation."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.sync import SyncService
from survey.store.models import Answer, Device, FieldReceipt, Response
from tests.field_app.conftest import PASSWORD, SLUG, FieldEnv, basic, login


def interview(env: FieldEnv, **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "uuid": str(uuid.uuid4()), "consultation": env.slug, "version_id": env.version_id, "language": "en",
        "answers": {"sex": "F", "age": 40, "votes": "yes"}, "started_at": "2026-11-23T10:00:00Z",
        "submitted_at": "2026-11-23T10:07:00Z", "client_hash": "h-" + uuid.uuid4().hex[:8],
    }  # fmt: skip
    item.update(overrides)
    return item


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sync(client, token: str, items: list[dict[str, Any]], manifest: list[dict[str, str]] | None = None):
    body: dict[str, Any] = {"items": items}
    if manifest is not None:
        body["manifest"] = manifest
    return client.post("/field/api/sync", json=body, headers=auth(token))


def count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count(Response.id))) or 0)


def test_login_registers_device_with_hashed_token(client, sessions, field_env: FieldEnv) -> None:
    body = login(client)
    assert body["consultations"][0]["slug"] == SLUG
    assert body["consultations"][0]["version_id"] == field_env.version_id
    with sessions() as session:
        device = session.get(Device, body["device_id"])
        assert device is not None
        assert device.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    wrong = client.post("/field/api/login", json={"username": "int1", "password": "nope-nope"})
    assert wrong.status_code == 401
    admin = client.post("/field/api/login", json={"username": "boss", "password": PASSWORD})
    assert admin.status_code == 401
    assert "interviewer" in admin.json()["detail"]


def test_version_download_only_for_assigned(client, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    doc = client.get(f"/field/api/versions/{field_env.version_id}", headers=auth(token)).json()
    assert doc["questionnaire"]["form_id"] == "field_test"
    other = login(client, "int2")
    assert other["consultations"] == []
    refused = client.get(f"/field/api/versions/{field_env.version_id}", headers=auth(other["token"]))
    assert refused.status_code == 404
    assert client.get("/field/api/consultations").status_code == 401


def test_sync_per_item_results_and_metadata(client, sessions, field_env: FieldEnv) -> None:
    body = login(client)
    token = body["token"]
    ok = interview(field_env, note="tired respondent")
    young = interview(field_env, answers={"sex": "M", "age": 10})
    paper_bad = interview(field_env, mode="paper")
    paper = interview(field_env, mode="paper", paper_form_number="P-0042")
    contact = {"uuid": str(uuid.uuid4()), "consultation": SLUG, "kind": "contact", "outcome": "refusal",
               "client_hash": "c1"}  # fmt: skip
    foreign = interview(field_env, consultation="nope")
    response = sync(client, token, [ok, young, paper_bad, paper, contact, foreign])
    assert response.status_code == 200, response.text
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["stored", "invalid", "invalid", "stored", "stored", "invalid"]
    assert response.json()["results"][1]["errors"][0]["field"] == "age"
    again = sync(client, token, [ok, contact])
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    changed = dict(ok, answers={"sex": "M", "age": 40, "votes": "no"})
    assert sync(client, token, [changed]).json()["results"][0]["status"] == "conflict"
    with sessions() as session:
        stored = session.scalar(select(Response).where(Response.uuid == ok["uuid"]))
        assert stored is not None
        assert (stored.mode, stored.device_id, stored.questionnaire_version_id) == (
            "field", body["device_id"], field_env.version_id,
        )  # fmt: skip
        assert stored.interviewer_id == body["interviewer_id"]
        assert stored.started_at is not None and stored.started_at.minute == 0
        assert stored.submitted_at is not None and stored.submitted_at.minute == 7
        on_paper = session.scalar(select(Response).where(Response.uuid == paper["uuid"]))
        assert on_paper is not None and (on_paper.mode, on_paper.paper_form_number) == ("paper", "P-0042")
        receipt = session.scalar(select(FieldReceipt).where(FieldReceipt.uuid == ok["uuid"]))
        assert receipt is not None and receipt.note == "tired respondent"
    assert count(sessions) == 2
    counts = client.get(f"/field/api/admin/consultations/{SLUG}/contacts", headers=basic("boss")).json()
    assert counts == {"refusal": 1}


def test_correction_is_a_linked_record(client, sessions, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    first = interview(field_env)
    fix = interview(field_env, replaces_uuid=first["uuid"], answers={"sex": "M", "age": 41, "votes": "no"})
    results = sync(client, token, [first, fix]).json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored"]
    with sessions() as session:
        linked = session.scalar(select(Response).where(Response.uuid == fix["uuid"]))
        assert linked is not None and linked.replaces_uuid == first["uuid"]


def test_server_error_mid_batch_then_retry_stores_each_once(
    client, sessions, field_env: FieldEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = login(client)["token"]
    items = [interview(field_env) for _ in range(10)]
    original = SyncService._interview_receipts
    sync(client, token, items[:3])

    def crash_after_inserts(self: SyncService, received: Any) -> None:
        original(self, received)
        raise RuntimeError("disk full")

    monkeypatch.setattr(SyncService, "_interview_receipts", crash_after_inserts)
    assert sync(client, token, items).status_code == 500
    assert count(sessions) == 3  # the whole request rolled back, responses and answers included
    monkeypatch.setattr(SyncService, "_interview_receipts", original)
    retry = sync(client, token, items).json()["results"]
    assert [r["status"] for r in retry] == ["duplicate"] * 3 + ["stored"] * 7
    assert count(sessions) == 10


def test_lost_acknowledgement_and_repeated_batch(client, sessions, field_env: FieldEnv) -> None:
    """The network drops after the server committed: the tablet resends; nothing is stored twice."""
    token = login(client)["token"]
    items = [interview(field_env) for _ in range(25)]
    sync(client, token, items[:15])  # answer "lost"
    results = sync(client, token, items).json()["results"]
    assert [r["status"] for r in results] == ["duplicate"] * 15 + ["stored"] * 10
    assert {r["status"] for r in sync(client, token, items).json()["results"]} == {"duplicate"}
    assert count(sessions) == 25
    with sessions() as session:
        answers = session.scalar(select(func.count()).select_from(Answer))
        assert answers == 25 * 3


def test_revoked_device_is_refused_clearly(client, sessions, field_env: FieldEnv) -> None:
    body = login(client)
    token = body["token"]
    assert sync(client, token, [interview(field_env)]).status_code == 200
    assert (
        client.post(f"/field/api/admin/devices/{body['device_id']}/revoke", headers=basic("int1")).status_code
        == 403
    )
    assert client.post(f"/field/api/admin/devices/{body['device_id']}/revoke").status_code == 401
    revoked = client.post(f"/field/api/admin/devices/{body['device_id']}/revoke", headers=basic("boss"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = sync(client, token, [interview(field_env)])
    assert refused.status_code == 403
    assert "revoked" in refused.json()["detail"] and "stay on the tablet" in refused.json()["detail"]
    assert count(sessions) == 1
    assert sync(client, "made-up", []).status_code == 401
    devices = client.get("/field/api/admin/devices", headers=basic("boss")).json()
    assert devices[0]["revoked_at"] is not None


def test_manifest_reconciliation(client, field_env: FieldEnv) -> None:
    body = login(client)
    token = body["token"]
    sent, edited, never = interview(field_env), interview(field_env), interview(field_env)
    sync(client, token, [sent, edited])
    manifest = [
        {"uuid": sent["uuid"], "client_hash": sent["client_hash"]},
        {"uuid": edited["uuid"], "client_hash": "changed-after-sending"},
        {"uuid": never["uuid"], "client_hash": never["client_hash"]},
    ]
    recorded = sync(client, token, [], manifest=manifest).json()
    assert recorded["manifest_entries"] == 3
    url = f"/field/api/admin/devices/{body['device_id']}/reconciliation"
    assert client.get(url, headers=basic("ana")).status_code == 403
    assert client.get(url, headers=basic("int1")).status_code == 403
    view = client.get(url, headers=basic("coord"))
    assert view.status_code == 200, view.text
    data = view.json()
    assert (data["received"], data["missing"], data["conflicting"]) == (1, 1, 1)
    states = {i["uuid"]: i["state"] for i in data["items"]}
    assert states[never["uuid"]] == "missing"
    assert states[edited["uuid"]] == "conflicting"
    assert "differs" in next(i["detail"] for i in data["items"] if i["uuid"] == edited["uuid"])


def test_quotas_set_by_analyst_with_done_counts(client, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    cells = [
        {"variable": "sex", "category": "F", "target": 5},
        {"variable": "sex", "category": "M", "target": 5},
    ]
    bad = client.put(f"/field/api/admin/consultations/{SLUG}/quotas", json=[{"variable": "age", "category": "x",
                                                                            "target": 1}], headers=basic("ana"))  # fmt: skip
    assert bad.status_code == 400
    assert (
        client.put(
            f"/field/api/admin/consultations/{SLUG}/quotas", json=cells, headers=basic("int1")
        ).status_code
        == 403
    )
    assert (
        client.put(
            f"/field/api/admin/consultations/{SLUG}/quotas", json=cells, headers=basic("ana")
        ).status_code
        == 200
    )
    sync(
        client,
        token,
        [interview(field_env), interview(field_env), interview(field_env, answers={"sex": "M", "age": 17})],
    )
    quotas = client.get(f"/field/api/consultations/{SLUG}/quotas", headers=auth(token)).json()
    assert [(q["category"], q["target"], q["done"]) for q in quotas] == [("F", 5, 2), ("M", 5, 1)]


def test_admin_import_has_sync_idempotency(client, sessions, field_env: FieldEnv) -> None:
    body = login(client)
    items = [interview(field_env) for _ in range(4)]
    sync(client, body["token"], items[:2])
    export = {"device_id": body["device_id"], "interviewer_id": body["interviewer_id"], "items": items}
    first = client.post("/field/api/admin/import", json=export, headers=basic("boss"))
    assert [r["status"] for r in first.json()["results"]] == ["duplicate", "duplicate", "stored", "stored"]
    second = client.post("/field/api/admin/import", json=export, headers=basic("boss"))
    assert {r["status"] for r in second.json()["results"]} == {"duplicate"}
    assert client.post("/field/api/admin/import", json=export, headers=basic("ana")).status_code == 403
    assert count(sessions) == 4


def test_openapi_lists_field_endpoints(client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path in ("/field/api/login", "/field/api/sync", "/field/api/versions/{version_id}",
                 "/field/api/admin/devices/{device_id}/revoke", "/field/api/admin/import"):  # fmt: skip
        assert path in paths


def test_shell_and_worker_headers(client) -> None:
    page = client.get("/field/")
    assert page.status_code == 200 and "app.js" in page.text
    worker = client.get("/field/sw.js")
    assert worker.headers["service-worker-allowed"] == "/field/"
    assert client.get("/field/../survey/app.py").status_code == 404
    assert client.get("/field/nope.js").status_code == 404
