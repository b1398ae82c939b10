"""One text policy at the edge: NFC, no control characters, no bidi overrides in identifiers; a 4xx names the field."""

from __future__ import annotations

import base64
import json
import re
import uuid

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.http.text_policy import Refusal, clean_text
from survey.store.db import transaction
from survey.store.models import Answer, Device, QuestionnaireVersion, Role
from survey.store.services.users import UserService
from tests.factories import valid_answers
from tests.security.conftest import SLUG

URL = f"/api/consultations/{SLUG}/responses"
PASSWORD = "policy-pass-123"
RLO = "\u202e"


def _response(version_id: int, **overrides: object) -> dict[str, object]:
    return {"uuid": str(uuid.uuid4()), "version_id": version_id, "language": "en", "answers": valid_answers(),
            **overrides}  # fmt: skip


def _staff(sessions: sessionmaker[Session], username: str, role: Role) -> None:
    with transaction(sessions) as session:
        UserService(session).create(username, PASSWORD, role, actor="test")


def _basic(username: str) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()}


def test_clean_text_rules() -> None:
    assert clean_text("plain", answer=False) == "plain"
    assert clean_text("e\u0301te\u0301", answer=True) == "été"  # NFC
    assert clean_text("a\r\nb\rc\td", answer=True) == "a\nb\nc\td"
    assert clean_text(f"{RLO}gnp.exe", answer=True) == "gnp.exe"
    for bad, answer in [("a\x00b", True), ("bell\x07", True), ("\x1b[31m", False), ("\x85", True),
                        (f"admin{RLO}", False), ("\udcff", True), ("del\x7f", True)]:  # fmt: skip
        with pytest.raises(Refusal):
            clean_text(bad, answer=answer)


def test_nul_in_a_tablet_label_is_422_naming_it(client: TestClient, sessions: sessionmaker[Session]) -> None:
    _staff(sessions, "interviewer1", Role.INTERVIEWER)
    reply = client.post("/field/api/login", json={"username": "interviewer1", "password": PASSWORD,
                                                  "device_label": "tab\x00let"})  # fmt: skip
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["field"] == "device_label"
    assert reply.json()["code"] == "invalid_request"
    with sessions() as session:
        assert session.scalars(select(Device)).all() == []


def test_a_decomposed_tablet_label_is_stored_composed(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _staff(sessions, "interviewer1", Role.INTERVIEWER)
    reply = client.post("/field/api/login", json={"username": "interviewer1", "password": PASSWORD,
                                                  "device_label": "Tablette e\u0301quipe"})  # fmt: skip
    assert reply.status_code == 200, reply.text
    with sessions() as session:
        assert session.scalars(select(Device.label)).one() == "Tablette équipe"


def test_nul_in_an_assignment_is_422_naming_it(
    client: TestClient, sessions: sessionmaker[Session], version: QuestionnaireVersion
) -> None:
    _staff(sessions, "boss", Role.ADMIN)
    reply = client.put("/field/api/admin/assignments", json={"username": "x\x00y", "consultation": SLUG},
                       headers=_basic("boss"))  # fmt: skip
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["field"] == "username"


def test_answers_lose_bidi_overrides_and_are_composed_but_keys_keep_them_out(
    client: TestClient, sessions: sessionmaker[Session], version: QuestionnaireVersion
) -> None:
    text = f"Quartier {RLO}e\u0301vol{RLO}"
    reply = client.post(URL, json=_response(version.id, answers=valid_answers(merge_why_not_other=text)))
    assert reply.status_code == 201, reply.text
    with sessions() as session:
        stored = session.scalars(select(Answer).where(Answer.question == "merge_why_not_other")).one()
        assert stored.value_text == "Quartier évol"
    refused = client.post(URL, json=_response(version.id, language=f"en{RLO}"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "language"


def test_a_control_character_in_an_answer_is_422_naming_the_answer(
    client: TestClient, version: QuestionnaireVersion
) -> None:
    answers = valid_answers(merge_why_not_other="ok\x00 then \x1b[2J")
    reply = client.post(URL, json=_response(version.id, answers=answers))
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["field"] == "merge_why_not_other"
    assert reply.json()["errors"][0]["code"] == "invalid_text"
    assert "U+0000" in reply.json()["detail"]


def test_a_control_character_in_a_query_parameter_is_400_naming_it(
    client: TestClient, version: QuestionnaireVersion
) -> None:
    reply = client.get(f"/c/{SLUG}", params={"lang": "fr\x00"})
    assert reply.status_code == 400
    assert "lang" in reply.json()["detail"]


def test_a_citizen_form_with_a_nul_is_refused_and_a_staff_form_too(
    client: TestClient, version: QuestionnaireVersion, sessions: sessionmaker[Session]
) -> None:
    page = client.get(f"/c/{SLUG}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    reply = client.post(f"/c/{SLUG}/start", data={"csrf_token": token.group(1), "consent": "yes\x00"})
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "consent"
    login = client.post("/analyst/login", data={"username": "a\x00", "password": "x"})
    assert login.status_code == 422
    assert login.json()["errors"][0]["field"] == "username"


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00Z", "1899-12-31T23:00:00+00:00", "2999-01-01T00:00:00Z"]
)
def test_an_impossible_start_time_is_refused_naming_it(
    client: TestClient, version: QuestionnaireVersion, when: str
) -> None:
    reply = client.post(URL, content=json.dumps(_response(version.id, started_at=when)),
                        headers={"content-type": "application/json"})  # fmt: skip
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["field"] == "started_at"


def test_an_unreadable_form_is_400_at_once(client: TestClient, version: QuestionnaireVersion) -> None:
    """A form part in an unknown charset is refused where the policy reads it, not left to the handler."""
    body = (b'--b\r\nContent-Disposition: form-data; name="username"\r\n'
            b"Content-Type: text/plain; charset=no-such-charset\r\n\r\n\xff\xfe\r\n--b--\r\n")  # fmt: skip
    for path in ("/analyst/login", "/field/coordinator/login"):
        reply = client.post(path, content=body, headers={"content-type": "multipart/form-data; boundary=b"})
        assert reply.status_code == 400, (path, reply.text)
