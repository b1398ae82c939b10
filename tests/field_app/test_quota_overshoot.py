"""Two tablets fill the last place of a quota offline: both interviews are kept and the overshoot shows (#17).

Real Chromium, two persistent profiles (two devices), real offline: nothing is ever refused for a
quota, the tablets list the most needed cells first in the interviewer's language, and a cell past
its target reads "over target", not "full", on the tablets and on the coordinators' page.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Response
from tests.field_app.conftest import SLUG, Server, basic, login_and_pin, new_tablet

pytestmark = pytest.mark.browser

CELLS = [
    {"variable": "sex", "category": "F", "target": 1},
    {"variable": "sex", "category": "M", "target": 3},
    {"variable": "sex:votes", "category": "F:yes", "target": 2},
]


def woman_who_does_not_vote(page: Any) -> None:
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    page.fill("[data-q=age]", "40")
    page.click("#next")
    page.click("[data-q=votes][data-choice=no]")
    page.click("#review")
    page.click("#finish")
    page.wait_for_selector("[data-start]")


def open_quotas(page: Any) -> None:
    page.click("[data-quotas]")
    page.wait_for_selector("#quotas")


def order(page: Any) -> list[str]:
    return [str(page.locator("#quotas tr[data-cell]").nth(i).get_attribute("data-cell")) for i in range(3)]


def test_two_tablets_fill_the_last_place_offline_and_both_interviews_count(
    server: Server, browser: Any, sessions: sessionmaker[Session]
) -> None:
    put = httpx.put(
        f"{server.url}/field/api/admin/consultations/{SLUG}/quotas", json=CELLS, headers=basic("ana")
    )
    assert put.status_code == 200, put.text
    tablets = [new_tablet(browser) for _ in ("a", "b")]  # two contexts share nothing, as two tablets
    pages = []
    for context in tablets:
        page = context.new_page()
        login_and_pin(page, server.url)
        open_quotas(page)  # downloaded while online, kept for the day offline
        assert order(page) == ["sex=M", "sex:votes=F:yes", "sex=F"]  # most needed first
        expect(page.locator("[data-cell='sex=M'] td").first).to_have_text("Man")
        page.click("#quotas-back")
        pages.append(page)
    for context, page in zip(tablets, pages, strict=True):
        context.set_offline(True)
        woman_who_does_not_vote(page)  # each tablet takes the last place for a woman
        open_quotas(page)
        expect(page.locator("[data-cell='sex=F'] [data-left]")).to_have_text("0 · full")
        assert order(page)[-1] == "sex=F"
        page.click("#quotas-back")
    for context, page in zip(tablets, pages, strict=True):
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        expect(page.locator("#st-pending")).to_have_text("0 to send", timeout=20000)
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 2  # nothing refused for a quota
    page = pages[0]
    open_quotas(page)
    woman = page.locator("[data-cell='sex=F']")
    expect(woman.locator("[data-left]")).to_have_text("+1 · over target")
    expect(woman).to_have_class("over")
    assert order(page) == ["sex=M", "sex:votes=F:yes", "sex=F"]
    page.select_option("#ui-lang", "fr")
    expect(woman.locator("td").first).to_have_text("Femme")
    expect(woman.locator("[data-left]")).to_have_text("+1 · au-delà de l'objectif")
    page.select_option("#ui-lang", "nl")
    expect(page.locator("[data-cell='sex:votes=F:yes'] td").first).to_have_text("Vrouw, Ja")
    expect(woman.locator("[data-left]")).to_have_text("+1 · boven het doel")
    for context in tablets:
        context.close()
    coordinator = httpx.get(f"{server.url}/field/coordinator?lang=en", headers=basic("coord")).text
    assert '<strong class="over">over target (+1)</strong>' in coordinator
    rows = coordinator.split('<tr data-cell="')[1:]
    assert [r.split('"', 1)[0] for r in rows] == ["sex=M", "sex:votes=F:yes", "sex=F"]
    assert "au-delà de l&#39;objectif (+1)" in httpx.get(f"{server.url}/field/coordinator?lang=fr",
                                                          headers=basic("coord")).text  # fmt: skip
