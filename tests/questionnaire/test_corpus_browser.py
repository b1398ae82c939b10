"""Real-world corpus forms answered end to end in Chromium: pages shown, answers sent, the store read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.consultations import ConsultationService
from tests.web import conftest as web

pytestmark = pytest.mark.browser
CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
NEXT = "button[value=next]"
# pages in browser contexts kept for the module (tests/web/conftest.py)
shared_contexts, fresh_page = web.shared_contexts, web.fresh_page


def _serve(sessions, live_server, form: str, slug: str) -> str:
    questionnaire = load_xlsform(CORPUS / form).questionnaire
    with transaction(sessions) as session:
        service = ConsultationService(session)
        service.add_version(
            service.create(slug, questionnaire.title, actor="test"),
            questionnaire,
            source_name=form,
            actor="test",
        )
    return f"{live_server.url}/c/{slug}"


def _begin(page, url: str) -> None:
    page.goto(f"{url}?lang=en")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")


def _answers(sessions) -> dict[str, str]:
    with sessions() as session:
        response = session.scalars(select(Response).where(Response.status == "complete")).one()
        rows = session.scalars(select(Answer).where(Answer.response_id == response.id))
        return {r.question: r.value_text or str(r.value_number) for r in rows}


def test_cascading_selects_driven_by_calculations(fresh_page, sessions, live_server) -> None:
    """ODK's cascading-select example: two calculate rows decide which later pages are relevant."""
    url = _serve(sessions, live_server, "cascading_select_test_equivalent.xls", "cascade")
    page = fresh_page(locale="en-GB")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _begin(page, url)
    page.check("input[name=mylga_zone][value=zone_2]")
    page.click(NEXT)
    page.wait_for_selector("input[name=mylga_state_in_zone_2]")
    options = page.locator("input[name=mylga_state_in_zone_2]")
    state = options.nth(options.count() - 1).get_attribute("value") or ""
    options.nth(options.count() - 1).check()
    page.click(NEXT)
    lga_question = f"mylga_lga_in_{state}"
    page.wait_for_selector(f"input[name={lga_question}]")
    assert page.locator("input[name=mylga_lga_in_state_1]").count() == 0
    lga = page.locator(f"input[name={lga_question}]").first.get_attribute("value") or ""
    page.locator(f"input[name={lga_question}]").first.check()
    page.click(NEXT)
    page.wait_for_url("**/thanks")
    page.close()
    assert errors == []
    assert _answers(sessions) == {
        "mylga_zone": "zone_2",
        "mylga_state_in_zone_2": state,
        "mylga_state": state,
        lga_question: lga,
        "mylga": lga,
    }


def test_date_question_and_untagged_labels(fresh_page, sessions, live_server) -> None:
    url = _serve(sessions, live_server, "xl_date_ambiguous_v1.xlsx", "dates")
    page = fresh_page(locale="en-GB")
    _begin(page, url)
    for number in (1, 2, 3):
        page.fill(f"#q-name{number}", f"Name {number}")
        page.click(NEXT)
        page.wait_for_url(f"**/p/{number + 1}")
    first = page.locator("input[name=names]").first
    assert page.locator(f"label[for={first.get_attribute('id')}]").inner_text() != first.get_attribute(
        "value"
    )
    first.check()
    page.click(NEXT)
    page.wait_for_url("**/p/5")
    assert page.locator("#q-current_date").get_attribute("type") == "date"
    page.fill("#q-current_date", "2024-02-29")
    page.click(NEXT)
    page.wait_for_url("**/thanks")
    page.close()
    answers = _answers(sessions)
    assert answers["current_date"] == "2024-02-29" and answers["name3"] == "Name 3"
