"""The interview flow on a 10-inch tablet (800x1280) and a phone (390x844), both touch screens.

Errors take the focus with a summary; a chosen single answer survives a second tap and has its
own "clear"; single and multiple choices differ; a review screen comes before "Finish"; Back /
Next stay on screen; the browser's back button steps back inside the interview; the respondent's
language can change mid-interview and is kept for the next one; an alphabetical list follows
the respondent's alphabet; the queue says what each item is and when all is sent; every control
is at least 44 px. Set FIELD_SHOTS=<folder> to keep a screenshot of each screen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import FORM, FieldEnv, Server, _choice, _q, login_and_pin, new_tablet
from tests.field_app.waiting import until

pytestmark = pytest.mark.browser
VIEWPORTS = {"tablet": {"width": 800, "height": 1280}, "phone": {"width": 390, "height": 844}}
FLOW = "flow-test"
COMMUNES = [  # alphabetical in French, the form's language; not in Dutch
    ("anderlecht", "Anderlecht", "Anderlecht", "Anderlecht"), ("auderghem", "Auderghem", "Oudergem", "Auderghem"),
    ("bruxelles", "Bruxelles", "Brussel", "Brussels"), ("etterbeek", "Etterbeek", "Etterbeek", "Etterbeek"),
    ("ixelles", "Ixelles", "Elsene", "Ixelles"), ("schaerbeek", "Schaerbeek", "Schaarbeek", "Schaerbeek"),
    ("uccle", "Uccle", "Ukkel", "Uccle"), ("woluwe", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert"),
]  # fmt: skip
FLOW_FORM: dict[str, Any] = {
    "form_id": "flow_test", "title": {"fr": "Parcours", "nl": "Verloop", "en": "Flow"}, "version": "1",
    "default_language": "fr", "languages": ["fr", "nl", "en"], "easy_languages": [],
    "pages": [
        {"name": "where", "labels": {"en": "Where", "fr": "Où", "nl": "Waar"}, "relevant": None, "questions": [
            _q("commune", "select_one", ("Commune", "Gemeente", "Municipality"), required=True, choice_list="communes"),
            _q("sex", "select_one", ("Vous êtes", "U bent", "You are"), required=True, choice_list="sex"),
            _q("age", "integer", ("Âge", "Leeftijd", "Age"), required=True, constraint=". >= 16"),
        ]},
        {"name": "views", "labels": {"en": "Views", "fr": "Avis", "nl": "Mening"}, "relevant": None, "questions": [
            _q("topics", "select_multiple", ("Sujets", "Onderwerpen", "Topics"), choice_list="topics"),
            _q("trust", "select_one", ("Confiance", "Vertrouwen", "Trust"), choice_list="scale"),
        ]},
    ],
    "choices": {
        "communes": [_choice(*c) for c in COMMUNES],
        "sex": FORM["choices"]["sex"],
        "topics": [_choice("police", "Police", "Politie", "Police"), _choice("aid", "Aide sociale", "OCMW", "Social aid"),
                   _choice("mobility", "Mobilité", "Mobiliteit", "Mobility")],
        "scale": [_choice(str(i), str(i), str(i), str(i)) for i in range(1, 6)],
    },
}  # fmt: skip


@pytest.fixture
def flow(sessions: sessionmaker[Session], field_env: FieldEnv) -> str:
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(FLOW, FLOW_FORM["title"], actor="test")
        consultations.add_version(
            consultation, Questionnaire.from_dict(FLOW_FORM), source_name="test", actor="test"
        )
        interviewer = session.query(User).filter_by(username=field_env.interviewer).one()
        assign(session, interviewer, consultation, actor="test")
    return FLOW


def device(browser: Any, kind: str) -> tuple[Any, Any]:
    """A touch tablet or phone that is never restarted: a context of the run's browser."""
    context = new_tablet(browser, viewport=VIEWPORTS[kind], has_touch=True, is_mobile=True)
    return context, context.new_page()


def shot(page: Any, name: str, kind: str) -> None:
    folder = os.environ.get("FIELD_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{kind}-{name}.png"), full_page=False)


def record(page: Any) -> dict[str, Any]:
    [rec] = page.evaluate("() => FieldDB.all('interviews')")
    return dict(rec)


