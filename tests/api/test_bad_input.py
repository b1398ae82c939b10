"""Input no honest client sends still gets a 4xx naming what is wrong, never a 500 or a 503, and a
response next to it in the same group commit is stored all the same."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy import text as sql_text

from survey.store.errors import InvalidAnswersError
from survey.store.models import Mode, Response
from survey.store.services.intake import OnlineTargets, SubmissionBatcher, WriterStats
from survey.store.services.responses import Ack, AckStatus, Submission, prepare
from tests.api.conftest import SLUG, URL, body
from tests.api.test_group_commit import post_all
from tests.factories import valid_answers


def _stored(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return int(session.scalar(select(func.count(Response.id))) or 0)


def _fields(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["field"] for e in reply.json()["errors"]]


def test_values_the_store_cannot_hold_are_422_and_the_batch_beside_them_is_stored(
    client, version, sessions
) -> None:
    poison = [
        body(version.id, answers=valid_answers(merge_why_not_other="a\x00b")),
        body(version.id, started_at="0001-01-01T00:00:00+23:59"),
        body(version.id, answers=valid_answers(years_in_brussels=10**400)),
        body(version.id, answers=valid_answers(merge_why_not={"identity": 1})),  # a mapping, not a list
    ]
    honest = [body(version.id) for _ in range(8)]
    replies = post_all(client, [*poison, *honest])
    assert [r.status_code for r in replies] == [422] * 4 + [201] * 8, [r.text for r in replies[:4]]
    assert (
        _fields(replies[0]) == ["merge_why_not_other"]
        and replies[0].json()["errors"][0]["code"] == "invalid_text"
    )
    assert _fields(replies[1]) == ["started_at"]
    assert _fields(replies[2]) == ["years_in_brussels"]
    assert "merge_why_not" in _fields(replies[3])
    assert _stored(sessions) == 8


def test_ids_past_the_column_are_4xx_and_deep_nesting_is_400(client, version, sessions) -> None:
    huge = client.post(URL, json=body(2**63))
    assert huge.status_code == 422 and [e["field"] for e in huge.json()["errors"]] == ["version_id"]
    assert client.post(URL, json=body(2**31)).status_code == 422
    nested = client.post(URL, content=b"[" * 5000 + b"]" * 5000, headers={"Content-Type": "application/json"})
    assert nested.status_code == 400 and "nested too deeply" in nested.json()["detail"]
    assert client.get(f"/results/{SLUG}/{2**63}").status_code == 400
    assert _stored(sessions) == 0


def test_a_nul_in_a_path_names_nothing(client, version) -> None:
    for path in ("/c/%00", "/api/consultations/%00/questionnaire", "/results/%00"):
        assert client.get(path, follow_redirects=False).status_code == 404, path
    assert client.get("/analyst/%00", follow_redirects=False).status_code == 303  # to sign in first
    assert client.get("/api/consultations/%00/questionnaire").json()["detail"] == "no such page"  # the hook's
    assert client.get(f"/c/{SLUG}").status_code == 200  # the hook costs ordinary pages nothing


def _refuse_in_the_database(sessions, text: str) -> str:  # type: ignore[no-untyped-def]
    """A real refusal by the database for one answer text (what no validation foresaw), and its undo."""
    with sessions() as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            session.execute(
                sql_text(f"ALTER TABLE answers ADD CONSTRAINT refuse_one CHECK (value_text <> '{text}')")
            )
            return "ALTER TABLE answers DROP CONSTRAINT refuse_one"
        session.execute(sql_text(
            f"CREATE TRIGGER refuse_one BEFORE INSERT ON answers WHEN NEW.value_text = '{text}' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ))  # fmt: skip
        return "DROP TRIGGER refuse_one"


def test_a_response_the_database_refuses_does_not_cost_its_batch_the_others(version, sessions) -> None:
    """Driven on the writer itself, so the batch is known: the first submission goes out alone and
    the eleven queued behind it, the refused one among them, go out as one batch."""

    async def first_then_one_batch() -> tuple[list[object], WriterStats]:
        target = await OnlineTargets(sessions).get(SLUG, version.id)
        answers = [valid_answers() for _ in range(12)]
        answers[5] = valid_answers(merge_why_not_other="poison")
        prepared = [
            prepare(Submission(uuid=str(uuid.uuid4()), version=target.version, mode=Mode.ONLINE, language="nl",
                               answers=a))
            for a in answers
        ]  # fmt: skip
        writer = SubmissionBatcher(sessions)
        outcomes = await asyncio.gather(*(writer.store(p, target) for p in prepared), return_exceptions=True)
        return outcomes, writer.stats

    undo = _refuse_in_the_database(sessions, "poison")
    try:
        with ThreadPoolExecutor(max_workers=1) as thread:  # a loop of its own (Playwright may run one here)
            outcomes, stats = thread.submit(asyncio.run, first_then_one_batch()).result()
    finally:
        with sessions() as session, session.begin():
            session.execute(sql_text(undo))
    refused = outcomes.pop(5)
    assert isinstance(refused, InvalidAnswersError) and refused.errors[0].code == "refused_by_store"
    assert all(isinstance(o, Ack) and o.status is AckStatus.STORED for o in outcomes), outcomes
    assert (stats.failed_batches, stats.retried_alone, stats.responses) == (1, 11, 11)
    assert _stored(sessions) == 11


def test_a_lone_response_the_database_refuses_is_422_and_not_to_be_retried(client, version, sessions) -> None:
    undo = _refuse_in_the_database(sessions, "poison")
    try:
        reply = client.post(URL, json=body(version.id, answers=valid_answers(merge_why_not_other="poison")))
    finally:
        with sessions() as session, session.begin():
            session.execute(sql_text(undo))
    assert reply.status_code == 422 and _fields(reply) == ["answers"]
    assert client.post(URL, json=body(version.id)).status_code == 201
    assert _stored(sessions) == 1
