"""Migration 0006 re-keys answers by (response, question, position) and keeps every stored value;
it refuses, with a count, a store that already holds two values in one slot."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from survey.store import migrate
from survey.store.db import make_engine

RESPONSE = text(
    "INSERT INTO responses (id, uuid, consultation_id, questionnaire_version_id, mode, language, easy_read, status, "
    "received_at, content_hash) VALUES (1, 'u-1', 1, 1, 'online', 'fr', false, 'complete', CURRENT_TIMESTAMP, 'h')"
)
ANSWER = text(
    "INSERT INTO answers (response_id, question, position, value_text, value_number) VALUES (1, :q, :p, :t, :n)"
)
ROWS = [("sex", 0, "F", None), ("merge_why_not", 0, "cost", None), ("merge_why_not", 1, "other", None),
        ("trust_region", 0, None, 5.0)]  # fmt: skip


def _store_one_response(url: str, extra: list[tuple[str, int, str | None, float | None]]) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO consultations (id, slug, title, description, organiser, contact, "
                                "status, invitation_only, created_at) VALUES (1, 'c', '{}', '{}', '', '', 'open', "
                                "false, CURRENT_TIMESTAMP)"))  # fmt: skip
        connection.execute(text("INSERT INTO questionnaire_versions (id, consultation_id, number, form_id, form_version, "
                                "content, content_hash, source_name, created_at) VALUES (1, 1, 1, 'f', '1', '{}', 'h', "
                                "'s', CURRENT_TIMESTAMP)"))  # fmt: skip
        connection.execute(RESPONSE)
        for question, position, value_text, value_number in ROWS + extra:
            connection.execute(ANSWER, {"q": question, "p": position, "t": value_text, "n": value_number})
    engine.dispose()


def _answers(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT question, position, value_text, value_number FROM answers ORDER BY question, position"
            )
        ).all()
        key = inspect(connection).get_pk_constraint("answers")["constrained_columns"]
    engine.dispose()
    return [tuple(row) for row in rows] + [("key", *key)]


def test_rekeying_keeps_every_answer_up_and_down(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0005")
    _store_one_response(empty_database_url, [])
    before = _answers(empty_database_url)
    assert before[-1] == ("key", "id")
    migrate.upgrade(empty_database_url, "0006")
    after = _answers(empty_database_url)
    assert after[:-1] == before[:-1]
    assert after[-1] == ("key", "response_id", "question", "position")
    migrate.downgrade(empty_database_url, "0005")
    assert _answers(empty_database_url) == before


def test_two_values_in_one_slot_stop_the_upgrade_with_a_count(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0005")
    _store_one_response(empty_database_url, [("sex", 0, "M", None)])
    with pytest.raises(RuntimeError, match=r"1 .* slot"):
        migrate.upgrade(empty_database_url, "0006")
    engine = make_engine(empty_database_url)
    assert migrate.current_revision(engine) == "0005"
    engine.dispose()
