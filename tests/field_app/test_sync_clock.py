"""A tablet with a broken clock (year 1, year 3000) loses nothing: the interview or contact is kept
with that time unknown (the end time becomes the server's receipt time), the tablet is told which
times were ignored, what it said is kept for audit, and the coordinators' list says the tablet's
clock is wrong. The citizen API, where no interview is at stake, refuses such a time with a 422."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from survey.store.models import FieldClockFault, FieldReceipt, Response
from tests.field_app.conftest import FieldEnv, basic, login
from tests.field_app.test_api import interview, sync
from tests.field_app.test_coordinator_status import row


def test_an_interview_with_impossible_times_is_kept_with_the_time_unknown(
    client, sessions, field_env: FieldEnv
) -> None:
    body = login(client)
    token, device_id = body["token"], body["device_id"]
    broken = interview(field_env, started_at="0001-01-01T00:00:00Z", submitted_at="3000-01-01T10:00:00Z")
    offset = interview(field_env, started_at="0001-01-01T00:00:00+23:59")  # no place on the UTC calendar
    honest = interview(field_env)
    before = dt.datetime.now(dt.UTC)
    results = sync(client, token, [broken, offset, honest]).json()["results"]
    assert [(r["status"], r["clock_wrong"]) for r in results] == [
        ("stored", ["started_at", "submitted_at"]), ("stored", ["started_at"]), ("stored", []),
    ]  # fmt: skip
    with sessions() as session:
        kept = session.scalar(select(Response).where(Response.uuid == broken["uuid"]))
        assert kept is not None and kept.started_at is None
        assert before - dt.timedelta(seconds=5) <= kept.submitted_at <= dt.datetime.now(dt.UTC)
        assert kept.submitted_at == kept.received_at  # the server's receipt time, flagged below
        other = session.scalar(select(Response).where(Response.uuid == honest["uuid"]))
        assert other is not None and other.started_at == dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
        faults = session.execute(
            select(FieldClockFault.uuid, FieldClockFault.field, FieldClockFault.reported, FieldClockFault.device_id)
            .order_by(FieldClockFault.id)
        ).all()  # fmt: skip
    assert [tuple(f) for f in faults] == [
        (broken["uuid"], "started_at", "0001-01-01T00:00:00+00:00", device_id),
        (broken["uuid"], "submitted_at", "3000-01-01T10:00:00+00:00", device_id),
        (offset["uuid"], "started_at", "0001-01-01T00:00:00+23:59", device_id),
    ]
    # Sent again (the answer was lost on the way): a duplicate, told again, not noted twice.
    again = sync(client, token, [broken]).json()["results"]
    assert [(r["status"], r["clock_wrong"]) for r in again] == [("duplicate", ["started_at", "submitted_at"])]
    with sessions() as session:
        assert len(session.scalars(select(FieldClockFault.id)).all()) == 3
    # The coordinators' list says it, in their language; the JSON view counts it.
    assert "clock wrong on this tablet (3 time(s) ignored)" in row(client, device_id)
    assert "horloge fausse sur cette tablette" in row(client, device_id, "fr")
    assert "klok verkeerd op deze tablet" in row(client, device_id, "nl")
    reconciliation = client.get(f"/field/api/admin/devices/{device_id}/reconciliation", headers=basic("boss"))
    assert reconciliation.json()["clock_wrong"] == 3


def test_a_contact_with_an_impossible_time_is_kept_with_the_time_unknown(
    client, sessions, field_env: FieldEnv
) -> None:
    token = login(client)["token"]
    contact = {"uuid": str(uuid.uuid4()), "consultation": field_env.slug, "kind": "contact", "outcome": "refusal",
               "submitted_at": "0001-01-01T00:00:00+01:00", "client_hash": "c1"}  # fmt: skip
    [result] = sync(client, token, [contact]).json()["results"]
    assert (result["status"], result["clock_wrong"]) == ("stored", ["submitted_at"])
    with sessions() as session:
        receipt = session.scalar(select(FieldReceipt).where(FieldReceipt.uuid == contact["uuid"]))
        assert receipt is not None and receipt.contacted_at is None and receipt.outcome == "refusal"


def test_a_tablet_with_a_right_clock_is_not_flagged(client, field_env: FieldEnv) -> None:
    body = login(client)
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()  # a little ahead is normal
    [result] = sync(client, body["token"], [interview(field_env, submitted_at=soon)]).json()["results"]
    assert (result["status"], result["clock_wrong"]) == ("stored", [])
    assert "clock wrong" not in row(client, body["device_id"])


def test_the_citizen_api_refuses_an_impossible_start_naming_the_field(client, field_env: FieldEnv) -> None:
    response = client.post(
        f"/api/consultations/{field_env.slug}/responses",
        json={"uuid": str(uuid.uuid4()), "version_id": field_env.version_id, "language": "en",
              "answers": {"sex": "F", "age": 40, "votes": "yes"}, "started_at": "0001-01-01T00:00:00Z"},
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["started_at"]
