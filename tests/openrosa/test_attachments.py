"""ODK Collect's photos and files: extra multipart parts named after the file the instance names.

Collect splits an interview heavier than the server's ``X-OpenRosa-Accept-Content-Length`` over
several posts, the same XML each time with ``*isIncomplete*=yes`` on all but the last; ODK Central
stores the interview with the first and adds each post's files. The platform does the same: a post
of the same instance only adds the files still missing, and the same file twice is kept once.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import Attachment, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import FORM, FieldEnv, _q, basic
from tests.openrosa.test_collect import OPENROSA, fill, message

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4
WAV = b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(300)
MEDIA_FORM: dict[str, Any] = {
    **FORM,
    "form_id": "media_test",
    "pages": [
        {"name": "media", "labels": {"en": "Media"}, "relevant": None, "questions": [
            _q("photo", "image", ("Photo", "Foto", "Photo"), required=True, max_pixels=1024),
            _q("noise", "audio", ("Bruit", "Lawaai", "Noise")),
        ]},
    ],
}  # fmt: skip
SLUG = "media-field"


@pytest.fixture
def media_env(sessions: sessionmaker[Session], field_env: FieldEnv) -> str:
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, MEDIA_FORM["title"], actor="test")
        consultations.add_version(
            consultation, Questionnaire.from_dict(MEDIA_FORM), source_name="t", actor="test"
        )
        interviewer = session.scalars(select(User).where(User.username == "int1")).one()
        assign(session, interviewer, consultation, actor="test")
    return SLUG


def xform(client: TestClient) -> str:  # type: ignore[type-arg]
    found = client.get(f"/openrosa/{SLUG}/form.xml", headers={**OPENROSA, **basic("int1")})
    assert found.status_code == 200, found.text
    return found.text


def post(client: TestClient, document: bytes, files: dict[str, tuple[str, bytes, str]], **extra: str):  # type: ignore[no-untyped-def,type-arg]
    parts = {"xml_submission_file": ("submission.xml", document, "text/xml"), **files}
    return client.post(
        f"/openrosa/{SLUG}/submission", files=parts, data=extra, headers={**OPENROSA, **basic("int1")}
    )


def kept(sessions: sessionmaker[Session]) -> list[tuple[str, str, str, int]]:
    with sessions() as session:
        rows = session.execute(
            select(Attachment.question, Attachment.filename, Attachment.media_type, Attachment.size).order_by(
                Attachment.question
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_the_xform_asks_for_a_photo_and_a_recording(client, media_env) -> None:
    form = xform(client)
    assert 'mediatype="image/*"' in form and 'mediatype="audio/*"' in form
    assert 'type="binary"' in form and 'orx:max-pixels="1024"' in form


def test_files_are_stored_once_and_a_split_submission_completes(client, media_env, sessions) -> None:
    instance = str(uuid.uuid4())
    document = fill(xform(client), {"photo": "1712.jpg", "noise": "1713.wav"}, f"uuid:{instance}")
    first = post(
        client, document, {"1712.jpg": ("1712.jpg", JPEG, "image/jpeg")}, **{"*isIncomplete*": "yes"}
    )
    assert first.status_code == 201, first.text
    assert kept(sessions) == [("photo", "1712.jpg", "image/jpeg", len(JPEG))]
    rest = post(client, document, {"1713.wav": ("1713.wav", WAV, "audio/x-wav")})
    assert rest.status_code == 201, rest.text
    again = post(
        client, document, {"1712.jpg": ("1712.jpg", JPEG, "image/jpeg"), "1713.wav": ("1713.wav", WAV, "x")}
    )
    assert again.status_code == 202 and "nothing changed" in message(again)
    assert kept(sessions) == [
        ("noise", "1713.wav", "audio/wav", len(WAV)),
        ("photo", "1712.jpg", "image/jpeg", len(JPEG)),
    ]
    with sessions() as session:
        assert set(session.scalars(select(Attachment.response_uuid))) == {instance}


def test_a_wrong_or_oversized_file_refuses_the_post_naming_the_question(client, media_env, sessions) -> None:
    document = fill(xform(client), {"photo": "a.jpg"}, f"uuid:{uuid.uuid4()}")
    wrong = post(client, document, {"a.jpg": ("a.jpg", WAV, "image/jpeg")})
    assert wrong.status_code == 400 and message(wrong).startswith("photo: This kind of file is not accepted")
    big = post(client, document, {"a.jpg": ("a.jpg", JPEG + bytes(11 * 1024 * 1024), "image/jpeg")})
    assert big.status_code == 400 and message(big).startswith("photo: This file is too large (at most 10 MB)")
    assert kept(sessions) == []
    probe = client.head(f"/openrosa/{SLUG}/submission", headers={**OPENROSA, **basic("int1")})
    assert int(probe.headers["X-OpenRosa-Accept-Content-Length"]) == 64 * 1024 * 1024
