"""Field app fixtures: a small three-language form, an assigned interviewer, an admin, an API client."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

import field_app.models  # noqa: F401  (field tables on Base.metadata so they are emptied too)
from field_app.api import assign
from survey.app import create_app
from survey.questionnaire.model import Questionnaire
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services.consultations import ConsultationService
from survey.store.services.users import UserService

PASSWORD = "field-pass-123"
SLUG = "field-test"


def _q(name: str, type_: str, labels: tuple[str, str, str], **extra: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "name": name, "type": type_, "labels": dict(zip(("fr", "nl", "en"), labels, strict=True)),
        "easy_labels": {}, "hints": {}, "required": False, "required_messages": {}, "constraint": None,
        "constraint_messages": {}, "relevant": None, "choice_list": None, "choice_filter": None,
        "appearance": None, "page": "",
    }  # fmt: skip
    question.update(extra)
    return question


def _choice(name: str, fr: str, nl: str, en: str) -> dict[str, Any]:
    return {"name": name, "labels": {"fr": fr, "nl": nl, "en": en}, "easy_labels": {}, "filters": {}}


FORM: dict[str, Any] = {
    "form_id": "field_test", "title": {"fr": "Test terrain", "nl": "Veldtest", "en": "Field test"},
    "version": "1", "default_language": "fr", "languages": ["fr", "nl", "en"], "easy_languages": ["en"],
    "pages": [
        {"name": "about", "labels": {"en": "About you"}, "relevant": None, "questions": [
            _q("sex", "select_one", ("Vous êtes", "U bent", "You are"), required=True, choice_list="sex",
               easy_labels={"en": "Man or woman?"}),
            _q("age", "integer", ("Âge", "Leeftijd", "Age"), required=True,
               constraint=". >= 16 and . <= 120", constraint_messages={"en": "Between 16 and 120"}),
        ]},
        {"name": "vote", "labels": {"en": "Voting"}, "relevant": None, "questions": [
            _q("votes", "select_one", ("Vote?", "Stemt u?", "Do you vote?"), required=True, choice_list="yesno",
               relevant="${age} >= 18"),
            _q("comment", "text", ("Commentaire", "Opmerking", "Comment")),
        ]},
    ],
    "choices": {
        "sex": [_choice("F", "Femme", "Vrouw", "Woman"), _choice("M", "Homme", "Man", "Man")],
        "yesno": [_choice("yes", "Oui", "Ja", "Yes"), _choice("no", "Non", "Nee", "No")],
    },
}  # fmt: skip


@dataclass(frozen=True)
class FieldEnv:
    """What the tests need to name: the consultation, its version and the staff accounts."""

    slug: str
    version_id: int
    interviewer: str
    admin: str


@pytest.fixture
def field_env(sessions: sessionmaker[Session]) -> FieldEnv:
    with transaction(sessions) as session:
        users = UserService(session)
        interviewer = users.create("int1", PASSWORD, Role.INTERVIEWER, actor="test")
        users.create("int2", PASSWORD, Role.INTERVIEWER, actor="test")
        users.create("boss", PASSWORD, Role.ADMIN, actor="test")
        users.create("ana", PASSWORD, Role.ANALYST, actor="test")
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, FORM["title"], actor="test")
        version = consultations.add_version(
            consultation, Questionnaire.from_dict(FORM), source_name="test", actor="test"
        ).version
        assign(session, interviewer, consultation, actor="test")
        return FieldEnv(SLUG, version.id, "int1", "boss")


@pytest.fixture
def client(settings: Settings, field_env: FieldEnv) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with TestClient(app=create_app(settings)) as test_client:
        yield test_client


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def login(client: TestClient, username: str = "int1") -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.post(
        "/field/api/login", json={"username": username, "password": PASSWORD, "device_label": "t"}
    )
    assert response.status_code == 200, response.text
    return response.json()
