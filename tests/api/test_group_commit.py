"""Online submissions are stored in group commits: concurrent requests share transactions, each is
acknowledged only once stored, and the per-worker cache of consultations never stores a response
against a closed consultation, a changed questionnaire or without an invitation code."""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

from litestar.testing import TestClient
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import Answer, Consultation, QuestionnaireVersion, Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.intake import OnlineTarget, OnlineTargets
from survey.store.services.invitations import InvitationService
from tests.api.conftest import SLUG, URL, body
from tests.app_pool import lent_app
from tests.factories import demo_questionnaire, valid_answers


def stored_uuids(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(Response.uuid)))


def post_all(client, payloads: list[dict[str, object]]) -> list:  # type: ignore[no-untyped-def]
    """Send every payload at once, from as many threads, through the one app."""
    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(lambda p: client.post(URL, json=p), payloads))


def test_concurrent_requests_share_transactions_and_each_is_stored_once(client, version, sessions) -> None:
    payloads = [body(version.id) for _ in range(40)]
    responses = post_all(client, payloads)
    assert [r.status_code for r in responses] == [201] * 40, [
        r.text for r in responses if r.status_code != 201
    ]
    assert sorted(stored_uuids(sessions)) == sorted(str(p["uuid"]) for p in payloads)
    ids = {r.json()["uuid"]: r.json()["response_id"] for r in responses}
    with sessions() as session:
        rows = dict(session.execute(select(Response.uuid, Response.id)).all())
        answers = session.scalar(select(func.count()).select_from(Answer))
    assert rows == ids  # each acknowledgement names the row that holds it
    assert answers == 40 * 19  # 18 answered questions, one of them with two choices
    stats = client.get("/health").json()["submissions"]
    assert stats["responses"] == 40 and stats["failed_batches"] == 0
    assert stats["batches"] < 40 and stats["largest_batch"] > 1  # grouped, not one transaction each


def test_twins_in_one_batch_store_once_and_conflicts_are_refused(client, version, sessions) -> None:
    same = body(version.id)
    other = {**body(version.id), "uuid": same["uuid"], "answers": valid_answers(trust_region=9)}
    filler = [body(version.id) for _ in range(10)]
    responses = post_all(client, [same, dict(same), *filler])
    twins = responses[:2]
    assert sorted(r.status_code for r in twins) == [200, 201]
    assert twins[0].json()["response_id"] == twins[1].json()["response_id"]
    assert sorted(r.json()["status"] for r in twins) == ["duplicate", "stored"]
    clash = post_all(client, [other, *[body(version.id) for _ in range(5)]])[0]
    assert clash.status_code == 409
    assert len(stored_uuids(sessions)) == 1 + 10 + 5


def _set(sessions: sessionmaker[Session], **values: object) -> None:
    with transaction(sessions) as session:
        session.execute(update(Consultation).where(Consultation.slug == SLUG).values(**values))


def test_closing_after_the_cache_was_filled_refuses_and_stores_nothing(client, version, sessions) -> None:
    assert client.post(URL, json=body(version.id)).status_code == 201  # the worker now knows it as open
    _set(sessions, status="closed")
    refused = client.post(URL, json=body(version.id))
    assert refused.status_code == 404 and "not open" in refused.json()["detail"]
    _set(sessions, status="open")
    assert client.post(URL, json=body(version.id)).status_code == 201
    assert len(stored_uuids(sessions)) == 2


def test_invitation_required_after_the_cache_was_filled_needs_a_code(client, version, sessions) -> None:
    assert client.post(URL, json=body(version.id)).status_code == 201
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        InvitationService(session).set_required(consultation, True, actor="test")
        code = InvitationService(session).issue(consultation, 1, actor="test")[0]
    refused = client.post(URL, json=body(version.id))
    assert refused.status_code == 403
    accepted = client.post(URL, json=body(version.id, invitation_code=code))
    assert accepted.status_code == 201, accepted.text
    reused = client.post(URL, json=body(version.id, invitation_code=code))
    assert reused.status_code == 403
    assert len(stored_uuids(sessions)) == 2


def without_question(name: str) -> Questionnaire:
    questionnaire = demo_questionnaire()
    pages = tuple(
        dataclasses.replace(page, questions=tuple(q for q in page.questions if q.name != name))
        for page in questionnaire.pages
    )
    return dataclasses.replace(questionnaire, pages=pages)


