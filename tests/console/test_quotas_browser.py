"""Real Chromium: the manual quota editor, a refused cell, a saved set; axe in FR/NL/EN."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import LiveServer
from tests.console.conftest import axe, shot
from tests.factories import store_demo_form


def test_quotas_page_in_chromium(
    console_page: Any, server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    page, base = console_page, server.url
    store_demo_form(sessions, "panel")
    url = f"{base}/console/c/panel/quotas"
    page.goto(f"{url}?lang=nl")
    page.fill("input[name=variable_0]", "sex")
    page.fill("input[name=category_0]", "F")
    page.fill("input[name=target_0]", "120")
    page.fill("input[name=variable_1]", "sex:age_group")
    page.fill("input[name=category_1]", "M:99+")
    page.fill("input[name=target_1]", "5")
    page.click("form[action$='/quotas'] button[type=submit]")
    assert "99+" in page.inner_text("#quota-errors")
    assert axe(page) == []
    shot(page, "b-quotas-error")
    page.fill("input[name=category_1]", "M:65+")
    page.click("form[action$='/quotas'] button[type=submit]")
    page.wait_for_url(url)
    assert page.input_value("input[name=target_0]") == "120"
    for lang in ("fr", "nl", "en"):
        page.goto(f"{url}?lang={lang}")
        assert axe(page) == [], lang
    shot(page, "b-quotas")
