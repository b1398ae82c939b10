"""Question types the demo lacks (note, decimal, short text) and page-level skip logic, without JS."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.http import ratelimit
from survey.questionnaire.model import Choice, Page, Question, Questionnaire, QuestionType
from survey.store.db import transaction
from survey.store.models import Response
from survey.store.services.consultations import ConsultationService
from tests.web.test_flow import post, token

L = lambda text: {"fr": text, "nl": text, "en": text}  # noqa: E731

FORM = Questionnaire(
    form_id="types", title=L("Types"), version="1", default_language="en", languages=("fr", "nl", "en"),
    pages=(
        Page("first", L("First"), questions=(
            Question("intro", QuestionType.NOTE, L("Thanks for helping")),
            Question("owner", QuestionType.SELECT_ONE, L("Do you own a car?"), required=True, choice_list="yn"),
            Question("height", QuestionType.DECIMAL, L("Your height (m)"), constraint=". > 0.5 and . < 2.5"),
            Question("nickname", QuestionType.TEXT, L("Nickname"), appearance="short"),
        )),
        Page("cars", L("Cars"), relevant="${owner} = 'yes'", questions=(
            Question("cars", QuestionType.INTEGER, L("How many cars?"), required=True),
        )),
        Page("end", L("End"), questions=(Question("bye", QuestionType.TEXT, L("Anything else?")),)),
    ),
    choices={"yn": (Choice("yes", L("Yes")), Choice("no", L("No")))},
)  # fmt: skip


@pytest.fixture
def types_form(sessions):
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create("types", FORM.title, actor="test")
        service.add_version(consultation, FORM, source_name="types", actor="test")


def begin(client):
    landing = client.get("/c/types?lang=en")
    return client.post(
        "/c/types/start", data={"csrf_token": token(landing.text), "consent": "yes", "_lang": "en"}
    )


def test_types_render_and_irrelevant_page_is_skipped(client, types_form, sessions) -> None:
    page = begin(client)
    assert '<p class="note" id="q-intro">Thanks for helping</p>' in page.text
    assert 'inputmode="decimal"' in page.text
    assert '<input id="q-nickname" name="nickname" type="text"' in page.text
    wrong = post(client, page, {"owner": "no", "height": "1,8x"})
    assert wrong.status_code == 422 and "Enter a number." in wrong.text
    page = post(client, wrong, {"owner": "no", "height": "1,82", "nickname": "Bob"})
    assert "/p/3" in str(page.url)
    assert "Page 2 of 2" in page.text
    page = post(client, page, {"bye": "ciao"})
    assert "/thanks" in str(page.url)
    with sessions() as session:
        assert session.scalars(select(Response)).one().status == "complete"


def test_relevant_page_is_shown(client, types_form) -> None:
    page = post(client, begin(client), {"owner": "yes"})
    assert "/p/2" in str(page.url) and "How many cars?" in page.text
    assert "Page 2 of 3" in page.text
    wrong = post(client, page, {"cars": "1.5"})
    assert "Enter a whole number." in wrong.text


def test_language_switch_is_kept_for_the_response(client, types_form, sessions) -> None:
    page = begin(client)
    dutch = client.get(f"{page.url}?lang=nl")
    assert '<html lang="nl">' in dutch.text and 'name="_lang" value="nl"' in dutch.text
    client.post(str(page.url), data={"csrf_token": token(dutch.text), "_lang": "nl", "owner": "no"})
    with sessions() as session:
        assert session.scalars(select(Response)).one().language == "nl"


def test_rate_limit_answers_429(client, types_form, monkeypatch) -> None:
    landing = client.get("/c/types?lang=en")
    monkeypatch.setattr(ratelimit, "FORMS", ratelimit.RateLimiter(2))
    data = {"csrf_token": token(landing.text), "_lang": "en"}
    codes = [client.post("/c/types/start", data=data).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
