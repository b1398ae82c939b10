"""A tablet sends an interview's photo after the interview: once, only its own, only the file its answer names."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Attachment
from tests.field_app.conftest import FieldEnv, login
from tests.openrosa.test_attachments import JPEG, SLUG, WAV, media_env  # noqa: F401  (fixture)


def _version(client: TestClient, token: str) -> int:  # type: ignore[type-arg]
    found = client.get("/field/api/consultations", headers={"Authorization": f"Bearer {token}"}).json()
    return next(c["version_id"] for c in found if c["slug"] == SLUG)


def _sync(client: TestClient, token: str, answers: dict[str, str]) -> str:  # type: ignore[type-arg]
    interview = str(uuid.uuid4())
    item = {"uuid": interview, "consultation": SLUG, "version_id": _version(client, token), "language": "fr",
            "answers": answers}  # fmt: skip
    reply = client.post(
        "/field/api/sync", json={"items": [item]}, headers={"Authorization": f"Bearer {token}"}
    )
    assert reply.status_code == 200 and reply.json()["results"][0]["status"] == "stored", reply.text
    return interview


def _put(client: TestClient, token: str, interview: str, question: str, name: str, content: bytes):  # type: ignore[no-untyped-def,type-arg]
    return client.put(
        f"/field/api/attachments/{interview}/{question}", content=content,
        headers={"Authorization": f"Bearer {token}", "X-File-Name": quote(name),
                 "Content-Type": "application/octet-stream"},
    )  # fmt: skip


@pytest.mark.usefixtures("media_env")
def test_a_file_is_kept_once_for_its_own_interview(
    client: TestClient,  # type: ignore[type-arg]
    sessions: sessionmaker[Session],
    field_env: FieldEnv,
) -> None:
    token = login(client)["token"]
    interview = _sync(client, token, {"photo": "photo été.jpg", "noise": "n.wav"})
    first = _put(client, token, interview, "photo", "photo été.jpg", JPEG)
    assert first.status_code == 200 and first.json() == {"stored": True}, first.text
    again = _put(client, token, interview, "photo", "photo été.jpg", JPEG)  # the acknowledgement was lost
    assert again.json() == {"stored": False}
    assert _put(client, token, interview, "noise", "n.wav", WAV).json() == {"stored": True}
    with sessions() as session:
        kept = session.execute(select(Attachment.question, Attachment.filename, Attachment.media_type)).all()
    assert sorted(kept) == [("noise", "n.wav", "audio/wav"), ("photo", "photo été.jpg", "image/jpeg")]


@pytest.mark.usefixtures("media_env")
def test_refusals_name_the_question_and_keep_nothing(
    client: TestClient,  # type: ignore[type-arg]
    sessions: sessionmaker[Session],
    field_env: FieldEnv,
) -> None:
    token = login(client)["token"]
    interview = _sync(client, token, {"photo": "a.jpg"})
    cases = [
        (interview, "photo", "a.jpg", WAV, 400, "file_refused", "photo: This kind of file is not accepted"),
        (
            interview,
            "photo",
            "b.jpg",
            JPEG,
            400,
            "file_refused",
            "photo: the interview's answer names another file",
        ),
        (interview, "where", "a.jpg", JPEG, 400, "file_refused", "question: 'where' is not a photo"),
        (
            str(uuid.uuid4()),
            "photo",
            "a.jpg",
            JPEG,
            404,
            "not_assigned",
            "uuid: not an interview of this tablet",
        ),
        ("not-a-uuid", "photo", "a.jpg", JPEG, 404, "not_assigned", "uuid:"),
    ]
    for target, question, name, content, status, code, detail in cases:
        reply = _put(client, token, target, question, name, content)
        body = reply.json()
        assert (reply.status_code, body["code"]) == (status, code), reply.text
        assert body["detail"].startswith(detail), body
    other = login(client, "int2")["token"]
    stranger = _put(client, other, interview, "photo", "a.jpg", JPEG)
    assert stranger.status_code == 404 and stranger.json()["code"] == "not_assigned"
    with sessions() as session:
        assert session.scalars(select(Attachment)).all() == []
