"""Real Chromium: issue codes, download them once (CSV), the second try is refused; axe in FR/NL/EN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.services.consultations import ConsultationService
from tests.conftest import LiveServer
from tests.console.conftest import axe, shot


def test_invitations_page_in_chromium(
    console_page: Any, server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    page, base = console_page, server.url
    with transaction(sessions) as session:
        ConsultationService(session).create(
            "panel", {"en": "Panel", "fr": "Panel", "nl": "Panel"}, actor="test"
        )
    url = f"{base}/console/c/panel/invitations"
    page.goto(f"{url}?lang=en")
    page.fill("#count", "5")
    page.fill("#label", "wave 1")
    page.press("#label", "Enter")
    page.wait_for_url("**/invitations?issued=1")
    assert "Issued: 5" in page.inner_text("#counts")
    with page.expect_download() as download:
        page.click("#batches button:has-text('Download CSV')")
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code,link" and len(lines) == 6
    page.goto(f"{url}?lang=en")
    assert "CSV already downloaded." in page.inner_text("#batches")
    for lang in ("fr", "nl", "en"):
        page.goto(f"{url}?lang={lang}")
        assert axe(page) == [], lang
    shot(page, "b-invitations")
