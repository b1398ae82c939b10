"""The representativeness monitor in headless Chromium: charts drawn, tables readable, axe-clean; a screenshot
in ``SCREENSHOT_DIR`` when it is set (a reviewer looks at it; no assertion needs it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.settings import Settings
from tests.conftest import LiveServer
from tests.plan.conftest import PASSWORD, SLUG
from tests.web.conftest import axe

pytestmark = pytest.mark.browser


@pytest.fixture
def server(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(demo_settings) as live:
        yield live


def test_monitor_page_in_chromium(server: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    failed: list[str] = []  # any resource of the page that does not load (the browser's own favicon aside)
    page.on(
        "response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None
    )
    page.goto(f"{server.url}/analyst/login")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{server.url}/analyst/{SLUG}")
    page.click("nav.steps >> text=Representativeness")
    page.wait_for_load_state()
    page.fill("#cells", "sex:age_group,education")
    page.click("form.inline button[type=submit]")
    page.wait_for_load_state()
    assert "cells=sex%3Aage_group%2Ceducation" in page.url
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert charts.nth(i).locator("circle").count() >= 2  # one dot per day with responses
    # the full crossing (2 x 6 x 3), the requested sex x age_group (12) and each question alone (2 + 6 + 3)
    assert page.locator("#coverage tbody tr").count() == 36 + 12 + 2 + 6 + 3
    page.fill("#budget", "148")
    page.fill("#draws", "50")
    page.click("#plan-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("svg.chart").count() == 3  # what the 148 interviews buy, beside the two by day
    planned = page.locator("#plan tbody tr td:nth-child(5)").all_inner_texts()
    assert sum(int(t.replace(",", "")) for t in planned) == 148 * 2  # each of sex x age_group and education
    assert page.locator("#simulation tbody tr").count() == 3
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["SCREENSHOT_DIR"]) / "monitor.png"), full_page=True)
    violations = [(v["id"], v["nodes"]) for v in axe(page)]
    assert violations == [], violations
    assert failed == []
    context.close()


def test_adaptive_quotas_page_in_chromium_by_keyboard_and_axe_clean(server: LiveServer, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)  # a plain form: no script needed
    page = context.new_page()
    page.goto(f"{server.url}/analyst/login?lang=fr")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{server.url}/analyst/{SLUG}?lang=fr")
    page.click("nav.steps >> text=Quotas adaptatifs")
    page.wait_for_load_state()
    assert page.locator("#adaptive-on").inner_text() == "activés"  # the demo follows its plan
    assert page.locator("#adaptive-remaining").inner_text() == "148"
    page.fill("#budget", "200")
    page.focus("#budget")
    page.keyboard.press("Enter")  # the first submit button: switch on / update
    page.wait_for_load_state()
    assert "Quotas adaptatifs activés" in page.locator("#notice").inner_text()
    assert page.locator("#adaptive-remaining").inner_text() == "200"
    rows = page.locator("#adaptive-quotas tbody tr")
    assert rows.count() > 0 and "Femme, 65 ans ou plus" in page.locator("#adaptive-quotas").inner_text()
    signed_in = context.storage_state()  # axe needs scripts: a second context, as the same analyst
    context.close()
    context = browser.new_context(storage_state=signed_in)
    page = context.new_page()
    page.goto(f"{server.url}/analyst/{SLUG}/adaptive-quotas?lang=nl")
    violations = [(v["id"], v["nodes"]) for v in axe(page)]
    assert violations == [], violations
    context.close()
