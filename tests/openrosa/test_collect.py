"""A client that behaves as ODK Collect does, step by step from the OpenRosa 1.0 Form List and Submission APIs.

Collect: lists the forms at ``{server}/formList``, downloads the XForm and its manifest, fills the
XForm's own instance template, probes ``{server}/submission`` with HEAD, then posts the instance as
multipart ``xml_submission_file``; after a dropped connection it posts the same instance again.
"""

from __future__ import annotations

import hashlib
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.openrosa.auth import DEVICE_LABEL
from survey.store.models import Answer, Device, Response
from tests.field_app.conftest import FieldEnv, basic, login

XF = "http://www.w3.org/2002/xforms"
LIST = "{http://openrosa.org/xforms/xformsList}"
ROSA = "{http://openrosa.org/http/response}"
OPENROSA = {"X-OpenRosa-Version": "1.0"}


def server(env: FieldEnv) -> str:
    return f"/openrosa/{env.slug}"


def form_list(client: TestClient, env: FieldEnv, user: str = "int1") -> Any:  # type: ignore[type-arg]
    return client.get(server(env) + "/formList", headers={**OPENROSA, **basic(user)})


def download(client: TestClient, env: FieldEnv) -> tuple[dict[str, str], str]:  # type: ignore[type-arg]
    """The form list entry and the XForm it points to, as Collect fetches them."""
    listed = form_list(client, env)
    assert listed.status_code == 200, listed.text
    assert listed.headers["X-OpenRosa-Version"] == "1.0"
    entry = ET.fromstring(listed.text).find(f"{LIST}xform")
    assert entry is not None
    fields = {child.tag.removeprefix(LIST): child.text or "" for child in entry}
    xform = client.get(fields["downloadUrl"], headers={**OPENROSA, **basic("int1")})
    assert xform.status_code == 200, xform.text
    return fields, xform.text


def fill(xform: str, values: dict[str, str], instance_id: str, deprecated: str | None = None) -> bytes:
    """The XForm's primary instance with these values, as Collect saves a finalized form."""
    ET.register_namespace("", XF)
    data = ET.fromstring(xform).find(f"{{http://www.w3.org/1999/xhtml}}head/{{{XF}}}model/{{{XF}}}instance/*")
    assert data is not None
    for element in data.iter():
        name = element.tag.split("}")[-1]
        if name in values and not len(element):
            element.text = values[name]
        if name == "instanceID":
            element.text = instance_id
    if deprecated is not None:
        meta = next(e for e in data if e.tag.endswith("meta"))
        ET.SubElement(meta, f"{{{XF}}}deprecatedID").text = deprecated
    return ET.tostring(data, encoding="utf-8", xml_declaration=True)


def submit(client: TestClient, env: FieldEnv, document: bytes, user: str = "int1") -> Any:  # type: ignore[type-arg]
    files = {"xml_submission_file": ("submission.xml", document, "text/xml")}
    return client.post(server(env) + "/submission", files=files, headers={**OPENROSA, **basic(user)})


def message(response: Any) -> str:
    found = ET.fromstring(response.text).find(f"{ROSA}message")
    assert found is not None
    return found.text or ""


def stored_answers(
    sessions: sessionmaker[Session], response_uuid: str
) -> list[tuple[str, int, str | None, float | None]]:
    with sessions() as session:
        response = session.scalar(select(Response).where(Response.uuid == response_uuid))
        assert response is not None
        rows = session.execute(
            select(Answer.question, Answer.position, Answer.value_text, Answer.value_number)
            .where(Answer.response_id == response.id)
            .order_by(Answer.question, Answer.position)
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


def count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count(Response.id))) or 0)


ANSWERS = {"sex": "F", "age": "40", "votes": "yes", "comment": "Trop <cher> & loin"}


