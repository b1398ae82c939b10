"""What the store keeps of a file: its type read from the bytes, once, and only while an answer names it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.model import Question, QuestionType
from survey.settings import ConfigurationError, load_settings
from survey.store.db import transaction
from survey.store.models import Attachment, utcnow
from survey.store.services.attachments import (
    AttachmentRefusedError,
    AttachmentService,
    Upload,
    bare_name,
    check,
    served_type,
    sniff,
    zip_path,
)
from survey.store.services.consultations import ConsultationService
from survey.store.services.erasure import purge_unfinished
from survey.store.services.progress import ProgressService
from tests.web.conftest import store_consultation

IMAGE = Question("photo", QuestionType.IMAGE, {"en": "Photo"})
AUDIO = Question("noise", QuestionType.AUDIO, {"en": "Noise"})
FILE = Question("doc", QuestionType.FILE, {"en": "Doc"})
PDF_ONLY = Question("letter", QuestionType.FILE, {"en": "Letter"}, accept=".pdf,audio/*")


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00", "image/heic"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"OggS\x00\x02", "audio/ogg"),
        (b"ID3\x04\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x00", "audio/mpeg"),
        (b"\x00\x00\x00\x20ftypM4A \x00", "audio/mp4"),
        (b"\x1aE\xdf\xa3\x9fB\x86", "audio/webm"),
        (b"#!AMR\n", "audio/amr"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b'  <?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        (b"<!DOCTYPE html><p>x", "text/html"),
        (b"name,age\nAnn,40\n", "text/plain"),
        (b"\x00\x01\x02\xfe\xff" * 10, "application/octet-stream"),
    ],
)
def test_the_type_is_read_from_the_bytes(content: bytes, media_type: str) -> None:
    assert sniff(content) == media_type


def test_only_raster_images_recordings_and_pdf_are_served_as_themselves() -> None:
    assert served_type("image/png") == "image/png" and served_type("application/pdf") == "application/pdf"
    for risky in ("image/svg+xml", "text/html", "text/plain", "application/zip"):
        assert served_type(risky) == "application/octet-stream"


def test_each_kind_keeps_only_its_types_and_the_size_limit_holds() -> None:
    png, ogg, svg = b"\x89PNG\r\n\x1a\n" + bytes(10), b"OggS" + bytes(10), b"<svg/>"
    assert check(IMAGE, Upload("photo", "a.png", png), 100).media_type == "image/png"
    assert check(AUDIO, Upload("noise", "a.ogg", ogg), 100).media_type == "audio/ogg"
    assert check(FILE, Upload("doc", "a.svg", svg), 100).media_type == "image/svg+xml"
    refusals = [
        (IMAGE, Upload("photo", "a.png", svg), 100, "file_type"),
        (AUDIO, Upload("noise", "a.ogg", png), 100, "file_type"),
        (IMAGE, Upload("photo", "a.png", png), 10, "file_too_big"),
        (FILE, Upload("doc", "a.txt", b""), 10, "file_empty"),
        (PDF_ONLY, Upload("letter", "a.pdf", png), 100, "file_type"),  # a PNG named .pdf
        (PDF_ONLY, Upload("letter", "a.txt", b"text"), 100, "file_type"),
    ]
    for question, upload, limit, code in refusals:
        with pytest.raises(AttachmentRefusedError) as caught:
            check(question, upload, limit)
        assert (caught.value.question, caught.value.code) == (question.name, code)
    assert check(PDF_ONLY, Upload("letter", "memo.OGG", ogg), 100).media_type == "audio/ogg"  # audio/*
    assert check(PDF_ONLY, Upload("letter", "L.PDF", b"%PDF-1.4"), 100).media_type == "application/pdf"


def test_names_lose_their_folders_and_the_zip_path_stays_inside() -> None:
    assert bare_name("C:\\Users\\ann\\street.png") == "street.png"
    assert bare_name("../../etc/passwd") == "passwd" and bare_name("") == "file"
    service_row = type("L", (), {"response_uuid": "u", "question": "q", "filename": "..\\a:b*?.png"})()
    assert zip_path(service_row) == "u/q/a_b__.png"  # type: ignore[arg-type]


def test_the_same_file_is_kept_once_and_a_new_one_only_when_replacing(
    sessions: sessionmaker[Session],
) -> None:
    version = store_consultation(sessions)
    owner = str(uuid.uuid4())
    first = check(IMAGE, Upload("photo", "a.png", b"\x89PNG\r\n\x1a\n1"), 100)
    other = check(IMAGE, Upload("photo", "b.png", b"\x89PNG\r\n\x1a\n2"), 100)
    with transaction(sessions) as session:
        files = AttachmentService(session)
        assert files.keep(version.consultation_id, owner, first, replace=False)
        assert not files.keep(version.consultation_id, owner, first, replace=False)  # a retry
        assert not files.keep(version.consultation_id, owner, other, replace=False)  # the first stays
        assert files.names(owner) == {"photo": "a.png"}
        assert files.keep(version.consultation_id, owner, other, replace=True)
        assert files.names(owner) == {"photo": "b.png"}
        assert files.prune(owner, {"photo": "b.png"}) == 0
        assert files.prune(owner, {}) == 1
    with sessions() as session:
        assert session.scalars(select(Attachment)).all() == []
        assert ConsultationService(session).get("brussels-futures").id == version.consultation_id


def test_the_size_limit_setting_is_read_and_checked() -> None:
    base = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32}
    assert load_settings(base).max_attachment_bytes == 10 * 1024 * 1024
    assert load_settings({**base, "SURVEY_MAX_ATTACHMENT_BYTES": "2048"}).max_attachment_bytes == 2048
    for wrong in ("10", "1e6", str(65 * 1024 * 1024)):
        with pytest.raises(ConfigurationError, match="SURVEY_MAX_ATTACHMENT_BYTES"):
            load_settings({**base, "SURVEY_MAX_ATTACHMENT_BYTES": wrong})


def test_a_purged_unfinished_response_takes_its_files(sessions: sessionmaker[Session]) -> None:
    version = store_consultation(sessions)
    with transaction(sessions) as session:
        response, _token = ProgressService(session).start(session.merge(version), "en", False)
        photo = check(IMAGE, Upload("photo", "a.png", b"\x89PNG\r\n\x1a\n1"), 100)
        AttachmentService(session).keep(version.consultation_id, response.uuid, photo, replace=True)
    with transaction(sessions) as session:
        purged = purge_unfinished(session, 0, actor="test", now=utcnow() + dt.timedelta(days=1))
    assert purged.responses == 1
    with sessions() as session:
        assert session.scalars(select(Attachment)).all() == []
