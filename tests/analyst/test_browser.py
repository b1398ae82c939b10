"""The workbench in a real browser: login, targets (good and broken), weighting, charts, publish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.settings import Settings
from tests.analyst.conftest import PASSWORD, SLUG, TARGETS_GOOD
from tests.conftest import LiveServer


@pytest.fixture
def server(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(demo_settings) as live:
        yield live


def test_analyst_journey_and_public_page(server: LiveServer, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/analyst/{SLUG}")
    assert page.url.endswith("/analyst/login")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{server.url}/analyst/{SLUG}")

    broken = tmp_path / "broken.csv"
    broken.write_text("variable,category,share\nsex,F,0.6\nsex,Q,0.4\n")
    page.set_input_files("#file", str(broken))
    page.click("#targets-form button[type=submit]")
    assert "line 3: category 'Q' is not a choice of 'sex'" in page.inner_text("#upload-errors")
    page.set_input_files("#file", str(TARGETS_GOOD))
    page.fill("#label", "Browser upload")
    page.click("#targets-form button[type=submit]")
    assert "Targets stored" in page.inner_text("#notice")
    assert "Browser upload" in page.inner_text("#target-versions")

    page.select_option("#method", "rake")
    page.click("#run-form button[type=submit]")
    assert "converged True" in page.inner_text("#summary")
    charts = page.locator("svg.chart")
    assert charts.count() >= 7
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 30
    page.check("#freeze-form input[name=publish]")
    page.click("#freeze-form button[type=submit]")
    assert "frozen" in page.inner_text("#notice")
    link = page.locator("#snapshots a", has_text="public page").first
    public_path = link.get_attribute("href")
    assert public_path and public_path.startswith(f"/results/{SLUG}/")
    page.click("text=Results")
    assert page.locator("section.question svg.chart").count() >= 10
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()

    anonymous = browser.new_context()
    visitor = anonymous.new_page()
    visitor.goto(f"{server.url}{public_path}?lang=nl")
    assert "Resultaten" in visitor.inner_text("h1")
    assert visitor.locator("table caption").count() >= 10
    response = visitor.goto(f"{server.url}/analyst/{SLUG}/results")
    assert visitor.url.endswith("/analyst/login")
    response = visitor.request.get(f"{server.url}/analyst/api/{SLUG}/results")
    assert response.status == 401
    listing = visitor.goto(f"{server.url}/results/{SLUG}")
    assert listing is not None and listing.status == 200
    assert visitor.locator(f"a[href^='/results/{SLUG}/']").count() == 1
    anonymous.close()
