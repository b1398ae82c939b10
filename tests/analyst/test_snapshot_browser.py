"""Snapshot review, preview, compare and withdrawal pages in real Chromium: axe-clean, the
confirmation box stops an unticked publish in the browser itself, and the withdrawn page is dated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst import snapshots
from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.settings import Settings
from survey.store.db import transaction
from tests.analyst.conftest import PASSWORD, SLUG
from tests.conftest import LiveServer
from tests.web.conftest import axe


@pytest.fixture
def server(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(demo_settings) as live:
        yield live


def test_review_publish_compare_withdraw_in_chromium(
    server: LiveServer, browser: Any, demo: sessionmaker[Session]
) -> None:
    with transaction(demo) as session:
        context = load_context(session, SLUG)
        ids = [
            snapshots.create_snapshot(
                session, context, run_analysis(context, spec), actor="test", actor_id=None, publish=False
            ).id
            for spec in (WeightingSpec(method="poststratify", variables=("sex",)), WeightingSpec())
        ]
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"{server.url}/analyst/login")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    found: dict[str, list[dict[str, object]]] = {}

    review = f"{server.url}/analyst/{SLUG}/snapshots/{ids[1]}"
    page.goto(review)
    found["review"] = axe(page)
    page.click("#publish-form button[type=submit]")  # unticked: the browser keeps the form here
    assert page.url == review and "draft" in page.inner_text("#snapshot-state")
    page.goto(f"{server.url}/analyst/{SLUG}/snapshots/{ids[1]}/preview?lang=nl")
    assert "niet openbaar" in page.inner_text("#preview-banner")
    found["preview"] = axe(page)

    page.goto(review)
    page.check("#publish-form input[name=confirm]")
    page.click("#publish-form button[type=submit]")
    assert "published" in page.inner_text("#notice") and "public since" in page.inner_text("#snapshot-state")

    page.select_option("#compare-b", str(ids[0]))
    page.click("#compare-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#compare-answers tbody tr").count() > 10
    found["compare"] = axe(page)

    page.goto(review)
    page.check("#withdraw-form input[name=confirm]")
    page.click("#withdraw-form button[type=submit]")
    assert "withdrawn" in page.inner_text("#notice")

    anonymous = browser.new_context()
    visitor = anonymous.new_page()
    response = visitor.goto(f"{server.url}/results/{SLUG}/{ids[1]}?lang=fr")
    assert response is not None and response.status == 410
    assert "ont été retirés le" in visitor.inner_text("#withdrawn")
    found["withdrawn"] = axe(visitor)
    anonymous.close()
    ctx.close()
    assert found == {key: [] for key in found}, found
