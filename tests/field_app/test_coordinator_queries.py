"""The coordinators' overview reads every tablet in a fixed number of queries, not a round per tablet.

Why: the overview lists every tablet a coordinator may supervise (hundreds on a large field day);
one round of queries per device made the page slower with each tablet registered.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.reports import reconciliation
from field_app.service import CoordinatorService
from survey.store.models import FieldClockFault, FieldDeviceReport, FieldManifestEntry, User
from survey.store.services.field_devices import register_device
from tests.field_app.conftest import FieldEnv


@contextmanager
def counted_statements(session: Session) -> Iterator[list[str]]:
    """Every SQL statement the session's connection sends while the block runs."""
    seen: list[str] = []
    engine = session.get_bind()

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _tablets(session: Session, interviewer: User, count: int) -> None:
    """Tablets with a manifest (one interview never received), a status report and a clock fault."""
    for n in range(count):
        device, _ = register_device(session, interviewer, f"tablet {n}")
        session.add(FieldManifestEntry(device_id=device.id, uuid=str(uuid.uuid4()), client_hash="a" * 64))
        session.add(FieldDeviceReport(device_id=device.id, unfinished=n))
        session.add(FieldClockFault(uuid=str(uuid.uuid4()), device_id=device.id, field="start", reported="x"))
    session.flush()


def test_the_overview_costs_the_same_queries_for_two_tablets_as_for_twelve(
    sessions: sessionmaker[Session], field_env: FieldEnv
) -> None:
    with sessions() as session:
        boss = session.scalars(select(User).where(User.username == field_env.admin)).one()
        interviewer = session.scalars(select(User).where(User.username == field_env.interviewer)).one()
        _tablets(session, interviewer, 2)
        with counted_statements(session) as few:
            two = CoordinatorService(session).reconciliations(boss)
        _tablets(session, interviewer, 10)
        with counted_statements(session) as many:
            twelve = CoordinatorService(session).reconciliations(boss)
        assert [len(two), len(twelve)] == [2, 12]
        assert len(many) == len(few), many
        # the batch says what the one-device read model says, tablet by tablet
        assert twelve == [reconciliation(session, r.device_id) for r in twelve]
        assert [(r.missing, r.unfinished, r.clock_wrong) for r in twelve[:3]] == [
            (1, 0, 1),
            (1, 1, 1),
            (1, 0, 1),
        ]
        session.rollback()
