"""A whole number between close bounds (0 to 10) is tapped on a row of numbers, not typed: one tap
instead of a tap, a key and a keyboard over half the screen (bench/walkthrough.py counts them). It is
stored as the same number; a wide range (an age) is still typed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import Answer, Response, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import FieldEnv, Server, _q, login_and_pin
from tests.field_app.test_tablet_flow import VIEWPORTS, device, small_targets

pytestmark = pytest.mark.browser
SLUG = "numbers-test"
FORM: dict[str, Any] = {
    "form_id": "numbers", "title": {"fr": "Nombres", "nl": "Getallen", "en": "Numbers"}, "version": "1",
    "default_language": "en", "languages": ["fr", "nl", "en"], "easy_languages": [],
    "pages": [{"name": "p", "labels": {"en": "Trust"}, "relevant": None, "questions": [
        _q("trust", "integer", ("Confiance (0 à 10)", "Vertrouwen (0 tot 10)", "Trust (0 to 10)"), required=True,
           constraint=". >= 0 and . <= 10"),
        _q("age", "integer", ("Âge", "Leeftijd", "Age"), required=True, constraint=". >= 16 and . <= 120"),
    ]}],
    "choices": {},
}  # fmt: skip


@pytest.fixture
def numbers(sessions: sessionmaker[Session], field_env: FieldEnv) -> str:
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, FORM["title"], actor="test")
        consultations.add_version(
            consultation, Questionnaire.from_dict(FORM), source_name="test", actor="test"
        )
        interviewer = session.scalars(select(User).where(User.username == field_env.interviewer)).one()
        assign(session, interviewer, consultation, actor="test")
    return SLUG


@pytest.mark.parametrize("kind", ["tablet", "phone"])
def test_a_zero_to_ten_answer_is_one_tap_and_stored_as_a_number(
    kind: str,
    numbers: str,
    server: Server,
    sessions: sessionmaker[Session],
    browser: Any,
) -> None:
    context, page = device(browser, kind)
    login_and_pin(page, server.url)
    page.tap(f"[data-start={numbers}]")
    scale = page.locator("[data-q=trust][data-choice]")
    expect(scale).to_have_count(11)
    expect(scale.first).to_have_attribute("role", "radio")
    assert [b.text_content() for b in scale.all()] == [str(n) for n in range(11)]
    expect(page.locator("input[data-q=age]")).to_be_visible()  # 16 to 120: typed
    assert small_targets(page) == []
    rows = {round(box["y"]) for box in (b.bounding_box() for b in scale.all()) if box}
    assert len(rows) == (1 if kind == "tablet" else 2)
    assert all(
        b.bounding_box()["x"] + b.bounding_box()["width"] <= VIEWPORTS[kind]["width"] for b in scale.all()
    )  # type: ignore[index]
    page.tap("[data-q=trust][data-choice='7']")
    expect(page.locator("[data-q=trust][data-choice='7']")).to_have_attribute("aria-checked", "true")
    page.fill("[data-q=age]", "47")
    page.tap("#review")
    expect(page.locator("[data-review=trust]")).to_contain_text("7")
    page.tap("#finish")
    page.tap("#sync-now")
    expect(page.locator("#all-sent")).to_be_visible()
    with sessions() as session:
        [response] = session.scalars(select(Response)).all()
        stored = {
            a.question: a.value_number
            for a in session.scalars(select(Answer).where(Answer.response_id == response.id))
        }
    assert stored == {"trust": 7, "age": 47}
    context.close()
