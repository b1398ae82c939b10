"""A field correction supersedes the interview it replaces: counted once, everywhere (issue #24).

Every test runs on SQLite and PostgreSQL (the ``sessions`` fixture) and goes through the real
sync endpoint or the real response service; the counts are read back through the store's readers.
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.reports import quota_cells
from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.errors import InvalidAnswersError
from survey.store.models import Consultation, Mode, QuestionnaireVersion, Response, ResponseStatus
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.frames import responses_frame
from survey.store.services.responses import AckStatus, ResponseService, Submission
from tests.field_app.conftest import FORM, SLUG, FieldEnv, basic, login
from tests.field_app.test_api import interview, sync

QUOTAS = f"/field/api/admin/consultations/{SLUG}/quotas"


def _uuid() -> str:
    return str(uuid_lib.uuid4())


def _submit(
    sessions: sessionmaker[Session], env: FieldEnv, uuid: str, sex: str = "F", **extra: Any
) -> AckStatus:
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, extra.pop("version_id", env.version_id))
        assert version is not None
        submission = Submission(
            uuid=uuid, version=version, mode=Mode.FIELD, language="en",
            answers={"sex": sex, "age": 40, "votes": "yes"}, **extra,
        )  # fmt: skip
        return ResponseService(session).submit(submission).status


def _counted(sessions: sessionmaker[Session], env: FieldEnv) -> tuple[int, list[str], dict[str, int]]:
    """What every reader sees: the count, the analysis frame's UUIDs, the quota cells."""
    with sessions() as session:
        consultation = ConsultationService(session).get(env.slug)
        version = session.get(QuestionnaireVersion, env.version_id)
        assert version is not None
        frame = responses_frame(session, consultation.id, load_questionnaire(version))
        cells = {q.category: q.done for q in quota_cells(session, consultation)}
        return ResponseService(session).count(consultation.id), sorted(frame["uuid"]), cells


@pytest.fixture
def quotas(client, field_env: FieldEnv) -> None:
    cells = [{"variable": "sex", "category": c, "target": 5} for c in ("F", "M")]
    assert client.put(QUOTAS, json=cells, headers=basic("ana")).status_code == 200


def test_a_synced_correction_replaces_its_original_in_counts_frames_and_quotas(
    client, sessions, field_env: FieldEnv, quotas: None
) -> None:
    token = login(client)["token"]
    original = interview(field_env)
    assert sync(client, token, [original]).json()["results"][0]["status"] == "stored"
    correction = interview(field_env, answers={"sex": "M", "age": 40, "votes": "yes"},
                           replaces_uuid=original["uuid"])  # fmt: skip
    assert sync(client, token, [correction]).json()["results"][0]["status"] == "stored"
    assert _counted(sessions, field_env) == (1, [correction["uuid"]], {"F": 0, "M": 1})
    with sessions() as session:  # the original is kept for audit
        assert session.scalar(select(func.count(Response.id))) == 2


def test_a_chain_of_corrections_resolves_to_the_latest(sessions, field_env: FieldEnv, quotas: None) -> None:
    first, second, third = _uuid(), _uuid(), _uuid()
    _submit(sessions, field_env, first, "F")
    _submit(sessions, field_env, second, "M", replaces_uuid=first)
    _submit(sessions, field_env, third, "F", replaces_uuid=second)
    assert _counted(sessions, field_env) == (1, [third], {"F": 1, "M": 0})


def test_a_correction_arriving_before_its_original_still_supersedes_it(
    sessions, field_env: FieldEnv, quotas: None
) -> None:
    original, correction = _uuid(), _uuid()
    assert _submit(sessions, field_env, correction, "M", replaces_uuid=original) is AckStatus.STORED
    assert _counted(sessions, field_env) == (1, [correction], {"F": 0, "M": 1})  # counts on its own
    assert _submit(sessions, field_env, original, "F") is AckStatus.STORED
    assert _counted(sessions, field_env) == (1, [correction], {"F": 0, "M": 1})


def test_one_sync_batch_holding_original_and_correction_counts_one(
    client, sessions, field_env: FieldEnv, quotas: None
) -> None:
    token = login(client)["token"]
    original = interview(field_env)
    correction = interview(field_env, answers={"sex": "M", "age": 40, "votes": "no"},
                           replaces_uuid=original["uuid"])  # fmt: skip
    results = sync(client, token, [correction, original]).json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored"]
    assert _counted(sessions, field_env) == (1, [correction["uuid"]], {"F": 0, "M": 1})


def test_the_superseded_originals_are_readable_apart_for_audit(sessions, field_env: FieldEnv) -> None:
    original, correction = _uuid(), _uuid()
    _submit(sessions, field_env, original, "F")
    _submit(sessions, field_env, correction, "M", replaces_uuid=original)
    with sessions() as session:
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        frame = responses_frame(
            session, version.consultation_id, load_questionnaire(version), rows="superseded"
        )
    assert frame["uuid"].to_list() == [original] and frame["sex"].to_list() == ["F"]


