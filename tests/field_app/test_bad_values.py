"""Values no tablet makes (a NUL in a note, an id past the column) are refused item by item: the
other interviews of the batch are stored, and the device, admin and coordinator endpoints answer a
4xx, never a 500. (Impossible times are kept with the time unknown: test_sync_clock.py.)"""

from __future__ import annotations

import uuid

from tests.field_app.conftest import FieldEnv, basic, login
from tests.field_app.test_api import auth, count, interview, sync

TOO_BIG = 2**63  # past SQLite's integer; anything past 2**31 - 1 is past PostgreSQL's


def test_unstorable_values_are_refused_per_item_and_the_rest_is_stored(client, sessions, field_env) -> None:
    token = login(client)["token"]
    good = interview(field_env)
    bad = {
        "note": interview(field_env, note="tired\x00"),
        "client_hash": interview(field_env, client_hash="h\x00"),
        "language": interview(field_env, language="fr-abcdefgh-abcd1"),  # the shape of a tag, past 16
        "paper_form_number": interview(field_env, mode="paper", paper_form_number="P\x00"),
        "replaces_uuid": interview(field_env, replaces_uuid="not-a-uuid"),
        "text answer": interview(
            field_env, answers={"sex": "F", "age": 40, "votes": "yes", "comment": "a\x00b"}
        ),
        "version_id": interview(field_env, version_id=TOO_BIG),
        "age": interview(field_env, answers={"sex": "F", "age": 10**400}),
    }
    contact = {
        "uuid": str(uuid.uuid4()),
        "consultation": field_env.slug,
        "kind": "contact",
        "outcome": "refusal",
    }
    contacts = {"contact note": {**contact, "note": "\x00"}}
    dead_clock = interview(field_env, started_at="1970-01-01T00:00:00Z", submitted_at="1970-01-01T00:09:00Z")
    response = sync(client, token, [good, *bad.values(), *contacts.values(), dead_clock])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results[0]["status"] == "stored"
    assert results[-1]["status"] == "stored"  # a tablet whose clock reset still loses nothing
    refused = dict(zip([*bad, *contacts], results[1:-1], strict=True))
    assert {name: r["status"] for name, r in refused.items()} == dict.fromkeys(refused, "invalid")
    for name in ("note", "client_hash"):
        assert refused[name]["detail"].startswith(name), refused[name]
    assert refused["contact note"]["detail"].startswith("note")
    for name in ("language", "paper_form_number", "replaces_uuid"):
        assert [e["field"] for e in refused[name]["errors"]] == [name], refused[name]
    assert refused["text answer"]["errors"][0] == {
        "field": "comment", "code": "invalid_text", "message": "This text contains a character that is not accepted.",
    }  # fmt: skip
    assert refused["version_id"]["code"] == "unknown_version"
    assert refused["age"]["errors"][0]["field"] == "age"
    assert count(sessions) == 2


def test_ids_past_the_column_are_refused_on_every_path(client, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    assert client.get(f"/field/api/versions/{TOO_BIG}", headers=auth(token)).status_code == 400
    admin = basic("boss")
    assert client.post(f"/field/api/admin/devices/{TOO_BIG}/revoke", headers=admin).status_code == 400
    assert client.get(f"/field/api/admin/devices/{TOO_BIG}/reconciliation", headers=admin).status_code == 400
    page = client.get(f"/field/coordinator/devices/{2**31}", headers=basic("coord"))
    assert page.status_code == 400
    imported = client.post(
        "/field/api/admin/import",
        json={"device_id": TOO_BIG, "interviewer_id": 1, "items": []},
        headers=admin,
    )
    assert imported.status_code == 422 and "device_id" in imported.text


def test_malformed_basic_credentials_and_redirects_are_refused_cleanly(client, field_env: FieldEnv) -> None:
    odd = client.get("/field/coordinator", headers={"Authorization": "Basic \u00e9".encode()})
    assert odd.status_code == 401
    page = client.get("/field/coordinator/login", params={"next": "http://[::1"})
    assert page.status_code == 200 and 'value="/field/coordinator"' in page.text
