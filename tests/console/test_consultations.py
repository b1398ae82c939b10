"""Consultations in the console: create, the lifecycle with dates, live counts, the citizens' side
(closed page, drafts hidden, test link), the tablets' list. Both backends, real app, no mocks."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.service import FieldService
from survey.store.db import transaction
from survey.store.models import (
    AuditEntry,
    Consultation,
    Mode,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Role,
)
from survey.store.services import grants
from survey.store.services.consultations import ConsultationDraft, ConsultationService, load_questionnaire
from survey.store.services.counted import live_counts
from survey.store.services.frames import responses_frame
from survey.store.services.responses import ResponseService, Submission
from survey.web.trial_link import trial_token
from tests.console.conftest import csrf, make_user, post, sign_in, write_form

NOW = dt.datetime.now(dt.UTC)


def _create(client: TestClient, slug: str = "city-future", **extra: str) -> object:
    data = {"slug": slug, "title_fr": "Avenir", "title_nl": "Toekomst", "title_en": "Future",
            "organiser": "Policy lab", "contact": "lab@example.org", "privacy_notice_nl": "Privacy <b>NL</b>", **extra}  # fmt: skip
    return post(client, "/console/new", data, token_from="/console/new")


def _import(client: TestClient, slug: str, path: Path, action: str = "import") -> object:
    with path.open("rb") as handle:
        files = {"file": (path.name, handle.read(), "application/octet-stream")}
    token = csrf(client, f"/console/c/{slug}/questionnaire")
    return client.post(f"/console/c/{slug}/questionnaire", data={"csrf_token": token, "_action": action},
                       files=files, follow_redirects=False)  # fmt: skip


def test_create_reports_every_problem_then_stores_a_draft(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    bad = post(client, "/console/new?lang=en", {"slug": "Bad Slug!", "opens_at": "2027-02-01T10:00",
                                                "closes_at": "2027-01-01T10:00", "contact": "x" * 301},
               token_from="/console/new")  # fmt: skip
    assert bad.status_code == 422
    text = bad.text
    assert "use 1 to 80 lower-case letters" in text
    assert "give a title in at least one language" in text
    assert "the closing date must come after the opening date" in text
    assert 'aria-invalid="true"' in text
    assert _create(client).headers["location"] == "/console/c/city-future?done=created"
    again = _create(client)
    assert again.status_code == 422 and "already used" in again.text
    with sessions() as session:
        stored = ConsultationService(session).get("city-future")
        assert (stored.status, stored.privacy_notice, stored.title["nl"]) == (
            "draft",
            {"nl": "Privacy <b>NL</b>"},
            "Toekomst",
        )
        assert (
            session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "consultation")) == "create"
        )
    listing = client.get("/console?lang=nl")
    row = re.search(r'<tr data-slug="city-future">.*?</tr>', listing.text, re.S)
    assert row is not None and "concept" in row.group(0)
    assert client.get("/c/city-future").status_code == 404  # a draft does not exist for citizens


def test_writes_need_the_csrf_token(client: TestClient) -> None:
    answer = client.post("/console/new", data={"slug": "x", "title_en": "X"}, follow_redirects=False)
    assert answer.status_code == 403
    _create(client)
    for action in ("open", "close", "schedule"):
        assert client.post(f"/console/c/city-future/{action}", data={}).status_code == 403


def test_lifecycle_open_close_and_the_closed_page(
    client: TestClient, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _create(client)
    refused = post(client, "/console/c/city-future/open?lang=en")
    assert refused.status_code == 422 and "import a questionnaire first" in refused.text
    assert _import(client, "city-future", write_form(tmp_path / "f.xlsx")).status_code == 303
    assert (
        post(client, "/console/c/city-future/open").headers["location"]
        == "/console/c/city-future?done=opened"
    )
    landing = client.get("/c/city-future?lang=nl")
    assert landing.status_code == 200 and "Privacy &lt;b&gt;NL&lt;/b&gt;" in landing.text
    assert post(client, "/console/c/city-future/close").status_code == 303
    closed = client.get("/c/city-future?lang=nl")
    assert closed.status_code == 200
    assert "Deze raadpleging is afgelopen" in closed.text and 'name="consent"' not in closed.text
    assert "De resultaten komen op deze website" in closed.text  # nothing published yet
    with sessions() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "consultation")
                                       .order_by(AuditEntry.id)))  # fmt: skip
    assert actions == ["create", "open", "closed"]


def test_dates_take_effect_on_their_own(
    sessions: sessionmaker[Session], client: TestClient, tmp_path: Path
) -> None:
    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    with transaction(sessions) as session:
        c = ConsultationService(session).get("city-future")
        ConsultationService(session).schedule(c, opens_at=NOW - dt.timedelta(minutes=1),
                                              closes_at=NOW + dt.timedelta(days=1), actor="test")  # fmt: skip
    assert client.get("/c/city-future?lang=fr").status_code == 200  # opened by its date
    assert "city-future" in client.get("/?lang=fr").text
    with transaction(sessions) as session:
        c = ConsultationService(session).get("city-future")
        assert c.status == "open"
        _infos_open = [i.slug for i in FieldService(session).infos([c])]
        assert _infos_open == ["city-future"]
        c.closes_at = NOW - dt.timedelta(seconds=1)
    assert "Cette consultation est terminée" in client.get("/c/city-future?lang=fr").text
    with sessions() as session:
        c = ConsultationService(session).get("city-future")
        assert c.status == "closed"
        assert FieldService(session).infos([c]) == []  # tablets no longer offer it
    bad = post(client, "/console/c/city-future/schedule?lang=en", {"closes_at": "tomorrow"},
               token_from="/console/c/city-future")  # fmt: skip
    assert bad.status_code == 422 and "a date and time is expected" in bad.text


def _submit(session: Session, version_id: int, mode: Mode, status: ResponseStatus = ResponseStatus.COMPLETE,
            is_test: bool = False) -> None:  # fmt: skip
    version = session.get(QuestionnaireVersion, version_id)
    assert version is not None
    answers = {"resident": "yes", "merge": "no"} if status is ResponseStatus.COMPLETE else {}
    ack = ResponseService(session).submit(Submission(uuid=str(uuid.uuid4()), version=version, mode=mode,
                                                     language="fr", answers=answers, status=status))  # fmt: skip
    stored = session.get(Response, ack.response_id)
    assert stored is not None
    stored.is_test = is_test


def test_live_counts_leave_test_responses_out(
    client: TestClient, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    post(client, "/console/c/city-future/open")
    with transaction(sessions) as session:
        c = ConsultationService(session).get("city-future")
        v = ConsultationService(session).current_version(c).id
        for mode in (Mode.ONLINE, Mode.ONLINE, Mode.FIELD, Mode.PAPER):
            _submit(session, v, mode)
        _submit(session, v, Mode.ONLINE, ResponseStatus.IN_PROGRESS)
        _submit(session, v, Mode.ONLINE, is_test=True)
        cid = c.id
    with sessions() as session:
        counts = live_counts(session, cid)
    assert (counts.complete, counts.total, counts.unfinished, counts.today, counts.tests) == (
        {"online": 2, "field": 1, "paper": 1},
        4,
        1,
        4,
        1,
    )
    row = re.search(r'<tr data-slug="city-future">.*?</tr>', client.get("/console").text, re.S)
    assert row is not None
    cells = re.findall(r'<td class="n[^"]*">(\d+)</td>', row.group(0))
    assert cells == ["2", "1", "1", "4", "1", "4", "1"]


def test_the_test_link_opens_a_draft_and_marks_its_responses(client: TestClient, sessions: sessionmaker[Session],
                                                               tmp_path: Path) -> None:  # fmt: skip
    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    token = trial_token("test-secret-key-0123456789", "city-future")
    assert client.get("/c/city-future?test=forged").status_code == 404
    landing = client.get(f"/c/city-future?test={token}&lang=en")
    assert landing.status_code == 200 and "Test mode" in landing.text
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', landing.text)
    assert form_token is not None
    start = client.post("/c/city-future/start", data={"csrf_token": form_token.group(1), "consent": "yes",
                                                      "test": token, "_lang": "en", "_easy": "0"},
                        follow_redirects=False)  # fmt: skip
    assert start.status_code == 303
    with sessions() as session:
        rows = list(session.scalars(select(Response)))
        assert [(r.is_test, r.status) for r in rows] == [(True, "in_progress")]
        assert live_counts(session, rows[0].consultation_id).unfinished == 0
    forged = client.post("/c/city-future/start", data={"csrf_token": form_token.group(1), "consent": "yes",
                                                       "test": "forged", "_lang": "en"})  # fmt: skip
    assert forged.status_code == 404


def test_another_consultation_is_not_harmed_by_a_refusal(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _create(client, "first")
    _create(client, "second")
    post(client, "/console/c/second/open")  # refused: no questionnaire
    with sessions() as session:
        statuses = dict(session.execute(select(Consultation.slug, Consultation.status)).all())
    assert statuses == {"first": "draft", "second": "draft"}


def test_the_service_refuses_a_draft_with_a_naive_date(sessions: sessionmaker[Session]) -> None:
    draft = ConsultationDraft(slug="x", title={"fr": "X"}, opens_at=dt.datetime(2027, 1, 1))
    assert [p.code for p in draft.problems()] == ["date_naive"]


def test_test_responses_never_reach_the_analysis(
    client: TestClient, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    with transaction(sessions) as session:
        c = ConsultationService(session).get("city-future")
        version = ConsultationService(session).current_version(c)
        _submit(session, version.id, Mode.ONLINE)
        _submit(session, version.id, Mode.ONLINE, is_test=True)
        cid, questionnaire = c.id, load_questionnaire(version)
    with sessions() as session:
        frame = responses_frame(session, cid, questionnaire)
        assert frame.height == 1
        assert session.scalar(select(func.count()).select_from(Response)) == 2  # kept, only not counted


def test_a_citizen_halfway_when_it_closes_sees_the_closed_page(client: TestClient, tmp_path: Path) -> None:
    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    post(client, "/console/c/city-future/open")
    landing = client.get("/c/city-future?lang=en")
    token = re.search(r'name="csrf_token" value="([^"]+)"', landing.text)
    assert token is not None
    start = client.post("/c/city-future/start", data={"csrf_token": token.group(1), "consent": "yes", "_lang": "en"},
                        follow_redirects=False)  # fmt: skip
    page_one = start.headers["location"]
    post(client, "/console/c/city-future/close")
    answer = client.post(page_one, data={"csrf_token": token.group(1), "_lang": "en", "resident": "yes"})
    assert answer.status_code == 409 and "This consultation has ended" in answer.text


def test_a_project_lead_sees_and_changes_only_their_consultation(
    client: TestClient, anonymous_too: TestClient, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    for slug in ("mine", "theirs"):
        _create(client, slug)
        _import(client, slug, write_form(tmp_path / f"{slug}.xlsx"))
    lead = make_user(sessions, "lead", Role.ANALYST)
    watcher = make_user(sessions, "watch", Role.COORDINATOR)
    with transaction(sessions) as session:
        mine = ConsultationService(session).get("mine").id
        grants.grant(session, user_id=lead, consultation_id=mine, role=Role.ANALYST, by="test")
        grants.grant(session, user_id=watcher, consultation_id=mine, role=Role.COORDINATOR, by="test")
    assert sign_in(anonymous_too, "lead") == 303
    listing = anonymous_too.get("/console").text
    assert 'href="/console/c/mine"' in listing and "theirs" not in listing and "/console/new" not in listing
    assert anonymous_too.get("/console/c/theirs").status_code == 404
    assert post(anonymous_too, "/console/c/theirs/open").status_code == 404
    assert post(anonymous_too, "/console/new", {"slug": "x", "title_en": "X"}).status_code == 403
    assert post(anonymous_too, "/console/c/mine/open").status_code == 303
    post(anonymous_too, "/console/logout")
    assert sign_in(anonymous_too, "watch") == 303
    assert anonymous_too.get("/console/c/mine").status_code == 200
    assert post(anonymous_too, "/console/c/mine/close").status_code == 403  # a coordinator only looks
    with sessions() as session:
        statuses = dict(session.execute(select(Consultation.slug, Consultation.status)).all())
    assert statuses == {"mine": "open", "theirs": "draft"}


def test_a_closing_date_stops_the_online_api_even_with_the_target_cached(
    anonymous: TestClient, sessions: sessionmaker[Session]
) -> None:
    from tests.api.conftest import body
    from tests.web.conftest import store_consultation

    version = store_consultation(sessions, "api-town")
    url = "/api/consultations/api-town/responses"
    assert anonymous.post(url, json=body(version.id)).status_code in (200, 201)  # the target is now cached
    with transaction(sessions) as session:
        ConsultationService(session).get("api-town").closes_at = NOW - dt.timedelta(seconds=1)
    refused = anonymous.post(url, json=body(version.id))
    assert refused.status_code == 404 and "not open" in refused.text
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_draft_is_not_in_the_public_api(client: TestClient, tmp_path: Path) -> None:
    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    assert [c["slug"] for c in client.get("/api/consultations").json()] == []
    assert client.get("/api/consultations/city-future/questionnaire").status_code == 404
    post(client, "/console/c/city-future/open")
    assert [c["slug"] for c in client.get("/api/consultations").json()] == ["city-future"]
    assert client.get("/api/consultations/city-future/questionnaire").status_code == 200


def test_the_closed_page_links_to_published_results(client: TestClient, sessions: sessionmaker[Session],
                                                    tmp_path: Path) -> None:  # fmt: skip
    from survey.store.models import ResultSnapshot, TargetSet

    _create(client)
    _import(client, "city-future", write_form(tmp_path / "f.xlsx"))
    post(client, "/console/c/city-future/close")
    assert 'id="results-link"' not in client.get("/c/city-future?lang=en").text
    with transaction(sessions) as session:
        c = ConsultationService(session).get("city-future")
        targets = TargetSet(consultation_id=c.id, version=1)
        session.add(targets)
        session.flush()
        session.add(ResultSnapshot(consultation_id=c.id, questionnaire_version_id=ConsultationService(session)
                                   .current_version(c).id, target_set_id=targets.id, data_hash="0" * 64,
                                   method="rake", software_version="test", content={}, published_at=NOW))  # fmt: skip
    closed = client.get("/c/city-future?lang=en&easy=1")
    assert 'href="/results/city-future?lang=en" id="results-link"' in closed.text
    assert "You cannot answer any more. It is over. Thank you!" in closed.text  # easy read