def test_a_quarantined_correction_does_not_supersede(sessions, field_env: FieldEnv) -> None:
    original, correction = _uuid(), _uuid()
    _submit(sessions, field_env, original, "F")
    _submit(sessions, field_env, correction, "M", replaces_uuid=original, status=ResponseStatus.QUARANTINED)
    count, uuids, _ = _counted(sessions, field_env)
    assert (count, uuids) == (1, [original])


def _refusal(sessions: sessionmaker[Session], env: FieldEnv, uuid: str, **extra: Any) -> str:
    with pytest.raises(InvalidAnswersError) as refused:
        _submit(sessions, env, uuid, "M", **extra)
    (error,) = refused.value.errors
    assert error.question == "replaces_uuid"
    return error.code


def test_a_second_correction_of_one_interview_is_refused_and_a_replay_is_a_duplicate(
    client, sessions, field_env: FieldEnv
) -> None:
    original, correction = _uuid(), _uuid()
    _submit(sessions, field_env, original, "F")
    assert _submit(sessions, field_env, correction, "M", replaces_uuid=original) is AckStatus.STORED
    assert _submit(sessions, field_env, correction, "M", replaces_uuid=original) is AckStatus.DUPLICATE
    assert _refusal(sessions, field_env, _uuid(), replaces_uuid=original) == "already_corrected"
    token = login(client)["token"]  # the tablet gets it as an invalid item naming the field
    twins = [interview(field_env, replaces_uuid=correction) for _ in range(2)]
    results = sync(client, token, twins).json()["results"]
    assert [r["status"] for r in results] == ["stored", "invalid"]
    assert results[1]["errors"][0]["field"] == "replaces_uuid"
    assert results[1]["errors"][0]["code"] == "already_corrected"
    assert _counted(sessions, field_env)[:2] == (1, [twins[0]["uuid"]])


def test_a_correction_of_another_consultations_interview_is_refused(sessions, field_env: FieldEnv) -> None:
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        other = consultations.create("other", {"en": "Other"}, actor="test")
        other_version = consultations.add_version(
            other, Questionnaire.from_dict(FORM), source_name="test", actor="test"
        ).version.id
    elsewhere = _uuid()
    _submit(sessions, field_env, elsewhere, "F", version_id=other_version)
    assert _refusal(sessions, field_env, _uuid(), replaces_uuid=elsewhere) == "other_consultation"
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 1
        other_id = session.scalar(select(Consultation.id).where(Consultation.slug == "other"))
        assert other_id is not None and ResponseService(session).count(other_id) == 1


def test_a_correction_loop_is_refused(sessions, field_env: FieldEnv) -> None:
    first, second = _uuid(), _uuid()
    _submit(sessions, field_env, first, "F", replaces_uuid=second)  # its original has not arrived yet
    assert _refusal(sessions, field_env, second, replaces_uuid=first) == "correction_cycle"
    itself = _uuid()
    assert _refusal(sessions, field_env, itself, replaces_uuid=itself) == "correction_cycle"
    assert _counted(sessions, field_env)[:2] == (1, [first])


def test_the_coordinator_sees_how_many_received_interviews_a_correction_replaced(
    client, field_env: FieldEnv
) -> None:
    body = login(client)
    original = interview(field_env)
    correction = interview(field_env, replaces_uuid=original["uuid"])
    manifest = [{"uuid": i["uuid"], "client_hash": i["client_hash"]} for i in (original, correction)]
    assert sync(client, body["token"], [original, correction], manifest=manifest).status_code == 200
    url = f"/field/api/admin/devices/{body['device_id']}/reconciliation"
    reconciliation = client.get(url, headers=basic("boss")).json()
    assert (reconciliation["received"], reconciliation["superseded"], reconciliation["missing"]) == (2, 1, 0)
    page = client.get(f"/field/coordinator/devices/{body['device_id']}?lang=en", headers=basic("coord")).text
    assert "<dt>Received, then replaced by a correction (kept, not counted)</dt><dd>1</dd>" in page


def test_the_coordinator_sees_corrections_whose_original_has_not_arrived(client, field_env: FieldEnv) -> None:
    body = login(client)
    original = interview(field_env)
    correction = interview(field_env, replaces_uuid=original["uuid"])
    url = f"/field/api/admin/devices/{body['device_id']}/reconciliation"
    assert sync(client, body["token"], [correction]).status_code == 200
    assert client.get(url, headers=basic("boss")).json()["awaiting_original"] == 1
    page = client.get(f"/field/coordinator/devices/{body['device_id']}?lang=nl", headers=basic("coord")).text
    assert "nog niet ontvangen is (tot dan alleen geteld)</dt><dd>1</dd>" in page
    assert sync(client, body["token"], [original]).status_code == 200
    assert client.get(url, headers=basic("boss")).json()["awaiting_original"] == 0
