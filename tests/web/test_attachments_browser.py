"""A citizen sends a photo in real headless Chromium: a refused file is named on the page, the rest stays.

Run with the page script and without it: the form is a plain multipart form either way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Answer, Attachment, Response
from survey.store.services.consultations import ConsultationService
from tests.conftest import LiveServer
from tests.web.conftest import axe
from tests.web.test_attachments import FORM, LIMIT, OGG, PNG

pytestmark = pytest.mark.browser
NEXT = "button[value=next]"


@pytest.fixture
def site(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[LiveServer]:
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create("media", FORM.title, actor="test")
        service.add_version(consultation, FORM, source_name="media", actor="test")
    with LiveServer(dataclasses.replace(settings, max_attachment_bytes=LIMIT)) as server:
        yield server


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_a_photo_is_sent_after_a_too_large_one_is_refused(browser, site, sessions, script: bool) -> None:
    context = browser.new_context(locale="fr-BE", java_script_enabled=script)
    page = context.new_page()
    page.goto(f"{site.url}/c/media?lang=fr")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")
    page.fill("#q-where", "Rue Haute")
    page.set_input_files(
        "#q-photo", files=[{"name": "big.png", "mimeType": "image/png", "buffer": PNG + bytes(LIMIT)}]
    )
    page.click(NEXT)
    error = page.locator("#error-photo")
    assert "Ce fichier est trop lourd (au maximum 2 kB)" in error.inner_text()
    assert page.input_value("#q-where") == "Rue Haute"
    if script:  # the page with a file picker and its error, checked by axe-core
        assert axe(page) == []
    page.set_input_files("#q-photo", files=[{"name": "rue.png", "mimeType": "image/png", "buffer": PNG}])
    page.click(NEXT)
    page.wait_for_url("**/p/2")
    page.set_input_files("#q-sound", files=[{"name": "bruit.ogg", "mimeType": "audio/ogg", "buffer": OGG}])
    page.click(NEXT)
    page.wait_for_url("**/thanks")
    context.close()
    with sessions() as session:
        response = session.scalars(select(Response)).one()
        answers = {a.question: a.value_text for a in session.scalars(select(Answer))}
        files = session.execute(
            select(Attachment.question, Attachment.media_type, Attachment.response_uuid)
        ).all()
    assert response.status == "complete"
    assert answers == {"where": "Rue Haute", "photo": "rue.png", "sound": "bruit.ogg"}
    assert sorted(files) == [("photo", "image/png", response.uuid), ("sound", "audio/ogg", response.uuid)]
