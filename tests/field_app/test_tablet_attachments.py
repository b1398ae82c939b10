"""A photo taken on the tablet is kept with the queued interview and sent after it: never lost, never twice.

The interview is "sent" only once its file is acknowledged too; a file upload that fails leaves the
interview queued, and the next sync sends both again (the interview is then a duplicate and the
file is stored once).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Attachment
from tests.field_app.conftest import FieldEnv, Server, login_and_pin
from tests.field_app.waiting import wait_for
from tests.openrosa.test_attachments import JPEG, SLUG, media_env  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def _files(sessions: sessionmaker[Session]) -> list[tuple[str, str, int, bytes]]:
    with sessions() as session:
        rows = session.execute(
            select(Attachment.question, Attachment.filename, Attachment.size, Attachment.content)
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.mark.usefixtures("media_env")
def test_a_photo_travels_after_its_interview_and_survives_a_failed_upload(
    field_env: FieldEnv, server: Server, browser: Any, sessions: sessionmaker[Session]
) -> None:
    # No service worker: the test then sees (and cuts) the tablet's own requests.
    context = browser.new_context(viewport={"width": 800, "height": 1280}, service_workers="block")
    page = context.new_page()
    login_and_pin(page, server.url, service_worker=False)
    page.click(f"[data-start={SLUG}]")
    photo = page.locator("[data-q=photo]")
    expect(photo).to_have_attribute("type", "file")
    expect(photo).to_have_attribute("accept", "image/*")
    photo.set_input_files(files=[{"name": "façade.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    expect(page.locator("[data-file-kept=photo]")).to_contain_text("façade.jpg")
    page.route("**/field/api/attachments/**", lambda route: route.abort())  # the upload is cut
    page.click("#review")
    page.click("#finish")  # a finished interview is sent at once
    wait_for(page, "() => !FieldSync.state.running && FieldSync.state.attempt > 0")
    [rec] = page.evaluate("() => FieldDB.all('interviews')")
    assert rec["status"] == "pending" and _files(sessions) == []
    assert page.evaluate("() => FieldDB.all('interviews').then(r => r[0].files.photo.blob.size)") == len(JPEG)

    page.unroute("**/field/api/attachments/**")
    page.click("#sync-now")
    expect(page.locator("#all-sent")).to_be_visible()
    page.click("#sync-now")  # once more: nothing is stored twice
    wait_for(page, "() => !FieldSync.state.running")
    assert _files(sessions) == [("photo", "façade.jpg", len(JPEG), JPEG)]
    context.close()