def small_targets(page: Any) -> list[str]:
    """Visible controls smaller than 44 x 44 CSS pixels."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('button, input, select, textarea, a[href], summary'))
                .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
                .filter((el) => { const r = el.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
                .map((el) => el.id || el.getAttribute('data-choice') || el.outerHTML.slice(0, 60))"""
        )
    )


@pytest.mark.parametrize("kind", ["tablet", "phone"])
def test_an_interview_on_a_touch_screen(kind: str, flow: str, server: Server, browser: Any) -> None:
    context, page = device(browser, kind)
    login_and_pin(page, server.url)
    shot(page, "home", kind)
    assert small_targets(page) == []
    page.tap(f"[data-start={flow}]")
    expect(page.locator(".interview")).to_contain_text("Page 1 / 2")

    # Back / Next are on screen without scrolling, also under a long list on a phone.
    nav = page.locator(".nav").bounding_box()
    assert nav is not None and nav["y"] + nav["height"] <= VIEWPORTS[kind]["height"]

    # Errors: a summary at the top and the focus on the first question in error, in view.
    page.tap("#next")
    expect(page.locator("#error-summary")).to_contain_text("3 answer(s) to check")
    focused = page.evaluate(
        """() => { const el = document.activeElement, r = el.getBoundingClientRect();
                   return [el.closest('[data-question]')?.getAttribute('data-question'),
                           r.top >= 0 && r.bottom <= innerHeight]; }"""
    )
    assert focused == ["commune", True]
    shot(page, "errors", kind)
    assert small_targets(page) == []

    # The respondent's language changes mid-interview; an alphabetical list follows it.
    page.select_option("#iv-lang", "nl")
    expect(page.locator("[data-question=commune] .qlabel")).to_have_text("Gemeente")
    names = page.locator("[data-q=commune]").all_text_contents()
    assert names == sorted(names, key=str.casefold) == [
        "Anderlecht", "Brussel", "Elsene", "Etterbeek", "Oudergem", "Schaarbeek", "Sint-Lambrechts-Woluwe", "Ukkel",
    ]  # fmt: skip
    expect(page.locator("#next")).to_have_text("Next")  # the buttons stay in the interviewer's language

    # A second tap on the chosen answer keeps it; "clear answer" removes it.
    single = page.locator("[data-q=sex][data-choice=F]")
    single.tap()
    single.tap()
    expect(single).to_have_attribute("aria-checked", "true")
    until(page, "() => FieldDB.all('interviews').then(a => a[0].answers.sex === 'F')")
    page.tap("[data-clear=sex]")
    expect(single).to_have_attribute("aria-checked", "false")
    until(page, "() => FieldDB.all('interviews').then(a => a[0].answers.sex === '')")
    single.tap()
    page.tap("[data-q=commune][data-choice=ixelles]")
    page.fill("[data-q=age]", "47")
    page.tap("#next")

    # Single and multiple choices differ to the eye and to assistive technology.
    expect(page.locator("[data-q=trust]").first).to_have_attribute("role", "radio")
    expect(page.locator("[data-q=topics]").first).to_have_attribute("role", "checkbox")
    radius = page.evaluate(
        """() => ['trust', 'topics'].map((q) => getComputedStyle(
             document.querySelector(`[data-q=${q}]`), '::before').borderRadius)"""
    )
    assert radius[0] == "50%" and radius[1] != "50%"
    tops = {box["y"] for box in (el.bounding_box() for el in page.locator("[data-q=trust]").all()) if box}
    assert len(tops) == 1  # the 5-point scale on one row
    page.tap("[data-q=topics][data-choice=police]")
    page.tap("[data-q=topics][data-choice=aid]")
    page.tap("[data-q=trust][data-choice='4']")
    shot(page, "choices", kind)

    # The browser's back button steps back inside the interview, not out of the app.
    page.go_back()
    expect(page.locator(".interview")).to_contain_text("Page 1 / 2")
    assert page.url.endswith("/field/")
    page.tap("#next")

    # Review before finishing; an answer jumps back to its page.
    page.tap("#review")
    review = page.locator("#review-screen")
    expect(review.locator("[data-review=commune]")).to_contain_text("Elsene")
    expect(review.locator("[data-review=topics]")).to_contain_text("Politie, OCMW")
    shot(page, "review", kind)
    assert small_targets(page) == []
    page.tap("[data-review=age]")
    expect(page.locator("[data-q=age]")).to_have_value("47")
    page.tap("#next")
    page.tap("#review")
    page.tap("#finish")
    expect(page.locator("[data-start]").first).to_be_visible()
    rec = record(page)
    assert rec["language"] == "nl"
    assert rec["status"] in {"pending", "sent"}  # finished (and sent at once while online)
    assert rec["clean"] == {
        "commune": "ixelles",
        "sex": "F",
        "age": 47,
        "topics": ["police", "aid"],
        "trust": "4",
    }

    # The respondent's language is kept for the next interview, not reset to the app's.
    expect(page.locator("#lang")).to_have_value("nl")
    # The queue: time, number, who, state; then the "safe to close" state once sent.
    row = page.locator(f"[data-uuid='{rec['uuid']}']")
    expect(row).to_contain_text(f"no. {rec['uuid'][:8]}")
    expect(row).to_contain_text("Ixelles · Woman · 47")
    page.tap("#sync-now")
    expect(page.locator("#all-sent")).to_have_text("Everything is sent: it is safe to close the app.")
    expect(row.locator(".state")).to_have_text("sent")
    shot(page, "queue", kind)
    assert small_targets(page) == []
    page.go_back()  # from the start screen, back leaves nothing behind: the app is still there
    expect(page.locator("[data-start]").first).to_be_visible()
    context.close()


