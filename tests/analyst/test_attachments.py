"""The workbench's attachments: listed per consultation and per response, downloaded (never shown
inline), zipped with a manifest, gone with an erasure, and never among the results."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.services import outcomes
from survey.questionnaire.model import Page, Question, Questionnaire, QuestionType
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Attachment, Mode, ResponseStatus, Role
from survey.store.services import grants
from survey.store.services.attachments import AttachmentService, Upload, check
from survey.store.services.consultations import ConsultationService
from survey.store.services.erasure import erase
from survey.store.services.responses import ResponseService, Submission
from survey.store.services.users import UserService
from tests.app_pool import lent_app

L = lambda text: {"fr": text, "nl": text, "en": text}  # noqa: E731
PASSWORD = "attach-pass-123"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
LATER = str(uuid.uuid4())
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM = Questionnaire(
    form_id="files", title=L("Files"), version="1", default_language="en", languages=("fr", "nl", "en"),
    pages=(Page("p", L("P"), questions=(
        Question("photo", QuestionType.IMAGE, L("Street photo")),
        Question("doc", QuestionType.FILE, L("Any document")),
        Question("where", QuestionType.TEXT, L("Where?")),
    )),),
    choices={},
)  # fmt: skip


@dataclass(frozen=True)
class World:
    sent: str
    unfinished: str


def _respond(session: Session, version, status: ResponseStatus, files: dict[str, tuple[str, bytes]]) -> str:  # type: ignore[no-untyped-def]
    response_uuid = str(uuid.uuid4())
    answers: dict[str, object] = {q: name for q, (name, _) in files.items()} | {"where": "Rue <i>Haute</i>"}
    ResponseService(session).submit(
        Submission(
            uuid=response_uuid,
            version=version,
            mode=Mode.ONLINE,
            language="en",
            answers=answers,
            status=status,
        )
    )
    service = AttachmentService(session)
    for question, (name, content) in files.items():
        checked = check(FORM.question(question), Upload(question, name, content), 1024 * 1024)
        service.keep(version.consultation_id, response_uuid, checked, replace=False)
    return response_uuid


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    with transaction(sessions) as session:
        users = UserService(session)
        analyst = users.create("ana", PASSWORD, Role.ANALYST, actor="test")
        service = ConsultationService(session)
        consultation = service.create("files", FORM.title, actor="test")
        version = service.add_version(consultation, FORM, source_name="t", actor="test").version
        grants.grant(
            session, user_id=analyst.id, consultation_id=consultation.id, role=Role.ANALYST, by="test"
        )
        sent = _respond(
            session, version, ResponseStatus.COMPLETE, {"photo": ("street.png", PNG), "doc": ("x.svg", SVG)}
        )
        unfinished = _respond(session, version, ResponseStatus.IN_PROGRESS, {"photo": ("draft.png", PNG)})
        ResponseService(session).submit(  # Collect's first post of a split interview: its photo is due
            Submission(
                uuid=LATER, version=version, mode=Mode.FIELD, language="en", answers={"photo": "later.png"}
            )
        )
    return World(sent, unfinished)


@pytest.fixture
def analyst(settings: Settings, world: World) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with lent_app(settings) as app, TestClient(app) as client:
        found = CSRF.search(client.get("/analyst/login").text)
        assert found is not None
        client.post(
            "/analyst/login", data={"username": "ana", "password": PASSWORD, "csrf_token": found.group(1)}
        )
        yield client


def test_the_sent_responses_files_are_listed_and_an_unfinished_ones_not(analyst, world) -> None:
    page = analyst.get("/analyst/files/attachments")
    assert page.status_code == 200, page.text
    assert "street.png" in page.text and "x.svg" in page.text and "draft.png" not in page.text
    assert "Street photo" in page.text and 'href="/analyst/files/attachments.zip"' in page.text
    one = analyst.get(f"/analyst/files/attachments?response={world.sent}")
    assert f"Files of response {world.sent}" in one.text and "street.png" in one.text
    assert analyst.get(f"/analyst/files/attachments?response={world.unfinished}").text.count("draft.png") == 0
    assert analyst.get("/analyst/files/attachments?response=nope").status_code == 400
    body = analyst.get("/analyst/api/files/attachments").json()
    assert [(a["question"], a["filename"], a["media_type"]) for a in body["attachments"]] == [
        ("photo", "street.png", "image/png"), ("doc", "x.svg", "image/svg+xml")
    ]  # fmt: skip
    assert body["missing"] == [{"response_uuid": LATER, "question": "photo", "filename": "later.png"}]
    assert "Files named by answers, not received yet" in page.text and "later.png" in page.text
    assert "later.png" not in one.text


def test_a_download_is_always_an_attachment_and_svg_never_runs(analyst, sessions) -> None:
    listed = analyst.get("/analyst/api/files/attachments").json()["attachments"]
    photo, svg = (analyst.get(a["download"]) for a in listed)
    assert photo.content == PNG and photo.headers["content-type"] == "image/png"
    assert svg.content == SVG and svg.headers["content-type"] == "application/octet-stream"
    for reply in (photo, svg):
        assert reply.headers["content-disposition"].startswith("attachment;")
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["content-security-policy"].startswith("sandbox")
    with sessions() as session:
        draft = session.scalars(select(Attachment.id).where(Attachment.filename == "draft.png")).one()
    assert analyst.get(f"/analyst/files/attachments/{draft}").status_code == 404
    assert analyst.get("/analyst/files/attachments/99999999999999999999").status_code in (400, 404)


def test_all_files_come_as_a_zip_with_their_manifest(analyst, world) -> None:
    reply = analyst.get("/analyst/files/attachments.zip")
    assert reply.status_code == 200 and reply.headers["content-disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(reply.content))
    assert sorted(archive.namelist()) == sorted(
        ["attachments.csv", f"{world.sent}/photo/street.png", f"{world.sent}/doc/x.svg"]
    )
    assert archive.read(f"{world.sent}/photo/street.png") == PNG
    manifest = pd.read_csv(archive.open("attachments.csv"))
    assert manifest["question"].tolist() == ["photo", "doc"] and manifest["size"].tolist() == [
        len(PNG),
        len(SVG),
    ]


def test_an_erasure_takes_the_files_with_the_answers(analyst, world, sessions) -> None:
    with transaction(sessions) as session:
        erase(session, "response", world.sent, actor="test")
    with sessions() as session:
        assert session.scalars(select(Attachment.response_uuid)).all() == [world.unfinished]
    assert analyst.get("/analyst/api/files/attachments").json()["attachments"] == []


def test_file_questions_are_never_a_result() -> None:
    data = pd.DataFrame({"photo": ["a.png"], "doc": ["b.pdf"], "where": ["x"]})
    assert outcomes(FORM, data) == []
