"""``ResponseService.submit_many`` (the bulk path field sync uses) gives what ``submit`` gives, item by item."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.errors import ConflictError, InvalidAnswersError, StoreError
from survey.store.models import Answer, Mode, QuestionnaireVersion, Response
from survey.store.services.responses import Ack, AckStatus, ResponseService, Submission
from tests.field_app.conftest import FieldEnv


def submission(version: QuestionnaireVersion, uid: str, **answers: Any) -> Submission:
    values: dict[str, Any] = {"sex": "F", "age": 40, "votes": "yes"}
    values.update(answers)
    return Submission(uuid=uid, version=version, mode=Mode.FIELD, language="en", answers=values)


def kinds(outcomes: list[Ack | StoreError]) -> list[str]:
    return [o.status.value if isinstance(o, Ack) else type(o).__name__ for o in outcomes]


def test_batch_outcomes_match_single_submits(sessions: sessionmaker[Session], field_env: FieldEnv) -> None:
    old, same, new = (str(uuid.uuid4()) for _ in range(3))
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        service = ResponseService(session)
        service.submit(submission(version, old))
        service.submit(submission(version, same))
        outcomes = service.submit_many([
            submission(version, new),  # stored
            submission(version, old),  # replay of a stored response: duplicate
            submission(version, same, votes="no"),  # other content under a stored UUID: conflict
            submission(version, new.upper()),  # the same UUID again in this batch: duplicate
            submission(version, new, sex="M"),  # ...with other content: conflict
            submission(version, str(uuid.uuid4()), age=3),  # invalid answers
            submission(version, "not-a-uuid"),  # invalid UUID
        ])  # fmt: skip
    assert kinds(outcomes) == [
        "stored", "duplicate", "ConflictError", "duplicate", "ConflictError", "InvalidAnswersError", "StoreError",
    ]  # fmt: skip
    assert isinstance(outcomes[2], ConflictError) and isinstance(outcomes[5], InvalidAnswersError)
    first, repeat = outcomes[0], outcomes[3]
    assert isinstance(first, Ack) and isinstance(repeat, Ack) and first.response_id == repeat.response_id
    assert repeat.status is AckStatus.DUPLICATE
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 3
        assert session.scalar(select(func.count()).select_from(Answer)) == 9


def test_empty_and_all_duplicate_batches_write_nothing(
    sessions: sessionmaker[Session], field_env: FieldEnv
) -> None:
    ids = [str(uuid.uuid4()) for _ in range(5)]
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        assert ResponseService(session).submit_many([]) == []
        assert (
            kinds(ResponseService(session).submit_many([submission(version, i) for i in ids]))
            == ["stored"] * 5
        )
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        again = ResponseService(session).submit_many([submission(version, i) for i in ids])
        assert kinds(again) == ["duplicate"] * 5
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 5
