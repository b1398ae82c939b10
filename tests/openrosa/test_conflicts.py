"""Different content under a stored instanceID: refused, kept, and shown to the coordinators.

End to end as a Collect user meets it: a form is sent, then sent again under the same instanceID
with another answer (and that one once more); the coordinator's reconciliation page for the Collect
device says so, with when each version arrived and which one is stored, and the JSON read model
says the same. The stored response never changes, and erasing it removes the kept version too.
"""

from __future__ import annotations

import re
import time
import uuid

from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.openrosa.auth import DEVICE_LABEL
from survey.store.db import transaction
from survey.store.models import Device, FieldConflict, Response
from survey.store.services.erasure import erase
from tests.field_app.conftest import FieldEnv, basic, login
from tests.openrosa.test_collect import ANSWERS, download, fill, message, stored_answers, submit


def _conflicts(sessions: sessionmaker[Session]) -> list[FieldConflict]:
    with sessions() as session:
        return list(session.scalars(select(FieldConflict).order_by(FieldConflict.id)))


def test_a_resubmission_with_other_answers_is_kept_and_shown_with_both_times(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, xform = download(client, field_env)
    instance_id = str(uuid.uuid4())
    first = submit(client, field_env, fill(xform, ANSWERS, f"uuid:{instance_id}"))
    assert first.status_code == 201, first.text
    before = stored_answers(sessions, instance_id)
    other = fill(xform, {**ANSWERS, "votes": "no", "comment": "Autre chose"}, f"uuid:{instance_id}")
    refused = submit(client, field_env, other)
    assert refused.status_code == 409, refused.text
    assert "stays stored" in message(refused) and "kept" in message(refused)
    [kept] = _conflicts(sessions)
    assert kept.uuid == instance_id and kept.content["answers"]["votes"] == "no"
    first_seen = kept.last_received_at
    time.sleep(0.01)
    assert submit(client, field_env, other).status_code == 409  # Collect sends the refused one again
    [again] = _conflicts(sessions)
    assert again.id == kept.id and again.last_received_at > first_seen
    assert submit(client, field_env, fill(xform, ANSWERS, f"uuid:{instance_id}")).status_code == 202
    assert stored_answers(sessions, instance_id) == before  # nothing was overwritten
    with sessions() as session:
        device_id = session.scalar(select(Device.id).where(Device.label == DEVICE_LABEL))
        stored = session.scalar(select(Response).where(Response.uuid == instance_id))
        assert stored is not None and device_id is not None

    page = client.get(f"/field/coordinator/devices/{device_id}?lang=en", headers=basic("coord"))
    assert page.status_code == 200, page.text
    section = page.text.split('<h2 id="resubmissions">', 1)[1]
    row = re.search(rf"<tr><th scope=\"row\"><code>{instance_id}</code></th>(.*?)</tr>", section)
    assert row is not None, section
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    stamps = [re.findall(r'<time datetime="([^"]+)">', cell) for cell in cells[:2]]
    assert len(stamps[0]) == 1 and len(stamps[1]) == 2, cells  # stored; other first and last sent
    assert "the version received first stays stored" in section
    assert cells[2] == "<code>comment</code>, <code>votes</code>", cells
    overview = client.get("/field/coordinator/?lang=en", headers=basic("coord")).text
    assert "1 sent again with other content" in overview

    data = client.get(f"/field/api/admin/devices/{device_id}/reconciliation", headers=basic("coord")).json()
    [listed] = data["resubmissions"]
    assert listed["uuid"] == instance_id and listed["differing"] == ["comment", "votes"]
    assert listed["stored_device_id"] == device_id
    assert listed["stored_received_at"] < listed["other_received_at"] < listed["other_last_received_at"]

    with transaction(sessions) as session:
        erase(session, "response", instance_id, actor="test")
    assert _conflicts(sessions) == []  # the person's refused answers go with the stored ones


def test_a_tablet_resending_other_answers_is_kept_the_same_way(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    token = login(client)["token"]
    item = {"uuid": str(uuid.uuid4()), "consultation": field_env.slug, "version_id": field_env.version_id,
            "language": "fr", "answers": {"sex": "F", "age": 40, "votes": "yes"}}  # fmt: skip
    bearer = {"Authorization": f"Bearer {token}"}
    assert (
        client.post("/field/api/sync", json={"items": [item]}, headers=bearer).json()["results"][0]["status"]
        == "stored"
    )
    changed = {**item, "language": "nl", "answers": {**item["answers"], "age": 41}}
    result = client.post("/field/api/sync", json={"items": [changed]}, headers=bearer).json()["results"][0]
    assert result["status"] == "conflict", result
    [kept] = _conflicts(sessions)
    assert kept.content["language"] == "nl" and kept.content["answers"]["age"] == 41
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 1
        device_id = kept.device_id
    data = client.get(f"/field/api/admin/devices/{device_id}/reconciliation", headers=basic("coord")).json()
    assert data["resubmissions"][0]["differing"] == ["age", "language"]
