"""Migration 0011 adds per-consultation grants without locking anyone out: every analyst and
coordinator gets their role on every consultation that existed; downgrading removes only the grants."""

from __future__ import annotations

from sqlalchemy import inspect, text

from survey.store import migrate
from survey.store.db import make_engine

USERS = [(1, "ada", "admin"), (2, "ana", "analyst"), (3, "coco", "coordinator"), (4, "ivo", "interviewer"),
         (5, "bea", "analyst")]  # fmt: skip


def _populate(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        for user_id, name, role in USERS:
            connection.execute(
                text("INSERT INTO users (id, username, password_hash, role, display_name, active, created_at) "
                     "VALUES (:i, :n, 'x', :r, '', true, CURRENT_TIMESTAMP)"),
                {"i": user_id, "n": name, "r": role},
            )  # fmt: skip
        for consultation_id in (1, 2):
            connection.execute(
                text("INSERT INTO consultations (id, slug, title, description, organiser, contact, status, "
                     "invitation_only, created_at) VALUES (:i, :s, '{}', '{}', '', '', 'open', false, CURRENT_TIMESTAMP)"),
                {"i": consultation_id, "s": f"c{consultation_id}"},
            )  # fmt: skip
        connection.execute(text("INSERT INTO field_assignments (user_id, consultation_id, created_at) "
                                "VALUES (4, 2, CURRENT_TIMESTAMP)"))  # fmt: skip
    engine.dispose()


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(text(query))]
    engine.dispose()
    return rows


def test_existing_analysts_and_coordinators_keep_every_consultation(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0010")
    _populate(empty_database_url)
    users_before = _rows(empty_database_url, "SELECT id, username, role FROM users ORDER BY id")
    migrate.upgrade(empty_database_url, "0011")
    grants = _rows(
        empty_database_url,
        "SELECT user_id, consultation_id, role, granted_by FROM consultation_grants ORDER BY user_id, consultation_id",
    )
    assert grants == [
        (2, 1, "analyst", "migration 0011"),
        (2, 2, "analyst", "migration 0011"),
        (3, 1, "coordinator", "migration 0011"),
        (3, 2, "coordinator", "migration 0011"),
        (5, 1, "analyst", "migration 0011"),
        (5, 2, "analyst", "migration 0011"),
    ]
    stamps = _rows(empty_database_url, "SELECT granted_at FROM consultation_grants")
    assert all(s[0] is not None for s in stamps)
    migrate.downgrade(empty_database_url, "0010")
    engine = make_engine(empty_database_url)
    assert "consultation_grants" not in inspect(engine).get_table_names()
    engine.dispose()
    assert _rows(empty_database_url, "SELECT id, username, role FROM users ORDER BY id") == users_before
    assert _rows(empty_database_url, "SELECT user_id, consultation_id FROM field_assignments") == [(4, 2)]
    migrate.upgrade(empty_database_url, "0011")
    assert len(_rows(empty_database_url, "SELECT id FROM consultation_grants")) == 6


def test_an_empty_store_gets_no_grants(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0011")
    assert _rows(empty_database_url, "SELECT id FROM consultation_grants") == []
