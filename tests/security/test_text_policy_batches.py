"""In a tablet's batch, text the policy refuses costs its own item only; the other interviews are stored."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Answer
from tests.field_app.conftest import FieldEnv, client, field_env, login
from tests.field_app.test_api import count, interview, sync

__all__ = ["client", "field_env"]


def test_a_control_character_in_one_item_refuses_that_item_only(
    client: TestClient, sessions: sessionmaker[Session], field_env: FieldEnv
) -> None:
    token = login(client)["token"]
    good = interview(
        field_env, answers={"sex": "F", "age": 40, "votes": "yes", "comment": "Cafe\u0301 \u202eok"}
    )
    bell = interview(field_env, note="ring\x07")
    escape = interview(field_env, answers={"sex": "F", "age": 40, "votes": "yes", "comment": "\x1b[2J"})
    reply = sync(client, token, [good, bell, escape])
    assert reply.status_code == 200, reply.text
    results = reply.json()["results"]
    assert [r["status"] for r in results] == ["stored", "invalid", "invalid"]
    assert results[1]["detail"].startswith("note:") and "U+0007" in results[1]["detail"]
    assert results[2]["detail"].startswith("answers.comment:")
    assert count(sessions) == 1
    with sessions() as session:
        assert (
            session.scalars(select(Answer.value_text).where(Answer.question == "comment")).one() == "Café ok"
        )
