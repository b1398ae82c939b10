"""The console's preview of a questionnaire version as the tablet shows it, in real Chromium.

The page runs the field app's own interview screen under the app's real Content-Security-Policy:
the question labels in the respondent's language and easy-read, the tablet's choice buttons, its
required-answer check and review screen; the interview is finished, and yet no response row exists
and no request went to the field app's API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.form_check import check_upload
from tests.conftest import LiveServer
from tests.console.conftest import ADMIN, browser_sign_in, shot, write_form

SLUG = "tablet-look"


def _responses(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Response)) or 0)


def _version_one(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    form = write_form(tmp_path / "city.xlsx")
    report = check_upload(form.name, form.read_bytes())
    assert report.ok and report.result is not None
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create(SLUG, {"en": "Tablet look", "nl": "Tabletweergave"}, actor=ADMIN)
        service.add_version(consultation, report.result.questionnaire, source_name=form.name, actor=ADMIN)


def test_the_tablet_preview_runs_the_interview_screen_and_stores_nothing(
    browser: Any, server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _version_one(sessions, tmp_path)
    before = _responses(sessions)
    context = browser.new_context(locale="en-GB")  # the app's CSP applies: nothing injected
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/api/" in r.url else None)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    browser_sign_in(page, server.url)

    page.goto(f"{server.url}/console/c/{SLUG}/questionnaire")
    page.click("#tablet-1-nl-easy")
    page.wait_for_selector("#view .question")
    assert f"/console/c/{SLUG}/preview/1/tablet?lang=nl&easy=1" in page.url
    assert "er wordt niets verzonden of opgeslagen" in page.inner_text("#preview-notice")
    assert "Woont u in Brussel? (makkelijk)" in page.inner_text("#ql-resident")
    assert page.locator("[data-q=resident]").all_inner_texts() == ["Ja", "Nee"]  # the tablet's buttons
    shot(page, "console-tablet-preview")

    page.click("#next")  # a required question left empty: the tablet's own check
    assert page.locator("#error-summary").is_visible()
    assert "Deze vraag is verplicht." in page.inner_text("#qb-resident")
    page.click("[data-q=resident][data-choice=yes]")
    page.click("#next")
    page.wait_for_selector("#qb-merge")
    assert "Gemeenten samen maken?" in page.inner_text("#ql-merge")
    page.click("[data-q=merge][data-choice=no]")
    page.click("#review")
    page.wait_for_selector("#review-screen")
    assert "Nee" in page.inner_text("[data-review=merge]")
    page.click("#finish")
    page.wait_for_selector("#preview-end")
    assert "Hier is niets opgeslagen." in page.inner_text("#banner")
    page.click("#preview-restart")  # a fresh interview: the first page, nothing answered
    page.wait_for_selector("#qb-resident")
    assert page.locator("[data-q=resident][aria-checked=true]").count() == 0
    page.click("[data-q=resident][data-choice=no]")
    page.click("#handover")  # handed to the respondent; handing back needs a PIN a preview does not have
    page.click("#handback")
    page.fill("#handback-pin", "1234")
    page.click("#handback-ok")
    page.wait_for_selector("#preview-resume")
    assert "handover" not in (page.get_attribute("body", "class") or "")
    page.click("#preview-resume")  # the interview as it was left
    page.wait_for_selector("[data-q=resident][data-choice=no][aria-checked=true]")

    assert problems == []
    assert sent == []
    assert _responses(sessions) == before
    context.close()
