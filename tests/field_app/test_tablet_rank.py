"""``rank`` on the tablet (#15): tapped in order, checked as the server checks it, stored as ODK does."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.messages import tablet_questionnaire
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validation import validate
from survey.store.db import transaction
from survey.store.models import User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import FieldEnv, Server, login_and_pin
from tests.field_app.test_tablet_flow import device, record
from tests.field_app.test_tablet_types import _option, _question, _stored

pytestmark = pytest.mark.browser
SLUG = "rank-test"

RANK_FORM: dict[str, Any] = {
    "form_id": "rank_test", "title": {"fr": "Priorités", "nl": "Prioriteiten", "en": "Priorities"}, "version": "1",
    "default_language": "fr", "languages": ["fr", "nl", "en"], "easy_languages": [],
    "pages": [
        {"name": "p", "labels": {"en": "Priorities"}, "relevant": None, "questions": [
            _question("priorities", "rank", {"en": "Put these in order", "fr": "Classez"}, choice_list="topics",
                      required=True),
        ]},
    ],
    "choices": {"topics": [_option("schools", {"en": "Schools"}), _option("roads", {"en": "Roads"}),
                           _option("parks", {"en": "Parks"})]},
}  # fmt: skip

RAW_CASES: list[dict[str, Any]] = [
    {"priorities": "roads schools parks"},
    {"priorities": "roads schools"},
    {"priorities": "roads roads parks"},
    {"priorities": "roads moon parks"},
    {"priorities": ""},
]


@pytest.fixture
def rank_form(sessions: sessionmaker[Session], field_env: FieldEnv) -> str:
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, RANK_FORM["title"], actor="test")
        consultations.add_version(
            consultation, Questionnaire.from_dict(RANK_FORM), source_name="test", actor="test"
        )
        interviewer = session.query(User).filter_by(username=field_env.interviewer).one()
        assign(session, interviewer, consultation, actor="test")
    return SLUG


def test_a_ranking_is_tapped_in_order_checked_like_the_server_and_stored_as_odk_does(
    rank_form: str, server: Server, browser: Any, sessions: sessionmaker[Session]
) -> None:
    context, page = device(browser, "tablet")
    login_and_pin(page, server.url)
    questionnaire = Questionnaire.from_dict(RANK_FORM)
    for raw in RAW_CASES:
        for language in ("en", "fr"):
            tablet = page.evaluate(
                "([form, raw, lang]) => FieldForm.evaluate(form, raw, lang, false)",
                [tablet_questionnaire(RANK_FORM), raw, language],
            )
            server_result = validate(questionnaire, raw, language)
            assert tablet["errors"] == {e.question: e.message for e in server_result.errors}, raw
            assert tablet["answers"] == server_result.answers, raw

    page.click(f"[data-start={SLUG}]")
    page.select_option("#iv-lang", "en")
    for name in ("roads", "parks", "schools"):
        page.click(f"[data-q=priorities][data-choice={name}]")
    page.click("[data-q=priorities][data-choice=parks]")  # taken out: schools moves up to second
    expect(page.locator("[data-q=priorities][data-choice=schools] .place")).to_have_text("2")
    page.click("#review")
    expect(page.locator("[data-error=priorities]")).to_have_text("Give each option a place.")
    page.click("[data-q=priorities][data-choice=parks]")
    page.click("#review")
    expect(page.locator("[data-review=priorities]")).to_contain_text("1. Roads, 2. Schools, 3. Parks")
    page.click("#finish")
    page.click("#sync-now")
    expect(page.locator("#all-sent")).to_be_visible()
    assert record(page)["clean"] == {"priorities": "roads schools parks"}
    assert _stored(sessions) == {"priorities": "roads schools parks"}
    context.close()
