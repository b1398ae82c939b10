"""Responses are stored exactly once per client UUID; bad answers store nothing."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.store.db import transaction
from survey.store.errors import ConflictError, InvalidAnswersError, StoreError
from survey.store.models import Answer, Mode, Response, ResponseStatus
from survey.store.services.consultations import load_questionnaire
from survey.store.services.frames import responses_frame
from survey.store.services.responses import AckStatus, ResponseService, Submission, content_hash
from tests.factories import store_demo_form, valid_answers


def _count(sessions, model) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def _submit(sessions, version, response_uuid: str, **kwargs):
    with transaction(sessions) as session:
        return ResponseService(session).submit(
            Submission(
                uuid=response_uuid,
                version=version,
                mode=kwargs.pop("mode", Mode.ONLINE),
                language=kwargs.pop("language", "fr"),
                answers=kwargs.pop("answers", valid_answers()),
                **kwargs,
            )
        )


def test_same_uuid_twice_is_acknowledged_and_stored_once(sessions) -> None:
    version = store_demo_form(sessions)
    response_uuid = str(uuid.uuid4())
    first = _submit(sessions, version, response_uuid)
    answers_after_first = _count(sessions, Answer)
    second = _submit(sessions, version, response_uuid.upper())
    assert first.status is AckStatus.STORED
    assert second.status is AckStatus.DUPLICATE
    assert second.response_id == first.response_id
    assert _count(sessions, Response) == 1
    assert _count(sessions, Answer) == answers_after_first


def test_same_uuid_with_other_content_is_a_conflict_and_keeps_the_original(sessions) -> None:
    version = store_demo_form(sessions)
    response_uuid = str(uuid.uuid4())
    _submit(sessions, version, response_uuid)
    with pytest.raises(ConflictError, match="different content"):
        _submit(sessions, version, response_uuid, answers=valid_answers(trust_region=9))
    frame = _frame(sessions, version)
    assert frame.height == 1
    assert frame["trust_region"].to_list() == [5.0]


def _frame(sessions, version):
    with sessions() as session:
        return responses_frame(session, version.consultation_id, load_questionnaire(version))


def test_invalid_answers_list_every_field_and_store_nothing(sessions) -> None:
    version = store_demo_form(sessions)
    bad = valid_answers(sex=None, trust_region=11, age_group="12-17", unknown_question="x")
    with pytest.raises(InvalidAnswersError) as caught:
        _submit(sessions, version, str(uuid.uuid4()), answers=bad, language="en")
    fields = {e.question: e.code for e in caught.value.errors}
    assert fields == {
        "sex": "required",
        "trust_region": "constraint",
        "age_group": "choice",
        "unknown_question": "unknown",
    }
    assert "0 to 10" in next(e.message for e in caught.value.errors if e.question == "trust_region")
    assert _count(sessions, Response) == 0
    assert _count(sessions, Answer) == 0


def test_malformed_uuid_is_refused(sessions) -> None:
    version = store_demo_form(sessions)
    with pytest.raises(ValueError, match="UUID"):
        _submit(sessions, version, "not-a-uuid")


def test_field_response_keeps_mode_interviewer_and_analysis_frame_is_typed(sessions) -> None:
    version = store_demo_form(sessions)
    _submit(sessions, version, str(uuid.uuid4()))
    _submit(
        sessions,
        version,
        str(uuid.uuid4()),
        mode=Mode.FIELD,
        language="nl",
        answers=valid_answers(
            merge_municipalities="agree", merge_how="fewer", merge_why_not=None, merge_why_not_other=None
        ),
    )
    frame = _frame(sessions, version).sort("mode")
    assert frame["mode"].to_list() == ["field", "online"]
    assert frame["language"].to_list() == ["nl", "fr"]
    assert frame["merge_why_not"].to_list() == [None, "identity other"]
    assert frame["merge_how"].to_list() == ["fewer", None]
    assert frame["trust_municipality"].dtype.is_float()
    assert frame["merge_why_not_other"].to_list()[1] == "Local <b>pride</b> & history"


def test_irrelevant_answers_are_dropped_not_stored(sessions) -> None:
    version = store_demo_form(sessions)
    answers = valid_answers(merge_municipalities="agree", merge_how="one_city")
    _submit(sessions, version, str(uuid.uuid4()), answers=answers)
    with sessions() as session:
        stored = set(session.scalars(select(Answer.question)))
    assert "merge_how" in stored
    assert "merge_why_not" not in stored and "merge_why_not_other" not in stored


def test_in_progress_response_skips_required_checks(sessions) -> None:
    version = store_demo_form(sessions)
    ack = _submit(
        sessions, version, str(uuid.uuid4()), answers={"sex": "M"}, status=ResponseStatus.IN_PROGRESS
    )
    assert ack.status is AckStatus.STORED
    with sessions() as session:
        assert session.scalar(select(Response.status)) == "in_progress"


def test_frame_refuses_a_duplicated_single_answer_and_reads_select_multiple_in_order(sessions) -> None:
    version = store_demo_form(sessions)
    first = _submit(
        sessions, version, str(uuid.uuid4()), answers=valid_answers(merge_why_not=["other", "cost"])
    )
    _submit(sessions, version, str(uuid.uuid4()))
    frame = _frame(sessions, version)
    assert frame.height == 2 and frame["trust_region"].to_list() == [5.0, 5.0]
    assert frame.filter(frame["response_id"] == first.response_id)["merge_why_not"].to_list() == [
        "other cost"
    ]
    # The store keeps one value per (response, question, position) slot...
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(Answer(response_id=first.response_id, question="sex", value_text="M"))
    # ...and the frame refuses a second position on a single-answer question, were one written.
    with transaction(sessions) as session:
        session.add(Answer(response_id=first.response_id, question="sex", position=1, value_text="M"))
    with pytest.raises(StoreError, match="two answers to a single-answer question"):
        _frame(sessions, version)


def test_content_hash_bytes_are_those_stored_hashes_were_made_from() -> None:
    """Replays after an upgrade must still match: the hash is sha256 of json.dumps(sort_keys, no ASCII escapes)."""

    answers = {
        "merge_why_not": ["other", "coût"],
        "trust_region": 5,
        "years": 7.5,
        "comment": 'a "b"\n\u2028',
    }
    payload = {"v": "abc", "m": "online", "l": "fr", "a": answers}
    expected = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert content_hash("abc", "online", "fr", answers) == expected
