"""Coordinators' reconciliation pages: counts, problem UUIDs, escaping and who may see them."""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Device
from tests.field_app.conftest import FieldEnv, basic, login
from tests.field_app.test_api import interview, sync


def english(username: str) -> dict[str, str]:
    """A coordinator whose browser asks for English (pages default to French like the citizens' ones)."""
    return {**basic(username), "Accept-Language": "en-GB,en;q=0.9"}


def test_reconciliation_page_lists_counts_and_problem_uuids(client, sessions, field_env: FieldEnv) -> None:
    body = login(client)
    token, device_id = body["token"], body["device_id"]
    sent, edited, never = interview(field_env), interview(field_env), interview(field_env)
    sync(client, token, [sent, edited])
    manifest = [
        {"uuid": sent["uuid"], "client_hash": sent["client_hash"]},
        {"uuid": edited["uuid"], "client_hash": "changed-after-sending"},
        {"uuid": never["uuid"], "client_hash": never["client_hash"]},
    ]
    sync(client, token, [], manifest=manifest)

    overview = client.get("/field/coordinator", headers=english("coord"))
    assert overview.status_code == 200, overview.text
    assert overview.headers["content-type"].startswith("text/html")
    assert f'href="/field/coordinator/devices/{device_id}"' in overview.text
    assert '<td class="n">1</td>' in overview.text and "check" in overview.text

    page = client.get(f"/field/coordinator/devices/{device_id}", headers=english("coord"))
    assert page.status_code == 200
    assert '<html lang="en">' in page.text and "<caption>Counts</caption>" in page.text
    assert never["uuid"] in page.text and edited["uuid"] in page.text
    assert sent["uuid"] not in page.text  # received items are counted, not listed
    assert "missing" in page.text and "conflicting" in page.text
    assert client.get(f"/field/coordinator/devices/{device_id}", headers=basic("boss")).status_code == 200


def test_free_text_is_escaped(client, sessions: sessionmaker[Session], field_env: FieldEnv) -> None:
    body = login(client)
    with transaction(sessions) as session:
        session.execute(
            update(Device).where(Device.id == body["device_id"]).values(label="<script>alert(1)</script>")
        )
    for url in ("/field/coordinator", f"/field/coordinator/devices/{body['device_id']}"):
        text = client.get(url, headers=basic("coord")).text
        assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_interviewers_and_analysts_are_refused(client, field_env: FieldEnv) -> None:
    device_id = login(client)["device_id"]
    for url in ("/field/coordinator", f"/field/coordinator/devices/{device_id}"):
        assert client.get(url).status_code == 401
        assert client.get(url, headers=basic("int1")).status_code == 403
        assert client.get(url, headers=basic("ana")).status_code == 403
        assert client.get(url, headers=basic("coord", "wrong-password")).status_code == 401


def test_unknown_device_and_empty_manifest(client, field_env: FieldEnv) -> None:
    assert client.get("/field/coordinator/devices/999999", headers=basic("coord")).status_code == 404
    device_id = login(client)["device_id"]
    page = client.get(f"/field/coordinator/devices/{device_id}", headers=english("coord"))
    assert "has not reported a manifest yet" in page.text
    assert str(uuid.UUID(int=0)) not in page.text
