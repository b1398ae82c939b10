"""Restore drill: a backup taken while responses keep arriving restores every acknowledged response once.

On both backends: the demo is loaded, a thread submits responses through the service layer (each
acknowledged only after its commit, as the web app does), a backup is taken in the middle of the
stream and restored into a fresh database. Every response acknowledged before the backup began must
be there exactly once, none acknowledged after it ended, and the coordinators' reconciliation of
every tablet must read the same as in the source.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from field_app.reports import reconciliation
from survey.demo.load import SLUG, _answers
from survey.demo.population import load_population_table
from survey.demo.sample import generate_sample
from survey.ops.backup import create_backup
from survey.ops.restore import restore_backup
from survey.store import migrate
from survey.store.db import make_engine, session_factory, transaction
from survey.store.models import Consultation, Device, Mode, QuestionnaireVersion, Response
from survey.store.services.responses import AckStatus, ResponseService, Submission
from tests.ops.conftest import settings_for

WARM_UP = 15  # responses acknowledged before the backup starts
AFTER = 5  # responses acknowledged after it ended


class Stream(threading.Thread):
    """Submits demo-like online responses one transaction each until stopped; records each ack."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.acked: list[str] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.changed = threading.Condition()
        sample = generate_sample(load_population_table(), n_online=400, n_field=0, seed=99)
        self.answers = [_answers(row) for _, row in sample.iterrows()]

    def run(self) -> None:
        engine = make_engine(self.url)
        factory = session_factory(engine)
        try:
            with factory() as session:
                version = session.scalars(
                    select(QuestionnaireVersion)
                    .join(Consultation, Consultation.id == QuestionnaireVersion.consultation_id)
                    .where(Consultation.slug == SLUG)
                    .order_by(QuestionnaireVersion.number.desc())
                ).first()
            assert version is not None
            i = 0
            while not self.stop.is_set():
                submission = Submission(
                    uuid=str(uuid.uuid4()), version=version, mode=Mode.ONLINE, language="fr",
                    answers=self.answers[i % len(self.answers)],
                )  # fmt: skip
                with transaction(factory) as session:
                    ack = ResponseService(session).submit(submission)
                assert ack.status == AckStatus.STORED
                with self.changed:
                    self.acked.append(ack.uuid)  # acknowledged: committed
                    self.changed.notify_all()
                i += 1
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)
            with self.changed:
                self.changed.notify_all()
        finally:
            engine.dispose()

    def wait_for(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.acked) >= count or bool(self.errors), timeout=120)
        assert not self.errors, self.errors


def _reconciliations(session: Session) -> list[dict[str, object]]:
    devices = session.scalars(select(Device.id).order_by(Device.id)).all()
    return [msgspec.to_builtins(reconciliation(session, device)) for device in devices]


def _uuid_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Response.uuid, func.count()).group_by(Response.uuid)).all()
    return {str(u): int(n) for u, n in rows}


def test_backup_during_submissions_restores_every_acknowledged_response_once(
    demo_url: str, fresh_url: str, tmp_path: Path
) -> None:
    stream = Stream(demo_url)
    stream.start()
    try:
        stream.wait_for(WARM_UP)
        acknowledged_before = list(stream.acked)
        manifest = create_backup(settings_for(demo_url, tmp_path / "data"), tmp_path / "drill.tar")
        ended_at = len(stream.acked)
        stream.wait_for(ended_at + AFTER)
    finally:
        stream.stop.set()
        stream.join(timeout=60)
    assert not stream.errors, stream.errors
    acknowledged_after = stream.acked[ended_at:]

    report = restore_backup(settings_for(fresh_url, tmp_path / "restored"), tmp_path / "drill.tar")

    assert report.revision == migrate.head_revision()
    source_engine, target_engine = make_engine(demo_url), make_engine(fresh_url)
    try:
        with session_factory(target_engine)() as target, session_factory(source_engine)() as source:
            counts = _uuid_counts(target)
            assert [u for u in acknowledged_before if counts.get(u) != 1] == []
            assert [u for u in acknowledged_after if u in counts] == []
            assert max(counts.values()) == 1
            assert sum(counts.values()) == manifest.counts["responses"] >= 1151 + WARM_UP
            assert _reconciliations(target) == _reconciliations(source)
            assert any(r["received"] for r in _reconciliations(target))
    finally:
        source_engine.dispose()
        target_engine.dispose()
