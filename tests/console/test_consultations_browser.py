"""A new organiser's whole day in real Chromium: sign in, create a consultation, upload a form with
an error and read the report, fix it, import, preview in Dutch easy-read, open it, see a citizen's
answer (another browser context) raise the count, close it, see the closed page. The organiser's
browser runs without JavaScript (every write is a plain form); a second context with scripts runs
axe-core on each console page and takes the screenshots (in ``$CONSOLE_SHOTS`` when it is set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import LiveServer
from tests.console.conftest import axe, browser_sign_in, shot, write_form

SLUG = "city-future"


def _count(page: Any, column: int) -> str:
    return str(page.inner_text(f"#consultations tr[data-slug='{SLUG}'] td:nth-of-type({column})")).strip()


def test_new_organiser_runs_a_consultation(browser: Any, server: LiveServer, tmp_path: Path) -> None:
    base = server.url
    organiser = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = organiser.new_page()
    browser_sign_in(page, base)
    page.click("text=New consultation")
    page.fill("#slug", SLUG)
    page.fill("#title_fr", "Avenir de la ville")
    page.fill("#title_nl", "Toekomst van de stad")
    page.fill("#title_en", "Future of the city")
    page.fill("#organiser", "Policy lab")
    page.fill("#contact", "lab@example.org")
    page.fill("#privacy_notice_nl", "Uw antwoorden blijven anoniem.")
    page.click("#create-form button[type=submit]")
    assert "Consultation created as a draft" in page.inner_text("#notice")

    page.click("nav.sub >> text=Questionnaire")
    page.set_input_files("#file", str(write_form(tmp_path / "city.xlsx", broken=True)))
    page.click("#upload-form button[value=import]")
    assert "1 problem(s): nothing was stored." in page.inner_text("#report-summary")
    cells = page.locator("#problems tbody tr td").all_inner_texts()
    assert cells == ["survey", "6", "type", "pyxform: List name not in choices sheet: agree_list"]
    page.set_input_files("#file", str(write_form(tmp_path / "city.xlsx")))
    page.click("#upload-form button[value=import]")
    assert "Imported as version 1." in page.inner_text("#notice")

    page.click("#preview-1-nl-easy")
    assert page.get_attribute("html", "lang") == "nl"
    assert "Woont u in Brussel? (makkelijk)" in page.inner_text("main")
    assert "Er wordt niets opgeslagen" in page.inner_text("#preview-notice")
    page.click("#preview-notice a")

    page.click("nav.sub >> text=Overview")
    page.click("#open-form button")
    assert "The consultation is open." in page.inner_text("#notice")
    page.goto(f"{base}/console")
    assert _count(page, 1) == "open" and _count(page, 5) == "0"

    citizen = browser.new_context(locale="nl-BE")
    answer = citizen.new_page()
    answer.goto(f"{base}/c/{SLUG}?lang=nl")
    assert "Uw antwoorden blijven anoniem." in answer.inner_text("#privacy-notice")
    answer.check("#consent")
    answer.click("button[type=submit]")
    answer.wait_for_url("**/p/1*")
    answer.check("#q-resident-0")
    answer.click("button[value=next]")
    answer.wait_for_url("**/p/2*")
    answer.check("#q-merge-1")
    answer.click("button[value=next]")
    answer.wait_for_url("**/thanks*")

    page.reload()
    assert (
        _count(page, 2) == "1" and _count(page, 5) == "1" and _count(page, 7) == "1"
    )  # online, complete, today

    page.click(f"#consultations a[href='/console/c/{SLUG}']")
    page.click("#close-form button")
    assert "The consultation is closed." in page.inner_text("#notice")
    answer.goto(f"{base}/c/{SLUG}?lang=nl")
    assert "Deze raadpleging is afgelopen" in answer.inner_text("h1")
    assert answer.locator("#consent").count() == 0
    citizen.close()
    organiser.close()

    looker = browser.new_context(locale="en-GB")
    view = looker.new_page()
    browser_sign_in(view, base)
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.className") == "skip"
    pages = {
        "consultations": "/console?lang=en",
        "consultations-nl": "/console?lang=nl",
        "new": "/console/new?lang=fr",
        "overview": f"/console/c/{SLUG}?lang=en",
        "questionnaire": f"/console/c/{SLUG}/questionnaire?lang=en",
        "preview-nl-easy": f"/console/c/{SLUG}/preview/1/p/2?lang=nl&easy=1",
        "citizen-closed-nl": f"/c/{SLUG}?lang=nl",
    }
    found = {}
    for name, path in pages.items():
        view.goto(f"{base}{path}")
        found[name] = axe(view)
        shot(view, name)
    view.goto(f"{base}/console/new?lang=en")
    view.click("#create-form button[type=submit]")
    found["new-errors"] = axe(view)
    shot(view, "new-errors")
    view.goto(f"{base}/console/c/{SLUG}/questionnaire?lang=nl")
    view.set_input_files("#file", str(write_form(tmp_path / "bad.xlsx", broken=True)))
    view.click("#upload-form button[value=check]")
    found["report"] = axe(view)
    shot(view, "questionnaire-report-nl")
    assert {name: v for name, v in found.items() if v} == {}
    looker.close()