def test_collect_lists_downloads_and_submits_once_even_when_resent(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    probe = client.head(server(field_env) + "/submission", headers=OPENROSA)
    assert probe.status_code == 401
    assert probe.headers["WWW-Authenticate"].startswith("Basic")
    assert probe.headers["X-OpenRosa-Version"] == "1.0"
    fields, xform = download(client, field_env)
    assert (fields["formID"], fields["version"], fields["name"]) == ("field_test", "1", "Test terrain")
    assert fields["hash"] == "md5:" + hashlib.md5(xform.encode()).hexdigest()
    manifest = client.get(fields["manifestUrl"], headers={**OPENROSA, **basic("int1")})
    assert manifest.status_code == 200, manifest.text
    assert ET.fromstring(manifest.text).find("{http://openrosa.org/xforms/xformsManifest}mediaFile") is None
    probe = client.head(server(field_env) + "/submission", headers={**OPENROSA, **basic("int1")})
    assert probe.status_code == 204
    assert int(probe.headers["X-OpenRosa-Accept-Content-Length"]) > 0
    instance_id = str(uuid.uuid4())
    document = fill(xform, ANSWERS, f"uuid:{instance_id}")
    first = submit(client, field_env, document)
    assert first.status_code == 201, first.text
    assert first.headers["X-OpenRosa-Version"] == "1.0"
    assert "received" in message(first)
    resent = submit(client, field_env, document)  # the acknowledgement was lost: Collect sends it again
    assert resent.status_code == 202, resent.text
    assert count(sessions) == 1
    with sessions() as session:
        response = session.scalar(select(Response).where(Response.uuid == instance_id))
        assert response is not None
        device = session.get(Device, response.device_id)
        assert device is not None and device.label == DEVICE_LABEL
        assert (response.mode, response.questionnaire_version_id) == ("field", field_env.version_id)
        assert response.interviewer_id == device.user_id
    token = login(client)["token"]
    pwa_uuid = str(uuid.uuid4())
    pwa = client.post(
        "/field/api/sync",
        json={"items": [{"uuid": pwa_uuid, "consultation": field_env.slug, "version_id": field_env.version_id,
                         "language": "fr", "answers": {"sex": "F", "age": 40, "votes": "yes",
                                                       "comment": "Trop <cher> & loin"}}]},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert pwa.json()["results"][0]["status"] == "stored", pwa.text
    assert stored_answers(sessions, instance_id) == stored_answers(sessions, pwa_uuid)


def test_same_instance_with_different_content_is_a_conflict(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, xform = download(client, field_env)
    instance_id = f"uuid:{uuid.uuid4()}"
    assert submit(client, field_env, fill(xform, ANSWERS, instance_id)).status_code == 201
    changed = submit(client, field_env, fill(xform, {**ANSWERS, "votes": "no"}, instance_id))
    assert changed.status_code == 409, changed.text
    assert "different content" in message(changed) or "already" in message(changed)
    assert count(sessions) == 1


def test_an_edit_in_collect_is_a_linked_correction(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, xform = download(client, field_env)
    original = str(uuid.uuid4())
    assert submit(client, field_env, fill(xform, ANSWERS, f"uuid:{original}")).status_code == 201
    edit = str(uuid.uuid4())
    edited = fill(xform, {**ANSWERS, "age": "41"}, f"uuid:{edit}", deprecated=f"uuid:{original}")
    assert submit(client, field_env, edited).status_code == 201
    with sessions() as session:
        linked = session.scalar(select(Response).where(Response.uuid == edit))
        assert linked is not None and linked.replaces_uuid == original


def test_refusals_are_openrosa_messages_naming_the_field(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, xform = download(client, field_env)
    young = submit(client, field_env, fill(xform, {**ANSWERS, "age": "10"}, f"uuid:{uuid.uuid4()}"))
    assert young.status_code == 400 and message(young).startswith("age:"), young.text
    unknown = fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}").replace(b"</comment>", b"</comment><pet>cat</pet>")
    refused = submit(client, field_env, unknown)
    assert refused.status_code == 400 and message(refused).startswith("pet:"), refused.text
    no_id = submit(client, field_env, fill(xform, ANSWERS, "not-a-uuid"))
    assert no_id.status_code == 400 and message(no_id).startswith("meta/instanceID"), no_id.text
    other_version = fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}").replace(b'version="1"', b'version="9"')
    stale = submit(client, field_env, other_version)
    assert stale.status_code == 400 and message(stale).startswith("version:"), stale.text
    for body in (b"not xml", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><data id="field_test">&e;</data>',
                 b"\xff\xfe<data/>"):  # fmt: skip
        bad = submit(client, field_env, body)
        assert bad.status_code == 400 and message(bad).startswith("xml_submission_file:"), bad.text
    missing = client.post(
        server(field_env) + "/submission", files={"other": ("x.xml", b"<data/>", "text/xml")},
        headers={**OPENROSA, **basic("int1")},
    )  # fmt: skip
    assert missing.status_code == 400 and message(missing).startswith("xml_submission_file:"), missing.text
    too_big = submit(client, field_env, b"<data>" + b"x" * 2_000_000 + b"</data>")
    assert too_big.status_code == 413 and too_big.headers["X-OpenRosa-Version"] == "1.0", too_big.text
    assert count(sessions) == 0


def test_only_assigned_interviewers_with_a_live_device(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    assert form_list(client, field_env, "int2").status_code == 404  # an interviewer not assigned to it
    for leaf in ("/form.xml", "/manifest", "/submission"):
        assert client.get(server(field_env) + leaf, headers=basic("int2")).status_code == 404, leaf
    assert form_list(client, field_env, "boss").status_code == 403  # not an interviewer account
    wrong = client.get(
        server(field_env) + "/formList", headers={**OPENROSA, **basic("int1", "wrong-password")}
    )
    assert wrong.status_code == 401 and wrong.headers["X-OpenRosa-Version"] == "1.0"
    _, xform = download(client, field_env)
    assert (
        submit(client, field_env, fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}"), user="int2").status_code
        == 404
    )
    assert submit(client, field_env, fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}")).status_code == 201
    with sessions() as session:
        device_id = session.scalar(select(Device.id).where(Device.label == DEVICE_LABEL))
    revoked = client.post(f"/field/api/admin/devices/{device_id}/revoke", headers=basic("boss"))
    assert revoked.status_code == 200, revoked.text
    refused = submit(client, field_env, fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}"))
    assert refused.status_code == 403 and "revoked" in message(refused), refused.text
    assert count(sessions) == 1


def test_wrong_passwords_are_throttled_like_sign_ins(client: TestClient, field_env: FieldEnv) -> None:  # type: ignore[type-arg]
    statuses = []
    for _ in range(30):
        reply = client.get(server(field_env) + "/formList", headers={**OPENROSA, **basic("int1", "guessing")})
        statuses.append(reply.status_code)
        if reply.status_code == 429:
            break
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    assert int(reply.headers["Retry-After"]) > 0 and reply.headers["X-OpenRosa-Version"] == "1.0"
    assert "Too many failed login attempts" in message(reply)
    assert form_list(client, field_env).status_code == 429  # the account stays locked, right password or not


def test_odd_versions_and_bodies_are_refused_not_crashed(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    """Found: a version of unicode digits ("²") or of 30 digits reached int() and the database as a 500."""
    _, xform = download(client, field_env)
    document = fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}")
    for version in ("²", "9" * 30, "9" * 5000, ""):
        odd = document.replace(b'version="1"', f'version="{version}"'.encode())
        reply = submit(client, field_env, odd)
        assert reply.status_code == 400 and message(reply).startswith("version:"), (version[:10], reply.text)
    broken = client.post(
        server(field_env) + "/submission", content=b"--x\r\nnot a part",
        headers={**OPENROSA, **basic("int1"), "Content-Type": "multipart/form-data; boundary=x"},
    )  # fmt: skip
    assert 400 <= broken.status_code < 500 and broken.headers["X-OpenRosa-Version"] == "1.0", broken.text
    as_text = client.post(
        server(field_env) + "/submission", data={"xml_submission_file": document.decode()},
        files={"other": ("x.txt", b"x", "text/plain")}, headers={**OPENROSA, **basic("int1")},
    )  # fmt: skip
    assert as_text.status_code == 400 and message(as_text).startswith("xml_submission_file:"), as_text.text
    long_text = fill(xform, {**ANSWERS, "comment": "x" * 200_000}, f"uuid:{uuid.uuid4()}")
    too_long = submit(client, field_env, long_text)
    assert too_long.status_code == 400 and message(too_long).startswith("comment:"), too_long.text
    assert count(sessions) == 0
