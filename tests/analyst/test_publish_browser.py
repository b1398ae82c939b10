"""Real Chromium: the comments page used by keyboard with JavaScript off, the public page (FR/NL/EN,
easy read) axe-clean on a phone and a desktop, and the snapshot's report downloaded from its page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.settings import Settings
from survey.store.db import transaction
from tests.analyst.conftest import PASSWORD, SLUG, publish_default_snapshot
from tests.conftest import LiveServer
from tests.web.conftest import axe


@pytest.fixture(scope="module")
def server(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[LiveServer]:
    """One live app for the module: its tests share the module's demo database anyway."""
    with LiveServer(demo_settings) as live:
        yield live


@pytest.fixture(scope="module")
def signed_in(server: LiveServer, browser: Any) -> dict[str, Any]:
    """The cookies of an analyst signed in once through the form (by keyboard, scripts on).

    Why: the tests whose point is another page start from this state instead of signing in again;
    ``test_comments_by_keyboard_without_javascript`` still signs in through the form itself.
    """
    ctx = browser.new_context()
    page = ctx.new_page()
    _sign_in(page, server.url)
    state: dict[str, Any] = ctx.storage_state()
    ctx.close()
    return state


@pytest.fixture(scope="module")
def published(demo: sessionmaker[Session]) -> int:
    with transaction(demo) as session:
        return publish_default_snapshot(session).id


def _sign_in(page: Any, url: str) -> None:
    page.goto(f"{url}/analyst/login")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_comments_by_keyboard_without_javascript(server: LiveServer, browser: Any) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    _sign_in(page, server.url)
    page.goto(f"{server.url}/analyst/{SLUG}/comments?lang=en")
    total = int(page.inner_text("#comment-count").split(" of ")[1].split()[0].replace(",", ""))
    assert total > 100
    page.focus("#comment-q")
    page.keyboard.type("SIMPLIFIER les choses")  # another case, accents and words as the comment has them
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=SIMPLIFIER" in page.url
    assert page.locator("#comment-list li").count() > 0
    assert page.locator("#comment-list mark").first.inner_text().lower() == "simplifier"
    assert "<vraiment>" in page.inner_text("#comment-list")  # the demo's markup-like comment, as text

    page.goto(f"{server.url}/analyst/{SLUG}/comments?lang=en")
    page.select_option("#comment-mode", "online")
    page.focus("#comment-filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    online = page.inner_text("#comment-count")
    assert "mode=online" in page.url and f"of {total:,} comments" in online and "1–20 shown" in online
    page.focus("#comment-pages a[rel=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "page=2" in page.url and "mode=online" in page.url
    assert page.get_attribute("#comment-pages a[aria-current=page]", "aria-label") == "Page 2"
    assert "21–40 shown" in page.inner_text("#comment-count")
    ctx.close()


@pytest.mark.parametrize("width", [390, 1440])
def test_public_page_axe_clean_in_every_version(
    server: LiveServer, browser: Any, published: int, width: int
) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    found = {}
    for query in ("lang=fr", "lang=en", "lang=fr&easy=1", "lang=nl&easy=1", "lang=en&easy=1", "lang=nl"):
        page.goto(f"{server.url}/results/{SLUG}/{published}?{query}")
        found[query] = axe(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (query, overflow)  # the page never scrolls sideways as a whole
    assert page.url == f"{server.url}/results/{SLUG}/{published}?lang=nl"  # the loop ends on it
    with page.expect_navigation():
        page.click("#easy-link")
    assert page.locator("#easy-read h4").count() == 3 and "easy=1" in page.url
    assert page.evaluate("document.documentElement.lang") == "nl"
    ctx.close()
    assert found == {key: [] for key in found}, found


def test_comments_page_axe_clean(server: LiveServer, browser: Any, signed_in: dict[str, Any]) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 900}, storage_state=signed_in)
    page = ctx.new_page()
    page.goto(f"{server.url}/analyst/{SLUG}/comments?lang=fr&q=les")
    assert axe(page) == []
    ctx.close()


def test_report_downloaded_from_the_snapshot_page(
    server: LiveServer, browser: Any, published: int, tmp_path: Path, signed_in: dict[str, Any]
) -> None:
    ctx = browser.new_context(accept_downloads=True, storage_state=signed_in)
    page = ctx.new_page()
    page.goto(f"{server.url}/analyst/{SLUG}/snapshots/{published}?lang=fr")
    with page.expect_download(timeout=180_000) as info:  # WeasyPrint lays out ~18 pages
        page.click("#reports a[href*='format=pdf'][lang=nl]")
    download = info.value
    assert download.suggested_filename == f"{SLUG}-snapshot-{published}-nl.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 20_000
    ctx.close()