def test_edited_questionnaire_is_validated_afresh_not_from_the_cache(client, version, sessions) -> None:
    # A refused request fills the cache with the version as it is now (no response stored yet).
    assert client.post(URL, json=body(version.id, answers={"sex": "?"})).status_code == 422
    with transaction(sessions) as session:
        stored_version = session.get(QuestionnaireVersion, version.id)
        assert stored_version is not None
        ConsultationService(session).replace_content(stored_version, without_question("trust_federal"))
    # Valid for the cached form, but trust_federal no longer exists: the store's form decides.
    refused = client.post(URL, json=body(version.id))
    assert refused.status_code == 422, refused.text
    assert {e["field"] for e in refused.json()["errors"]} == {"trust_federal"}
    accepted = client.post(URL, json=body(version.id, answers=valid_answers(trust_federal=None)))
    assert accepted.status_code == 201, accepted.text
    assert len(stored_uuids(sessions)) == 1


def _read_only(url: str) -> str:
    """The same database through connections that cannot write, as after a failover to a replica."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return parsed.update_query_dict({"options": "-c default_transaction_read_only=on"}).render_as_string(
            hide_password=False
        )
    return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"


def test_a_database_that_cannot_write_gives_503_and_stores_nothing(settings, version, sessions) -> None:
    read_only = dataclasses.replace(settings, database_url=_read_only(settings.database_url))
    with lent_app(read_only) as app, TestClient(app) as client:
        refused = client.post(URL, json=body(version.id))
        health = client.get("/health").json()["submissions"]
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "5"
    assert "same UUID" in refused.json()["detail"] and "Traceback" not in refused.text
    assert health["failed_batches"] == 1 and health["responses"] == 0
    assert stored_uuids(sessions) == []


def test_a_burst_of_first_requests_looks_the_consultation_up_once(settings, version, sessions) -> None:
    lookups: list[str] = []

    def count_lookups(_conn, _cursor, statement: str, *_args: object) -> None:
        if "consultations.slug" in statement:
            lookups.append(statement)

    with lent_app(settings) as app:  # its engine is made new for this lending
        event.listen(app.state.engine, "before_cursor_execute", count_lookups)
        with TestClient(app) as client:
            replies = post_all(client, [body(version.id) for _ in range(20)])
    assert [r.status_code for r in replies] == [201] * 20
    assert len(lookups) == 1
    assert len(stored_uuids(sessions)) == 20


def test_a_request_arriving_as_the_lookup_ends_finds_it_cached(version, sessions) -> None:
    """The moment the shared lookup is done, before its waiters resume, the target is cached.

    A request arriving in that moment used to start a second lookup (a flaky failure of the burst
    test above). Here a request's first step runs in exactly that moment, from a callback on the
    lookup itself: it must be answered at once, without waiting on anything.
    """
    engine = sessions.kw["bind"]
    lookups: list[str] = []
    latecomer: list[OnlineTarget | None] = []

    def count_lookups(_conn, _cursor, statement: str, *_args: object) -> None:
        if "consultations.slug" in statement:
            lookups.append(statement)

    async def first_and_latecomer() -> OnlineTarget:
        targets = OnlineTargets(sessions)

        def arrive(_: object) -> None:
            request = targets.get(SLUG, version.id)
            try:
                request.send(None)
            except StopIteration as answered:
                latecomer.append(answered.value)
            else:  # it had to wait: it found the target neither cached nor being looked up
                latecomer.append(None)
                request.close()

        first = asyncio.ensure_future(targets.get(SLUG, version.id))
        await asyncio.sleep(0)  # the first request has started the shared lookup
        (lookup,) = targets._loading.values()
        lookup.add_done_callback(arrive)
        return await first

    event.listen(engine, "before_cursor_execute", count_lookups)
    try:
        with ThreadPoolExecutor(max_workers=1) as thread:  # a loop of its own (Playwright may run one here)
            first = thread.submit(asyncio.run, first_and_latecomer()).result()
    finally:
        event.remove(engine, "before_cursor_execute", count_lookups)
    assert latecomer[0] is first, "the latecomer waited on a second lookup"
    assert first.version.id == version.id
    assert len(lookups) == 1
