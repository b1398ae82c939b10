"""A batch whose UUID another transaction commits in the meantime: the bulk insert hits the unique
index, its savepoint is rolled back, and the batch is settled one response at a time."""

from __future__ import annotations

import threading
import time
import uuid

from sqlalchemy import func, select

from survey.store.models import Answer, Mode, Response
from survey.store.services.responses import AckStatus, ResponseService, Submission, prepare
from tests.factories import store_demo_form, valid_answers


def test_twin_committed_during_the_batch_is_a_duplicate_and_the_rest_is_stored(sessions) -> None:
    version = store_demo_form(sessions)

    def submission(response_uuid: str) -> Submission:
        return Submission(uuid=response_uuid, version=version, mode=Mode.ONLINE, language="fr",
                          answers=valid_answers())  # fmt: skip

    twin, alone = str(uuid.uuid4()), str(uuid.uuid4())
    rival = sessions()
    rival.begin()
    rival_ack = ResponseService(rival).submit(submission(twin))  # written, not yet committed
    outcomes: list[object] = []

    def batch() -> None:
        with sessions() as session, session.begin():
            outcomes.extend(
                ResponseService(session).store_prepared(
                    [prepare(submission(alone)), prepare(submission(twin))]
                )
            )

    worker = threading.Thread(target=batch)
    worker.start()
    time.sleep(0.5)  # the batch has looked the UUIDs up and now waits on the rival's row or lock
    rival.commit()
    rival.close()
    worker.join(timeout=30)
    assert not worker.is_alive()
    stored, duplicate = outcomes
    assert getattr(stored, "status", None) is AckStatus.STORED and getattr(stored, "uuid", None) == alone
    assert getattr(duplicate, "status", None) is AckStatus.DUPLICATE
    assert getattr(duplicate, "response_id", None) == rival_ack.response_id
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 2
        per_response = dict(
            session.execute(select(Answer.response_id, func.count()).group_by(Answer.response_id)).all()
        )
    assert sorted(per_response.values()) == [19, 19]  # nothing of the failed bulk insert was kept
