"""Every migration, down and up again and up and down again, on a database holding the demo.

Generic over the revision list (a migration added later is covered without editing this file):
starting from the demo at head, the walk goes down one revision at a time. At each revision R:

* down to R's parent (after what R says an operator must do first: ``before_downgrade_sql``) keeps every row of the tables both schemas have (on their common columns),
  unless R declares what its downgrade loses (``lossy_downgrade = {"table": "why"}`` in its module);
* up to R again gives back the same schema and, for every table that existed before R, the same rows;
* down again gives back the parent's rows, and the walk goes on from there.

On PostgreSQL each upgrade step is also observed for write-blocking locks on ``responses`` and
``answers`` (survey.ops.migration_locks): a step that takes one must say so in its module
(``locks_big_tables = "why, and when to run it"``), so the operator's guide can name it. How long
such a lock lasts on a million answers is measured by ``bench/migrations.py``, not here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, column, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from survey.demo.load import load_demo
from survey.ops.migration_locks import before_downgrade_sql, migrate_step
from survey.store import migrate
from survey.store.db import make_engine, session_factory, transaction
from survey.store.models import (
    Attachment,
    Consultation,
    Device,
    FieldClockFault,
    FieldConflict,
    FieldReceipt,
    FieldSupervisorCode,
    QuestionnaireVersion,
    Response,
    ResultSnapshot,
    StaffSession,
    TargetSet,
    User,
    WeightingScheme,
)
from survey.store.services.erasure import erase
from survey.store.services.invitations import InvitationService
from tests.conftest import BACKENDS, POSTGRES_URL, copy_database, drop_database, new_database

# Migrations written before modules could declare it: what their downgrade loses, what they lock.
KNOWN_LOSSY: dict[str, dict[str, str]] = {}
KNOWN_LOCKING: dict[str, str] = {
    "0006": "re-keys answers: rewrites the table under an exclusive lock (docs/operations.md, Upgrade)",
    "0007": "indexes responses.replaces_uuid without CONCURRENTLY: writes wait while it builds",
}
# Downgrades that fail on a populated store (found by this test; the migration's owner fixes them).
# The walk checks they still fail, so a fix must remove its entry, and stops there on that backend.
KNOWN_BROKEN: dict[tuple[str, str], str] = {}


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))


def _module(revision: str) -> ModuleType:
    return _scripts().get_revision(revision).module  # type: ignore[union-attr]


def _declared(revision: str, name: str, known: dict[str, object]) -> object:
    return getattr(_module(revision), name, None) or known.get(revision)


def _columns(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine)
    return {
        name: sorted(c["name"] for c in found.get_columns(name))
        for name in found.get_table_names()
        if name != "alembic_version"
    }


def _schema(engine: Engine) -> dict[str, object]:
    found = inspect(engine)
    return {
        name: (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(name)),
            sorted(i["name"] or "" for i in found.get_indexes(name)),
        )
        for name in found.get_table_names()
        if name != "alembic_version"
    }


def _rows(engine: Engine, name: str, columns: list[str]) -> tuple[int, str]:
    query = select(*(column(c) for c in columns)).select_from(table(name))
    with engine.connect() as connection:
        rows = sorted(repr(tuple(row)) for row in connection.execute(query))
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _fill_what_the_demo_leaves_empty(sessions: sessionmaker[Session]) -> None:
    """A few rows in the tables the demo does not write, so their migrations run on data too."""
    with transaction(sessions) as session:
        consultation = session.scalars(select(Consultation)).one()
        version = session.scalars(select(QuestionnaireVersion)).one()
        user = session.scalars(select(User).order_by(User.id)).first()
        device = session.scalars(select(Device)).first()
        assert user is not None and device is not None
        InvitationService(session).issue(consultation, 3, actor="test")
        now = dt.datetime.now(dt.UTC)
        session.add(StaffSession(id_hash="a" * 64, user_id=user.id, expires_at=now + dt.timedelta(hours=8)))
        session.add(FieldReceipt(uuid=str(uuid.uuid4()), kind="contact", consultation_id=consultation.id,
                                 device_id=device.id, interviewer_id=device.user_id, outcome="refusal",
                                 client_hash="c" * 64, contacted_at=now))  # fmt: skip
        session.add(FieldSupervisorCode(consultation_id=consultation.id, salt="s" * 32, iterations=1000,
                                        hash="h" * 64, set_by="test"))  # fmt: skip
        session.add(FieldClockFault(uuid=str(uuid.uuid4()), device_id=device.id, field="started_at",
                                    reported="0001-01-01T00:00:00Z", received_at=now))  # fmt: skip
        session.add(FieldConflict(uuid=str(uuid.uuid4()), consultation_id=consultation.id, device_id=device.id,
                                  interviewer_id=device.user_id, content_hash="e" * 64,
                                  content={"answers": {"q": "x"}}, received_at=now, last_received_at=now))  # fmt: skip
        target_set = session.scalars(select(TargetSet)).one()
        session.add(ResultSnapshot(consultation_id=consultation.id, questionnaire_version_id=version.id,
                                   target_set_id=target_set.id, data_hash="d" * 64, method="rake",
                                   software_version="test", content={"results": []}, created_by_id=user.id))  # fmt: skip
        session.add(WeightingScheme(consultation_id=consultation.id, name="roundtrip", target_set_id=target_set.id,
                                    method="linear", settings={"variables": ["sex"], "bounds": [0.5, 2.0],
                                                               "trim": None, "missing": "mode"},
                                    created_by_id=user.id))  # fmt: skip
        kept = session.scalars(select(Response.uuid).order_by(Response.id.desc())).first()
        assert kept is not None
        session.add(Attachment(response_uuid=kept, consultation_id=consultation.id, question="photo",
                               filename="p.png", media_type="image/png", size=8, sha256="f" * 64,
                               content=b"\x89PNG\r\n\x1a\n"))  # fmt: skip
        victim = session.scalars(select(Response.uuid).order_by(Response.id)).first()
        assert victim is not None
        erase(session, "response", victim, actor="test")


@pytest.fixture(scope="module", params=BACKENDS)
def demo_at_head(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    like = (
        f"sqlite:///{tmp_path_factory.mktemp('mig') / 'x.sqlite3'}"
        if request.param == "sqlite"
        else POSTGRES_URL
    )
    url = new_database(like, "mig_tpl", tmp_path_factory.mktemp("mig_tpl"))
    migrate.upgrade(url)
    engine = make_engine(url)
    load_demo(session_factory(engine), password="migration-demo")
    _fill_what_the_demo_leaves_empty(session_factory(engine))
    engine.dispose()
    yield url
    drop_database(url)


def test_every_migration_goes_down_and_up_keeping_the_data(demo_at_head: str, tmp_path: Path) -> None:
    url = copy_database(demo_at_head, "mig_walk", tmp_path)
    engine = make_engine(url)
    backend = make_url(url).get_backend_name()
    postgresql = backend == "postgresql"
    locking: dict[str, list[str]] = {}
    try:
        head = migrate.current_revision(engine)
        assert head == migrate.head_revision()
        empty = [t for t, cols in _columns(engine).items() if not _rows(engine, t, cols)[0]]
        assert empty == [], "every table holds rows before the walk"
        revision: str | None = head
        while revision is not None:
            parent = _scripts().get_revision(revision).down_revision
            assert parent is None or isinstance(parent, str), f"{revision}: merges are not walked"
            target = parent or "base"
            prepare = before_downgrade_sql(revision)
            if prepare:
                with engine.begin() as connection:
                    connection.execute(text(str(prepare)))
            if (backend, revision) in KNOWN_BROKEN:
                with pytest.raises(IntegrityError):
                    migrate_step(engine, url, target, down=True)
                break
            at_r_columns, at_r_schema = _columns(engine), _schema(engine)
            at_r = {t: _rows(engine, t, cols) for t, cols in at_r_columns.items()}

            migrate_step(engine, url, target, down=True)
            at_parent_columns = _columns(engine)
            at_parent = {t: _rows(engine, t, cols) for t, cols in at_parent_columns.items()}
            lossy = _declared(revision, "lossy_downgrade", KNOWN_LOSSY) or {}
            common = {
                name: shared
                for name, cols in at_parent_columns.items()
                if name not in lossy and (shared := sorted(set(cols) & set(at_r_columns.get(name, []))))
            }
            kept = {name: _rows(engine, name, cols) for name, cols in common.items()}

            step = migrate_step(engine, url, revision)
            assert _schema(engine) == at_r_schema, f"{revision}: down and up changed the schema"
            for name in at_parent_columns:
                if name in at_r and name not in lossy:
                    assert _rows(engine, name, at_r_columns[name]) == at_r[name], (
                        f"{revision}: {name} changed"
                    )
            for name, cols in common.items():  # the data at R, on the columns its parent also has
                assert _rows(engine, name, cols) == kept[name], (
                    f"{revision}: its downgrade lost rows of {name}"
                )
            if postgresql and step.blocks_writes:
                locking[revision] = [f"{t}: {m}" for t, m in step.locks.items()] + step.risky

            migrate_step(engine, url, target, down=True)
            assert {t: _rows(engine, t, c) for t, c in _columns(engine).items()} == at_parent, (
                f"{revision}: up and down changed the data of {parent}"
            )
            revision = parent
    finally:
        engine.dispose()
        drop_database(url)
    undeclared = {r: why for r, why in locking.items() if not _declared(r, "locks_big_tables", KNOWN_LOCKING)}
    assert undeclared == {}, "migrations that block submissions must say so (locks_big_tables)"
