"""The questionnaire in real headless Chromium: with and without JavaScript, keyboard only, axe-core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.store.models import Answer, Response
from tests.web.conftest import ROOT, SLUG, axe, store_consultation

pytestmark = pytest.mark.browser
SHOTS = ROOT / "artifacts" / "screenshots"
PAGE_1 = {"sex": "M", "age_group": "35-44", "municipality": "uccle", "education": "medium",
          "nationality_group": "eu"}  # fmt: skip
PAGE_3 = {"level_police": "municipality", "level_social_aid": "municipality", "level_housing": "region",
          "level_mobility": "federal"}  # fmt: skip
NEXT = "button[value=next]"


@pytest.fixture
def site(request, database_url):
    """The demo consultation in the store, served by the real app (on each backend)."""
    store_consultation(request.getfixturevalue("sessions"))
    return request.getfixturevalue("live_server")


def choose(page, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        page.check(f"input[name={name}][value='{value}']")


def begin(page, url: str, lang: str) -> None:
    page.goto(f"{url}/c/{SLUG}?lang={lang}")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")


def complete(page, url: str, lang: str, *, js: bool = True) -> None:
    begin(page, url, lang)
    choose(page, PAGE_1)
    page.fill("#q-years_in_brussels", "12")
    page.click(NEXT)
    page.wait_for_url("**/p/2")
    choose(page, {"merge_municipalities": "strongly_agree"})
    if not js:
        page.click(NEXT)
        page.wait_for_selector("#wrap-merge_how:not([hidden])")
    choose(page, {"merge_how": "one_city"})
    page.click(NEXT)
    page.wait_for_url("**/p/3")
    choose(page, PAGE_3)
    page.click(NEXT)
    page.wait_for_url("**/p/4")
    for name in ("trust_municipality", "trust_region", "trust_federal"):
        page.fill(f"#q-{name}", "4")
    choose(page, {"simpler_institutions": "neutral", "more_participation": "agree"})
    page.click(NEXT)
    page.wait_for_url("**/p/5")
    page.fill("#q-comment", "Plus de parcs <b>svp</b>")
    page.click(NEXT)
    page.wait_for_url("**/thanks")


def stored(sessions) -> list[tuple[Response, dict[str, str]]]:
    with sessions() as session:
        out = []
        for response in session.scalars(select(Response).where(Response.status == "complete")):
            rows = session.scalars(select(Answer).where(Answer.response_id == response.id))
            out.append((response, {r.question: r.value_text or str(r.value_number) for r in rows}))
        return out


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_complete_with_javascript(fresh_page, site, sessions, lang) -> None:
    page = fresh_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    complete(page, site.url, lang)
    assert page.locator("html").get_attribute("lang") == lang
    page.close()
    [(response, answers)] = stored(sessions)
    assert (response.language, response.mode, response.easy_read) == (lang, "online", False)
    assert answers["merge_how"] == "one_city" and answers["comment"] == "Plus de parcs <b>svp</b>"
    assert errors == []


def test_complete_with_javascript_disabled(fresh_page, site, sessions) -> None:
    page = fresh_page(java_script_enabled=False, locale="fr-BE")
    complete(page, site.url, "fr", js=False)
    page.close()
    [(response, answers)] = stored(sessions)
    assert response.language == "fr" and answers["merge_how"] == "one_city"


def test_live_skip_logic_both_ways(fresh_page, site) -> None:
    page = fresh_page(locale="en-GB")
    begin(page, site.url, "en")
    choose(page, PAGE_1)
    page.click(NEXT)
    page.wait_for_url("**/p/2")
    assert page.is_hidden("#wrap-merge_how") and page.is_hidden("#wrap-merge_why_not")
    choose(page, {"merge_municipalities": "agree"})
    assert page.is_visible("#wrap-merge_how") and page.is_hidden("#wrap-merge_why_not")
    choose(page, {"merge_municipalities": "disagree"})
    assert page.is_hidden("#wrap-merge_how") and page.is_visible("#wrap-merge_why_not")
    assert page.is_hidden("#wrap-merge_why_not_other")
    page.check("input[name=merge_why_not][value=other]")
    assert page.is_visible("#wrap-merge_why_not_other")
    page.uncheck("input[name=merge_why_not][value=other]")
    assert page.is_hidden("#wrap-merge_why_not_other")


def test_validation_errors_and_recovery_with_javascript(fresh_page, site) -> None:
    page = fresh_page(locale="en-GB")
    begin(page, site.url, "en")
    choose(page, {"sex": "F"})
    page.fill("#q-years_in_brussels", "250")
    page.click(NEXT)
    summary = page.locator("#errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert "This question is required." in summary.inner_text()
    assert "A number from 0 to 100." in page.inner_text("#error-years_in_brussels")
    assert "/p/1" in page.url
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == "age_group"
    choose(page, {k: v for k, v in PAGE_1.items() if k != "sex"})
    page.fill("#q-years_in_brussels", "25")
    page.click(NEXT)
    page.wait_for_url("**/p/2")


def test_validation_errors_without_javascript(fresh_page, site) -> None:
    page = fresh_page(java_script_enabled=False)
    begin(page, site.url, "nl")
    page.fill("#q-years_in_brussels", "-3")
    page.click(NEXT)
    expect(page.locator("#errors")).to_be_visible()
    expect(page.locator("#errors")).to_be_focused()  # autofocus applies once the page is drawn
    assert "Deze vraag is verplicht." in page.inner_text("#errors")
    assert page.input_value("#q-years_in_brussels") == "-3"


def test_resume_after_closing_the_browser(browser, site, sessions) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    begin(page, site.url, "nl")
    choose(page, PAGE_1)
    page.click("button[value=save]")
    page.wait_for_url("**/saved")
    link = page.input_value("#resume-link")
    ctx.close()
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(link)
    page.wait_for_url("**/p/2")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.click("button[value=back]")
    page.wait_for_url("**/p/1")
    for name, value in PAGE_1.items():
        assert page.is_checked(f"input[name={name}][value='{value}']")
    ctx.close()


def test_easy_read_switch(fresh_page, site, sessions) -> None:
    page = fresh_page(locale="en-GB")
    begin(page, site.url, "en")
    assert page.inner_text("#q-age_group legend").startswith("Your age:")
    font = page.evaluate("getComputedStyle(document.body).fontSize")
    page.click(".easy-switch")
    page.wait_for_load_state()  # the stylesheet is applied before the font size is read
    assert page.inner_text("#q-age_group legend").startswith("How old are you?")
    assert float(page.evaluate("getComputedStyle(document.body).fontSize")[:-2]) > float(font[:-2])
    choose(page, PAGE_1)
    page.click(NEXT)
    page.wait_for_url("**/p/2")
    assert page.inner_text("#q-merge_municipalities legend").startswith("The 19 towns")
    with sessions() as session:
        assert session.scalars(select(Response)).one().easy_read is True


def test_keyboard_only(fresh_page, site, sessions) -> None:
    page = fresh_page(locale="en-GB")
    page.goto(f"{site.url}/c/{SLUG}?lang=en")
    page.focus("#consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/1")

    def radio(name: str, steps: int) -> None:
        page.focus(f"input[name={name}]")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")

    for name in ("sex", "age_group", "municipality", "education", "nationality_group"):
        radio(name, 1)
    page.focus("#q-years_in_brussels")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/2")
    radio("merge_municipalities", 2)
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/3")
    for name in PAGE_3:
        radio(name, 0)
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/4")
    for name in ("trust_municipality", "trust_region", "trust_federal"):
        page.focus(f"#q-{name}")
        page.keyboard.type("7")
    radio("simpler_institutions", 0)
    radio("more_participation", 0)
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/5")
    page.focus("#q-comment")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "next"
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks")
    [(_response, answers)] = stored(sessions)
    assert answers["merge_municipalities"] == "neutral"


def test_axe_reports_violations_of_the_page_as_it_stands(fresh_page) -> None:
    """The shared check (``tests.web.conftest.axe``) finds what is broken, on the document as it is
    when called: a second check on a page whose DOM changed sees the change, a new document gets axe."""
    page = fresh_page()
    page.goto(
        "data:text/html,<!doctype html><html lang=en><title>t</title><main><h1>t</h1><img src=x></main>"
    )
    assert [v["id"] for v in axe(page)] == ["image-alt"]
    page.evaluate("""() => { document.querySelector('img').alt = 'a cross';
                             document.querySelector('main').append(document.createElement('button')); }""")
    assert [(v["id"], v["nodes"]) for v in axe(page)] == [("button-name", [["button"]])]
    page.goto("data:text/html,<!doctype html><html lang=en><title>t</title><main><h1>clean</h1></main>")
    assert axe(page) == []


def test_axe_core_finds_no_violation(fresh_page, site) -> None:
    page = fresh_page()
    found: dict[str, list[dict[str, object]]] = {}
    page.goto(f"{site.url}/?lang=fr")
    found["home"] = axe(page)
    page.goto(f"{site.url}/c/{SLUG}?lang=fr")
    found["landing"] = axe(page)
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")
    found["radios+number"] = axe(page)
    page.click(NEXT)
    page.wait_for_selector("#errors:not([hidden])")
    found["errors"] = axe(page)
    choose(page, PAGE_1)
    page.click(NEXT)
    page.wait_for_url("**/p/2")
    choose(page, {"merge_municipalities": "disagree"})
    page.check("input[name=merge_why_not][value=other]")
    found["checkboxes+text"] = axe(page)
    page.fill("#q-merge_why_not_other", "x")
    page.click("button[value=save]")
    page.wait_for_url("**/saved")
    page.click("details.qr-box summary")
    assert page.is_visible("svg.qr")
    found["saved+qr"] = axe(page)
    page.screenshot(path=str(SHOTS / "saved-qr.png"), full_page=True)
    page.goto(page.input_value("#resume-link"))
    page.wait_for_url("**/p/3")
    choose(page, PAGE_3)
    page.click(NEXT)
    page.wait_for_url("**/p/4")
    for name in ("trust_municipality", "trust_region", "trust_federal"):
        page.fill(f"#q-{name}", "4")
    choose(page, {"simpler_institutions": "neutral", "more_participation": "agree"})
    page.click(NEXT)
    page.wait_for_url("**/p/5")
    found["textarea"] = axe(page)
    page.click(NEXT)
    page.wait_for_url("**/thanks")
    found["thanks"] = axe(page)
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)


def test_screenshots(fresh_page, site) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # One page for both sizes, its cookies cleared between them: each run starts as a new visitor.
    page = fresh_page()
    for width, height, name in ((360, 780, "mobile"), (1280, 900, "desktop")):
        page.context.clear_cookies()
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{site.url}/c/{SLUG}?lang=fr")
        page.screenshot(path=str(SHOTS / f"landing-{name}.png"), full_page=True)
        page.check("#consent")
        page.click("button[type=submit]")
        page.wait_for_url("**/p/1")
        choose(page, PAGE_1)
        page.click(NEXT)
        page.wait_for_url("**/p/2")
        choose(page, {"merge_municipalities": "disagree"})
        page.screenshot(path=str(SHOTS / f"question-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert len(list(Path(SHOTS).glob("*.png"))) >= 4


def test_invitation_code_in_the_browser(fresh_page, site, sessions) -> None:
    """A panel member follows the link of their letter; a wrong code is announced, the right one starts."""
    from survey.store.db import transaction
    from survey.store.services.consultations import ConsultationService
    from survey.store.services.invitations import InvitationService

    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        service = InvitationService(session)
        service.set_required(consultation, True, actor="test")
        code = service.issue(consultation, 1, actor="test")[0]
    page = fresh_page(locale="nl-BE")
    page.goto(f"{site.url}/c/{SLUG}?code=WRNG-WRNG-WRNG")
    assert page.input_value("#code") == "WRNG-WRNG-WRNG"
    page.check("#consent")
    page.click("button[type=submit]")
    expect(page.locator("#code-error")).to_be_visible()
    assert "bestaat niet" in page.inner_text("#code-error")
    expect(page.locator("#code")).to_be_focused()
    assert page.is_checked("#consent")
    assert axe(page) == []
    page.fill("#code", code.lower())
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")
