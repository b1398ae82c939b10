"""Start-up of the field app: queued interviews leave at once, storage persistence is asked for
at each start while not granted and explained, and the screens pass axe-core (contrast of the
storage indicator in the dark header, labels on the interview's inputs)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from tests.field_app.conftest import Server, login_and_pin, new_tablet, open_profile, unlock
from tests.field_app.test_pwa import do_interview, stored
from tests.field_app.waiting import wait_for

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COUNT_PERSIST = """
(() => {
  const ask = StorageManager.prototype.persist;
  window.__persistAsked = 0;
  StorageManager.prototype.persist = function () { window.__persistAsked += 1; return ask.call(this); };
})();
"""


def axe_source() -> str:
    """axe-core as scripts/test.sh installs it; a missing copy fails (accessibility is not optional)."""
    path = Path(os.environ.get("AXE_PATH") or ROOT / "node_modules" / "axe-core" / "axe.min.js")
    if not path.exists():
        pytest.fail(f"axe-core not found at {path}: run scripts/test.sh or npm install --no-save axe-core@4")
    return path.read_text()


def axe(page: Any, source: str) -> list[tuple[str, list[Any]]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_queued_interviews_are_sent_at_start_up_before_the_pin(
    server: Server, sessions: sessionmaker[Session], playwright_instance: Any, tmp_path: Path
) -> None:
    profile = tmp_path / "startup"
    context = open_profile(playwright_instance, profile)
    page = context.pages[0] if context.pages else context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    do_interview(page, 4)
    context.close()
    assert stored(sessions) == {}

    context = open_profile(playwright_instance, profile)  # restart with the network back
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(server.url + "/field/")
    expect(page.locator("#unlock")).to_be_visible()
    # The periodic sync comes every 30 s; the start-up one comes first, while the PIN is asked.
    wait_for(page, "() => document.getElementById('st-sent').textContent === 'sent 1'", timeout=20000)
    assert len(stored(sessions)) == 1
    expect(page.locator("#unlock")).to_be_visible()
    context.close()


def test_persistent_storage_is_asked_at_every_start_and_explained(server: Server, browser: Any) -> None:
    context = new_tablet(browser)
    context.add_init_script(COUNT_PERSIST)
    page = context.new_page()
    login_and_pin(page, server.url)
    # Headless Chromium does not grant persistence: the tablet says so and explains it.
    expect(page.locator("#st-storage")).to_contain_text("NOT persistent")
    expect(page.locator("#storage-note")).to_contain_text("may delete it, including interviews not yet sent")
    for _ in range(2):
        page.reload()
        wait_for(page, "() => window.__persistAsked === 1")
        unlock(page)
        expect(page.locator("#storage-note")).to_be_visible()
    page.click("#st-storage")
    expect(page.locator("#banner")).to_contain_text("add the app to the home screen")
    page.select_option("#ui-lang", "nl")
    expect(page.locator("#storage-note")).to_contain_text("interviews die nog niet verzonden zijn")
    context.close()


def test_field_screens_pass_axe_core_contrast_and_labels(server: Server, browser: Any) -> None:
    source = axe_source()
    context = new_tablet(browser, bypass_csp=True)  # CSP bypassed only so that axe-core can be injected
    page = context.new_page()
    found: dict[str, list[tuple[str, list[Any]]]] = {}
    page.goto(server.url + "/field/")
    found["login"] = axe(page, source)
    login_and_pin(page, server.url, open_app=False)
    expect(page.locator("#st-storage")).to_contain_text("free")
    found["home"] = axe(page, source)
    page.click("[data-start]")
    page.wait_for_selector("[data-q=age]")
    found["interview"] = axe(page, source)
    page.click("#next")  # errors shown
    found["interview errors"] = axe(page, source)
    assert found == {"login": [], "home": [], "interview": [], "interview errors": []}
    context.close()
