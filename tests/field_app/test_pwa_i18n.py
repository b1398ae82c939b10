"""The tablet's own language (FR/NL/EN, remembered) apart from the respondent's; crossed quotas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.field_app.conftest import SLUG, Server, basic, login_and_pin, new_tablet, open_profile

pytestmark = pytest.mark.browser


def ui_lang(page: Any, code: str) -> None:
    page.select_option("#ui-lang", code)


def test_ui_language_switches_is_remembered_and_stays_apart_from_the_respondents(
    server: Server, playwright_instance: Any, tmp_path: Path
) -> None:
    context = open_profile(playwright_instance, tmp_path / "lang")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(server.url + "/field/")
    assert page.text_content("#login-submit") == "Log in"  # the browser says English
    ui_lang(page, "nl")
    expect(page.locator("#login-submit")).to_have_text("Inloggen")
    assert page.get_attribute("html", "lang") == "nl"
    page.reload()
    expect(page.locator("#login-submit")).to_have_text("Inloggen")  # remembered on the device
    login_and_pin(page, server.url, open_app=False)
    expect(page.locator("[data-start]")).to_have_text("Interview starten")
    assert page.input_value("#lang") == "nl"  # the respondent's language defaults to the interviewer's
    expect(page.locator("#st-pending")).to_have_text("0 te verzenden")

    ui_lang(page, "fr")
    expect(page.locator("[data-start]")).to_have_text("Commencer l'entretien")
    expect(page.locator("#st-pending")).to_have_text("0 à envoyer")
    page.select_option("#lang", "en")  # an English-speaking respondent, a French-speaking interviewer
    page.click("[data-start]")
    expect(page.locator("[data-question=sex] .qlabel")).to_have_text("You are")
    expect(page.locator("#next")).to_have_text("Suivant")
    page.click("[data-q=sex][data-choice=F]")
    ui_lang(page, "nl")  # switching mid-interview redraws the page, answers and respondent language kept
    expect(page.locator("#next")).to_have_text("Volgende")
    expect(page.locator("[data-question=sex] .qlabel")).to_have_text("You are")
    expect(page.locator("[data-q=sex][data-choice=F]")).to_have_attribute("aria-checked", "true")
    context.close()

    context = open_profile(playwright_instance, tmp_path / "lang")  # restart: still Dutch
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(server.url + "/field/")
    expect(page.locator("#unlock")).to_have_text("Ontgrendelen")
    context.close()


def test_crossed_quota_cells_add_local_pending_interviews(server: Server, browser: Any) -> None:
    cells = [
        {"variable": "sex:votes", "category": "F:yes", "target": 3},
        {"variable": "sex:votes", "category": "M:no", "target": 1},
        {"variable": "sex", "category": "F", "target": 4},
    ]
    put = httpx.put(
        f"{server.url}/field/api/admin/consultations/{SLUG}/quotas", json=cells, headers=basic("ana")
    )
    assert put.status_code == 200, put.text
    context = new_tablet(browser)
    page = context.pages[0] if context.pages else context.new_page()
    login_and_pin(page, server.url)
    page.click("[data-quotas]")  # downloaded once online, kept for offline use
    page.wait_for_selector("#quotas")
    page.click("#quotas-back")
    context.set_offline(True)
    for vote in ("yes", "yes", "no"):
        page.click("[data-start]")
        page.click("[data-q=sex][data-choice=F]")
        page.fill("[data-q=age]", "40")
        page.click("#next")
        page.click(f"[data-q=votes][data-choice={vote}]")
        page.click("#review")
        page.click("#finish")
        page.wait_for_selector("[data-start]")
    page.click("[data-quotas]")
    page.wait_for_selector("#quotas")
    crossed = page.locator("[data-cell='sex:votes=F:yes']")
    assert crossed.locator("[data-local]").text_content() == "2"
    assert crossed.locator("[data-left]").text_content() == "1"
    assert page.locator("[data-cell='sex:votes=M:no'] [data-local]").text_content() == "0"
    assert page.locator("[data-cell='sex=F'] [data-local]").text_content() == "3"
    # Cells in words, in the interviewer's language, and a visible "full" state.
    expect(crossed.locator("td").first).to_have_text("Woman, Yes")
    expect(page.locator("[data-cell='sex=F'] [data-left]")).to_have_text("1")
    page.click("#quotas-back")
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    page.fill("[data-q=age]", "40")
    page.click("#next")
    page.click("[data-q=votes][data-choice=yes]")
    page.click("#review")
    page.click("#finish")
    page.click("[data-quotas]")
    expect(crossed.locator("[data-left]")).to_have_text("0 · full")
    expect(crossed).to_have_class("full")
    page.select_option("#ui-lang", "nl")
    expect(crossed.locator("td").first).to_have_text("Vrouw, Ja")
    expect(crossed.locator("[data-left]")).to_have_text("0 · vol")
    context.close()
