"""The organisers' preview of a page with a photo question: files are checked as a citizen's, never kept."""

from __future__ import annotations

import re

from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Attachment, Response
from survey.store.services.consultations import ConsultationService
from tests.console.test_questionnaire import SLUG, _consultation
from tests.web.test_attachments import FORM, HTML, PNG


def test_a_photo_is_checked_in_the_preview_and_nothing_is_stored(
    client: TestClient,  # type: ignore[type-arg]
    sessions: sessionmaker[Session],
) -> None:
    _consultation(client)
    with transaction(sessions) as session:
        service = ConsultationService(session)
        service.add_version(service.get(SLUG), FORM, source_name="media", actor="test")
    shown = client.get(f"/console/c/{SLUG}/preview/1/p/1?lang=en")
    assert 'enctype="multipart/form-data"' in shown.text and 'type="file" accept="image/*"' in shown.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token is not None
    fields = {"csrf_token": token.group(1), "_lang": "en", "_easy": "0", "_action": "next"}
    url = f"/console/c/{SLUG}/preview/1/p/1"
    wrong = client.post(url, data=fields, files={"photo": ("a.png", HTML, "image/png")})
    assert wrong.status_code == 422 and "This kind of file is not accepted here" in wrong.text
    good = client.post(url, data=fields, files={"photo": ("a.png", PNG, "image/png")}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"].startswith(f"/console/c/{SLUG}/preview/1/p/2")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert session.scalar(select(func.count()).select_from(Response)) == 0