def test_unlocking_after_the_idle_lock_returns_to_the_interview(server: Server, browser: Any) -> None:
    context, page = device(browser, "tablet")
    page.clock.install()
    login_and_pin(page, server.url)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    page.fill("[data-q=age]", "52")
    page.click("#next")
    expect(page.locator(".interview")).to_contain_text("Page 2 / 2")
    page.clock.fast_forward("11:00")  # ten idle minutes lock the tablet
    expect(page.locator("#unlock")).to_be_visible()
    page.fill("#pin", "2468")
    page.click("#unlock")
    expect(page.locator(".interview")).to_contain_text("Page 2 / 2")
    expect(page.locator("#banner")).to_have_text("Unlocked: back to the interview where it was.")
    page.click("#pause")
    page.click("#lock")  # a lock from the start screen unlocks to the start screen
    page.fill("#pin", "2468")
    page.click("#unlock")
    expect(page.locator("[data-start]").first).to_be_visible()
    context.close()


def test_jump_list_and_handing_the_tablet_to_the_respondent(server: Server, browser: Any) -> None:
    context, page = device(browser, "tablet")
    login_and_pin(page, server.url)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    page.fill("[data-q=age]", "52")
    page.select_option("#iv-jump", "review")
    expect(page.locator("[data-review=age]")).to_contain_text("52")
    page.click("[data-review=sex]")
    page.select_option("#iv-jump", "1")
    expect(page.locator(".interview")).to_contain_text("Page 2 / 2")

    page.click("#handover")
    expect(page.locator("#status")).to_be_hidden()
    for hidden in ("#interviewer-note", "#pause", "#iv-jump", "#handover"):
        expect(page.locator(hidden)).to_have_count(0)
    page.click("#back")
    page.go_back()  # on the first page, back does not lead the respondent out of the interview
    expect(page.locator(".interview")).to_contain_text("Page 1 / 2")
    page.click("#next")
    page.click("[data-q=votes][data-choice=no]")
    page.click("#review")
    expect(page.locator("#review-screen")).to_be_visible()
    expect(page.locator("#finish")).to_have_count(0)
    shot(page, "handover", "tablet")
    page.click("#handback")
    page.fill("#handback-pin", "1111")
    page.click("#handback-ok")
    expect(page.locator("#handback-form .error")).to_contain_text("4 tries left")
    page.fill("#handback-pin", "2468")
    page.click("#handback-ok")
    expect(page.locator("#status")).to_be_visible()
    context.set_offline(True)  # online, the finished interview may be sent before the count is read
    page.click("#finish")
    expect(page.locator("#st-pending")).to_have_text("1 to send")
    context.close()
