"""The JSON submission API: idempotent on the client UUID, precise about what is wrong."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from survey.store.models import Response
from tests.api.conftest import SLUG, URL, body
from tests.factories import valid_answers


def count(sessions) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count(Response.id))) or 0)


def test_first_arrival_201_replay_200_same_ack(client, version, sessions) -> None:
    payload = body(version.id)
    first = client.post(URL, json=payload)
    assert first.status_code == 201, first.text
    again = client.post(URL, json=payload)
    assert again.status_code == 200
    assert first.json()["status"] == "stored" and again.json()["status"] == "duplicate"
    for key in ("uuid", "response_id", "received_at"):
        assert first.json()[key] == again.json()[key]
    assert count(sessions) == 1
    with sessions() as session:
        stored = session.scalars(select(Response)).one()
        assert (stored.mode, stored.language, stored.status) == ("online", "nl", "complete")


def test_same_uuid_other_content_is_409(client, version, sessions) -> None:
    payload = body(version.id)
    assert client.post(URL, json=payload).status_code == 201
    changed = {**payload, "answers": valid_answers(trust_region=9)}
    conflict = client.post(URL, json=changed)
    assert conflict.status_code == 409
    assert "different content" in conflict.json()["detail"]
    assert count(sessions) == 1


def test_422_lists_every_field_and_why(client, version, sessions) -> None:
    answers = valid_answers(trust_region=42, sex=None, age_group="12-17", nonsense="x")
    refused = client.post(URL, json=body(version.id, answers=answers, language="fr"))
    assert refused.status_code == 422
    errors = {(e["field"], e["code"]) for e in refused.json()["errors"]}
    assert errors == {("trust_region", "constraint"), ("sex", "required"), ("age_group", "choice"),
                      ("nonsense", "unknown")}  # fmt: skip
    messages = {e["field"]: e["message"] for e in refused.json()["errors"]}
    assert messages["sex"] == "Cette question est obligatoire."
    assert count(sessions) == 0


def test_bad_uuid_and_language_are_422(client, version) -> None:
    refused = client.post(URL, json=body(version.id, uuid="not-a-uuid", language="de"))
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"uuid", "language"}


def test_unknown_consultation_or_version_is_404(client, version) -> None:
    assert client.post("/api/consultations/nope/responses", json=body(version.id)).status_code == 404
    assert client.post(URL, json=body(version.id + 999)).status_code == 404


def test_oversized_body_is_413(client, version, sessions) -> None:
    huge = body(version.id, answers=valid_answers(comment="x" * 1_200_000))
    assert client.post(URL, json=huge).status_code == 413
    assert count(sessions) == 0


def test_api_needs_no_csrf_but_forms_do(client, version) -> None:
    assert client.post(URL, json=body(version.id)).status_code == 201
    assert client.post(f"/c/{SLUG}/start", data={"consent": "yes"}).status_code == 403


def test_openapi_documents_the_endpoint_with_examples(client, version) -> None:
    schema = client.get("/schema/openapi.json").json()
    operation = schema["paths"]["/api/consultations/{slug}/responses"]["post"]
    assert {"200", "201", "409", "413", "422"} <= set(operation["responses"])
    assert "examples" in str(operation["requestBody"]) and "examples" in str(operation["responses"]["422"])


def test_wrong_shaped_body_is_422_naming_fields_and_bad_json_is_400(client, version, sessions) -> None:
    headers = {"content-type": "application/json"}
    wrong_type = client.post(URL, content='{"uuid": 5, "version_id": 1, "language": "fr", "answers": {}}',
                             headers=headers)  # fmt: skip
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"] == [
        {"field": "uuid", "code": "schema", "message": "Expected `str`, got `int`"}
    ]
    missing = client.post(URL, json={"uuid": str(uuid.uuid4()), "language": "fr", "answers": {}})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "version_id"
    unknown = client.post(URL, json={**body(version.id), "ip_address": "1.2.3.4"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "ip_address"
    broken = client.post(URL, content="{not json", headers=headers)
    assert broken.status_code == 400 and "malformed" in broken.json()["detail"]
    assert count(sessions) == 0


def test_unknown_consultation_or_version_is_404_naming_it(client, version, sessions) -> None:
    wrong_version = client.post(URL, json=body(version.id + 1000))
    assert wrong_version.status_code == 404
    assert f"no questionnaire version {version.id + 1000}" in wrong_version.json()["detail"]
    wrong_slug = client.post("/api/consultations/nope/responses", json=body(version.id))
    assert wrong_slug.status_code == 404 and "'nope'" in wrong_slug.json()["detail"]
    assert count(sessions) == 0
