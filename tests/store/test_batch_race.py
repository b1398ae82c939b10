"""A batch whose UUID another transaction commits in the meantime: the bulk insert hits the unique
index, its savepoint is rolled back, and the batch is settled one response at a time."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from survey.store.models import Answer, Mode, Response
from survey.store.services.responses import AckStatus, ResponseService, Submission, prepare
from tests.factories import store_demo_form, valid_answers


def _waits_for(event: threading.Event, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Until ``event`` is set (woken at once) or ``condition`` holds (checked every 10 ms), or the deadline."""
    deadline = time.monotonic() + timeout
    while not event.wait(0.01):
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
    return True


def _blocked_on_a_lock(rival: Session) -> bool:
    """PostgreSQL: another backend of this database waits on a lock (the rival's uncommitted row)."""
    if rival.get_bind().dialect.name != "postgresql":
        return False
    with rival.get_bind().connect() as probe:
        waiting = probe.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


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
    inserting = threading.Event()

    def on_execute(conn, cursor, statement: str, *args) -> None:
        # The batch looked the UUIDs up (found none) and now writes: the rival's commit must land after.
        if threading.current_thread() is worker and statement.lstrip().upper().startswith(
            "INSERT INTO RESPONSES"
        ):
            inserting.set()

    def batch() -> None:
        with sessions() as session, session.begin():
            outcomes.extend(
                ResponseService(session).store_prepared(
                    [prepare(submission(alone)), prepare(submission(twin))]
                )
            )

    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", on_execute)
    worker = threading.Thread(target=batch)
    try:
        worker.start()
        assert _waits_for(inserting, lambda: _blocked_on_a_lock(rival)), "the batch never got there"
        rival.commit()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
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
