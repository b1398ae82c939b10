"""Photo, recording and file questions on the citizen pages, without JavaScript (multipart forms).

The file's bytes decide what is kept: a too large or wrong file is refused with a message in the
respondent's language next to its question, and every other answer of the page stays.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.questionnaire.model import Page, Question, Questionnaire, QuestionType
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Answer, Attachment, Response
from survey.store.services.consultations import ConsultationService
from tests.web.test_flow import shown, token

L = lambda text: {"fr": text + " FR", "nl": text + " NL", "en": text}  # noqa: E731
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2
OGG = b"OggS" + bytes(600)
PDF = b"%PDF-1.4\n" + b"x" * 500
HTML = b"<!DOCTYPE html><script>alert(1)</script>"
LIMIT = 2048

FORM = Questionnaire(
    form_id="media", title=L("Media"), version="1", default_language="en", languages=("fr", "nl", "en"),
    pages=(
        Page("first", L("First"), questions=(
            Question("photo", QuestionType.IMAGE, L("A photo of the street"), required=True),
            Question("where", QuestionType.TEXT, L("Which street?")),
        )),
        Page("second", L("Second"), questions=(
            Question("sound", QuestionType.AUDIO, L("The noise")),
            Question("letter", QuestionType.FILE, L("Your letter"), accept=".pdf,.odt"),
        )),
    ),
    choices={},
)  # fmt: skip


@pytest.fixture
def media_client(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create("media", FORM.title, actor="test")
        service.add_version(consultation, FORM, source_name="media", actor="test")
    small = dataclasses.replace(settings, max_attachment_bytes=LIMIT)
    with TestClient(create_app(small)) as client:
        yield client


def begin(client: TestClient, lang: str = "en"):  # type: ignore[type-arg,no-untyped-def]
    landing = client.get(f"/c/media?lang={lang}")
    assert landing.status_code == 200, landing.text
    return client.post(
        "/c/media/start", data={"csrf_token": token(landing.text), "consent": "yes", "_lang": lang}
    )


def send(client, page, fields, files, lang: str = "en", action: str = "next"):  # type: ignore[no-untyped-def]
    data = {"csrf_token": token(page.text), "_lang": lang, "_easy": "0", "_action": action,
            "_shown": shown(page.text), **fields}  # fmt: skip
    return client.post(str(page.url), data=data, files=files)


def attachments(sessions: sessionmaker[Session]) -> list[Attachment]:
    with sessions() as session:
        rows = session.scalars(select(Attachment).order_by(Attachment.question)).all()
        for row in rows:
            assert row.content  # loaded before the session closes
        return list(rows)


def test_the_page_is_a_multipart_form_with_a_file_picker(media_client) -> None:
    page = begin(media_client)
    assert 'enctype="multipart/form-data"' in page.text
    assert '<input id="q-photo" name="photo" type="file" accept="image/*"' in page.text
    assert "At most 2 kB." in page.text


def test_a_photo_is_kept_with_its_sniffed_type_and_the_answer_names_it(media_client, sessions) -> None:
    page = begin(media_client)
    second = send(
        media_client, page, {"where": "Rue Haute"}, {"photo": ("C:\\fakepath\\street.png", PNG, "text/html")}
    )
    assert "/p/2" in str(second.url), second.text
    (kept,) = attachments(sessions)
    assert (kept.question, kept.filename, kept.media_type, kept.size) == (
        "photo",
        "street.png",
        "image/png",
        len(PNG),
    )
    assert kept.sha256 == hashlib.sha256(PNG).hexdigest() and kept.content == PNG
    back = media_client.get(str(page.url))
    assert "File already sent: street.png." in back.text
    done = send(
        media_client, second, {}, {"sound": ("noise.ogg", OGG, "audio/ogg"), "letter": ("l.pdf", PDF, "x/y")}
    )
    assert "/thanks" in str(done.url), done.text
    with sessions() as session:
        response = session.scalars(select(Response)).one()
        answers = {a.question: a.value_text for a in session.scalars(select(Answer))}
    assert response.status == "complete"
    assert answers == {"photo": "street.png", "where": "Rue Haute", "sound": "noise.ogg", "letter": "l.pdf"}
    assert {(a.question, a.media_type, a.response_uuid) for a in attachments(sessions)} == {
        ("photo", "image/png", response.uuid), ("sound", "audio/ogg", response.uuid),
        ("letter", "application/pdf", response.uuid),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "Ce fichier est trop lourd (au maximum 2 kB)"),
        ("nl", "Dit bestand is te groot (hoogstens 2 kB)"),
        ("en", "This file is too large (at most 2 kB)"),
    ],
)
def test_an_oversized_file_is_refused_naming_the_question_and_the_rest_is_kept(
    media_client, sessions, lang: str, expected: str
) -> None:
    page = begin(media_client, lang)
    refused = send(
        media_client,
        page,
        {"where": "Rue <b>Haute</b>"},
        {"photo": ("big.png", PNG + bytes(LIMIT), "image/png")},
        lang,
    )
    assert refused.status_code == 422
    label = L("A photo of the street")[lang]
    assert f"{label} – {expected}" in refused.text
    assert "Rue &lt;b&gt;Haute&lt;/b&gt;" in refused.text  # the other answer stays on the page, escaped
    assert attachments(sessions) == []
    with sessions() as session:
        assert (
            session.scalars(select(Answer.value_text).where(Answer.question == "where")).one()
            == "Rue <b>Haute</b>"
        )


def test_a_wrong_type_is_refused_whatever_the_name_and_type_the_browser_gave(media_client, sessions) -> None:
    page = begin(media_client)
    refused = send(media_client, page, {}, {"photo": ("street.png", HTML, "image/png")})
    assert refused.status_code == 422
    assert (
        "A photo of the street – This kind of file is not accepted here (JPEG, PNG, GIF, WebP, HEIC)."
        in refused.text
    )
    assert attachments(sessions) == []
    second = send(media_client, refused, {}, {"photo": ("street.png", PNG, "image/png")})
    wrong_letter = send(media_client, second, {}, {"letter": ("letter.pdf", PNG, "application/pdf")})
    assert wrong_letter.status_code == 422 and "(.pdf,.odt)" in wrong_letter.text


def test_the_same_file_sent_twice_is_kept_once_and_a_new_one_replaces_it(media_client, sessions) -> None:
    page = begin(media_client)
    send(media_client, page, {}, {"photo": ("a.png", PNG, "image/png")})
    again = media_client.get(str(page.url))
    send(media_client, again, {}, {"photo": ("a.png", PNG, "image/png")})
    (first,) = attachments(sessions)
    again = media_client.get(str(page.url))
    send(media_client, again, {}, {"photo": ("b.png", PNG[:-1], "image/png")})
    (second,) = attachments(sessions)
    assert first.id == second.id and second.filename == "b.png" and second.size == len(PNG) - 1


def test_no_new_file_keeps_the_one_sent_and_a_required_photo_is_asked_for(media_client, sessions) -> None:
    page = begin(media_client)
    missing = send(media_client, page, {"where": "x"}, {})
    assert missing.status_code == 422 and "This question is required." in missing.text
    send(media_client, missing, {}, {"photo": ("a.png", PNG, "image/png")})
    again = media_client.get(str(page.url))
    second = send(media_client, again, {"where": "y"}, {})
    assert "/p/2" in str(second.url)
    with sessions() as session:
        assert session.scalars(select(Answer.value_text).where(Answer.question == "photo")).one() == "a.png"
