"""An imported XLSForm with a date, a calculation and untagged choice labels, answered on the citizen pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.http import ratelimit
from survey.questionnaire.xlsform import load_xlsform
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.consultations import ConsultationService
from tests.app_pool import lent_app
from tests.questionnaire.test_xlsform_bugs import workbook


@pytest.fixture
def client(settings: Settings, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:  # type: ignore[type-arg]
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "calculation", "constraint", "default"],
            ["begin group", "about", "About you", "", ""],
            ["date", "born", "When were you born?", "", ". < today()"],
            ["select_one rel", "rel", "Who are you to the head of household?", "", "", "head"],
            ["end group", "", "", "", ""],
            ["calculate", "age_days", "", "today() - ${born}", ""],
            ["begin group", "end", "The end", "", ""],
            ["note", "", "You were born ${age_days} days ago, <b>${rel}</b>.", "", ""],
            ["text", "bye", "Anything else?", "", ""],
            ["end group", "", "", "", ""],
        ],
        [
            ["list_name", "name", "label"],
            ["rel", "wife_or_husband", "Wife / Husband"],
            ["rel", "head", "Head"],
        ],
    )
    questionnaire = load_xlsform(path).questionnaire
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create("dates", questionnaire.title, actor="test")
        service.add_version(consultation, questionnaire, source_name=path.name, actor="test")
    saved = ratelimit.FORMS.limit
    ratelimit.FORMS.limit = 0
    with lent_app(settings) as app, TestClient(app) as test_client:
        yield test_client
    ratelimit.FORMS.limit = saved


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _post(client: TestClient, page, fields: dict[str, object]):  # type: ignore[no-untyped-def, type-arg]
    shown = re.findall(r'name="_shown" value="([^"]+)"', page.text)
    data = {
        "csrf_token": _token(page.text),
        "_lang": "fr",
        "_easy": "0",
        "_action": "next",
        "_shown": shown,
        **fields,
    }
    return client.post(str(page.url), data=data)


def test_date_input_choice_labels_and_stored_calculation(client: TestClient, sessions) -> None:  # type: ignore[type-arg]
    landing = client.get("/c/dates?lang=fr")
    page = client.post(
        "/c/dates/start", data={"csrf_token": _token(landing.text), "consent": "yes", "_lang": "fr"}
    )
    assert '<input id="q-born" name="born" type="date"' in page.text
    assert "Wife / Husband" in page.text and ">wife_or_husband<" not in page.text
    assert 'name="rel" value="head" checked' in page.text  # the form's default, until answered
    wrong = _post(client, page, {"born": "1990-02-30", "rel": "head"})
    assert wrong.status_code == 422 and "Indiquez une date" in wrong.text
    born = (dt.date.today() - dt.timedelta(days=100)).isoformat()
    page = _post(client, wrong, {"born": born, "rel": "wife_or_husband"})
    assert "Anything else?" in page.text  # the page holding only the calculation is never shown
    assert "You were born 100 days ago, &lt;b&gt;wife_or_husband&lt;/b&gt;." in page.text
    assert 'id="wrap-age_days"' not in page.text and "&#34;age_days&#34;: &#34;100&#34;" in page.text
    done = _post(client, page, {"bye": "merci"})
    assert "/thanks" in str(done.url)
    with sessions() as session:
        response = session.scalars(select(Response)).one()
        answers = {
            a.question: a.value_text
            for a in session.scalars(select(Answer).where(Answer.response_id == response.id))
        }
    assert answers == {"born": born, "rel": "wife_or_husband", "age_days": "100", "bye": "merci"}
