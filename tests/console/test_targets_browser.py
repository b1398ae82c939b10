"""Real Chromium: upload a population table, check the derived targets, save them; axe in FR/NL/EN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import LiveServer
from tests.console.conftest import axe, shot
from tests.factories import store_demo_form


def test_targets_page_in_chromium(
    console_page: Any, server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    page, base = console_page, server.url
    store_demo_form(sessions, "panel")
    table = tmp_path / "statbel-2026.csv"
    table.write_text("sex,age_group,count\nF,18-24,30\nF,65+,20\nM,18-24,40\nM,65+,10\n")
    url = f"{base}/console/c/panel/targets"
    page.goto(f"{url}?lang=fr")
    page.set_input_files("#table", str(table))
    page.fill("#variables", "sex,age_group")
    page.fill("#source", "Statbel, 1er janvier 2026")
    page.click("form[action$='/derive'] button")
    assert page.locator("#preview tbody tr").count() == 4
    assert axe(page) == []
    shot(page, "b-targets-preview")
    page.click("form[action$='/save'] button")
    page.wait_for_url("**/targets?version=1")
    assert "Statbel, 1er janvier 2026" in page.inner_text("#target-sets")
    assert page.locator("#chosen tbody tr").count() == 4
    for lang in ("fr", "nl", "en"):
        page.goto(f"{url}?version=1&lang={lang}")
        assert axe(page) == [], lang
    shot(page, "b-targets")
    page.set_input_files("#table", str(table))
    page.fill("#variables", "region")
    page.click("form[action$='/derive'] button")
    assert "no column 'region'" in page.inner_text("#table-error")  # English: the last language chosen
    assert axe(page) == []
    shot(page, "b-targets-error")
