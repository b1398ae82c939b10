"""The field PWA in real Chromium: offline login-once, 20 interviews, restarts, sync exactly once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.expressions import parse, to_string
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.field_devices import revoke_device
from tests.field_app.conftest import Server, login_and_pin, new_tablet, open_profile, unlock
from tests.field_app.waiting import until, wait_for

pytestmark = pytest.mark.browser
CORPUS = json.loads(
    (Path(__file__).resolve().parents[2] / "survey" / "questionnaire" / "expression_corpus.json").read_text()
)["cases"]


def do_interview(page: Any, i: int) -> dict[str, Any]:
    """One interview through the UI; returns the answers the store must end up with."""
    language = ("fr", "nl", "en")[i % 3]
    sex, age = ("F", "M")[i % 2], 16 + i  # ages 16 and 17: the voting question is skipped
    page.select_option("#lang", language)
    page.click("[data-start]")
    page.click(f"[data-q=sex][data-choice={sex}]")
    page.fill("[data-q=age]", str(age))
    page.click("#next")
    expected: dict[str, Any] = {"sex": sex, "age": age}
    if age >= 18:
        vote = ("yes", "no")[i % 2]
        page.click(f"[data-q=votes][data-choice={vote}]")
        expected["votes"] = vote
    else:
        assert page.locator("[data-q=votes]").count() == 0
    page.fill("[data-q=comment]", f"comment {i}")
    expected["comment"] = f"comment {i}"
    page.click("#review")
    page.click("#finish")
    page.wait_for_selector("[data-start]")
    return {"language": language, "answers": expected}


def expect_pending(page: Any, n: int) -> None:
    """The counter is redrawn after the screen it sits on, from a database read: wait for it."""
    expect(page.locator("#st-pending")).to_have_text(f"{n} to send")


def stored(sessions: sessionmaker[Session]) -> dict[str, dict[str, Any]]:
    with sessions() as session:
        out: dict[str, dict[str, Any]] = {}
        for response in session.scalars(select(Response)):
            answers: dict[str, Any] = {}
            for a in session.scalars(select(Answer).where(Answer.response_id == response.id)):
                answers[a.question] = int(a.value_number) if a.value_number is not None else a.value_text
            out[response.uuid] = {"language": response.language, "answers": answers, "mode": response.mode}
        return out


def test_offline_twenty_interviews_survive_restart_and_sync_once(
    server: Server, sessions: sessionmaker[Session], playwright_instance: Any, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    context = open_profile(playwright_instance, profile)
    page = context.pages[0] if context.pages else context.new_page()
    login_and_pin(page, server.url)
    server.stop()  # really offline, not only emulated
    context.set_offline(True)
    page.reload()
    unlock(page)
    # An interrupted interview resumes after a reload.
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    until(  # the answer is saved in the background: reload once it is durable
        page, "() => FieldDB.all('interviews').then(all => all.some(r => r.answers && r.answers.sex === 'F'))"
    )
    page.reload()
    unlock(page)
    page.click("[data-resume]")
    assert page.get_attribute("[data-q=sex][data-choice=F]", "aria-checked") == "true"
    page.fill("[data-q=age]", "50")
    page.click("#next")
    page.click("[data-q=votes][data-choice=no]")
    page.click("#review")
    page.click("#finish")
    page.wait_for_selector("[data-start]")
    # The respondent's language defaults to the interviewer's UI language: English in this browser.
    expected = [{"language": "en", "answers": {"sex": "F", "age": 50, "votes": "no"}}]
    expected += [do_interview(page, i) for i in range(1, 20)]
    expect_pending(page, 20)
    page.reload()
    unlock(page)
    expect_pending(page, 20)
    context.close()

    context = open_profile(playwright_instance, profile)
    context.set_offline(True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(server.url + "/field/")
    unlock(page)
    expect_pending(page, 20)
    assert stored(sessions) == {}

    server.start()
    context.set_offline(False)
    page.click("#sync-now")
    wait_for(page, "() => document.getElementById('st-sent').textContent === 'sent 20'", timeout=20000)
    expect_pending(page, 0)
    got = stored(sessions)
    assert len(got) == 20
    assert sorted((g["language"], json.dumps(g["answers"], sort_keys=True)) for g in got.values()) == sorted(
        (e["language"], json.dumps(e["answers"], sort_keys=True)) for e in expected
    )
    assert {g["mode"] for g in got.values()} == {"field"}
    page.click("#sync-now")  # again: nothing new
    page.wait_for_timeout(500)
    assert len(stored(sessions)) == 20
    context.close()


def test_500_then_dropped_answer_then_revocation(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.pages[0] if context.pages else context.new_page()
    failures = {"n": 0}

    def fail_then_drop(route: Any) -> None:
        failures["n"] += 1
        if failures["n"] == 1:
            route.fulfill(status=500, body='{"detail": "boom"}', content_type="application/json")
        elif failures["n"] == 2:
            route.fetch()  # the server stores the batch...
            route.abort("connectionreset")  # ...but the tablet never hears back
        else:
            route.continue_()

    page.route("**/field/api/sync", fail_then_drop)
    login_and_pin(page, server.url)
    context.set_offline(True)
    for i in range(5):
        do_interview(page, i + 2)
    context.set_offline(False)
    page.click("#sync-now")
    wait_for(page, "() => document.getElementById('st-sent').textContent === 'sent 5'", timeout=30000)
    assert failures["n"] >= 3
    assert len(stored(sessions)) == 5

    with transaction(sessions) as session:
        device_id = session.scalar(select(Response.device_id))
        assert device_id is not None
        revoke_device(session, device_id, actor="test")
    do_interview(page, 7)
    page.click("#sync-now")
    page.wait_for_selector("#banner:has-text('revoked')", timeout=10000)
    expect_pending(page, 1)
    assert len(stored(sessions)) == 5
    context.close()


def test_offline_page_evaluates_corpus_like_server(server: Server, browser: Any) -> None:
    context = new_tablet(browser)
    page = context.pages[0] if context.pages else context.new_page()
    login_and_pin(page, server.url)
    server.stop()
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#pin")
    results = page.evaluate(
        """(cases) => cases.map((c) => {
            try {
              const v = window.SurveyExpressions.evaluate(c.expression, c.values, c.current, c.columns);
              const kind = typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'string';
              return {error: false, kind, text: window.SurveyExpressions.toString(v)};
            } catch (e) { return {error: true, kind: null, text: e.message}; }
        })""",
        CORPUS,
    )
    context.close()
    for case, got in zip(CORPUS, results, strict=True):
        try:
            value = parse(case["expression"]).evaluate(
                case["values"], case.get("current"), case.get("columns")
            )
        except Exception:
            assert got["error"], case["expression"]
            continue
        kind = (
            "boolean" if isinstance(value, bool) else "number" if isinstance(value, int | float) else "string"
        )
        assert (got["kind"], got["text"]) == (kind, to_string(value)), case["expression"]


def test_paper_entry_refusal_and_correction(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    from survey.store.models import FieldReceipt

    context = new_tablet(browser)
    page = context.pages[0] if context.pages else context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    page.fill("#paper-no", "P-77")
    first = do_interview(page, 4)
    page.fill("#contact-note", "door closed")
    page.click("[data-refusal]")
    page.click("#contact-confirm [data-confirm]")
    page.wait_for_selector("#banner:has-text('refusal')")
    context.set_offline(False)
    page.click("#sync-now")
    wait_for(page, "() => document.getElementById('st-sent').textContent === 'sent 2'", timeout=20000)
    with sessions() as session:
        paper = session.scalar(select(Response))
        assert paper is not None
        assert (paper.mode, paper.paper_form_number, paper.language) == ("paper", "P-77", first["language"])
        receipt = session.scalar(select(FieldReceipt).where(FieldReceipt.kind == "contact"))
        assert receipt is not None and (receipt.outcome, receipt.note) == ("refusal", "door closed")
        original = paper.uuid
    # A sent interview is locked: a correction is a new record linked to it.
    page.click(f"[data-uuid='{original}'] button")
    page.click("[data-q=sex][data-choice=M]")
    page.click("#next")
    page.click("#review")
    page.click("#finish")
    wait_for(page, "() => document.getElementById('st-sent').textContent === 'sent 3'", timeout=20000)
    with sessions() as session:
        fix = session.scalar(select(Response).where(Response.replaces_uuid == original))
        assert fix is not None and fix.paper_form_number == "P-77"
        answers = {
            a.question: a.value_text
            for a in session.scalars(select(Answer).where(Answer.response_id == fix.id))
        }
        assert answers["sex"] == "M"
    context.close()
