"""The tablet handles the question features the XLSForm importer brings (issue #15) as the server does.

Labels fall back like the server's (respondent's language, the form's default language, the first
label present); date, time, date-time and position answers are checked like validation.py; calculate
rows are hidden, computed with the shared expression evaluator and synced with the answers;
``default`` pre-fills; ``required_when`` makes an answer required. The stored response must equal
what the server's own validation computes from the interviewer's raw answers.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.errors import FormError
from survey.questionnaire.messages import tablet_questionnaire
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Answer, Response, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import FieldEnv, Server, login_and_pin, new_tablet
from tests.field_app.test_tablet_flow import device, record
from tests.field_app.waiting import until, wait_for

pytestmark = pytest.mark.browser
SLUG = "types-test"


def _question(name: str, type_: str, labels: dict[str, str], **extra: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "name": name, "type": type_, "labels": labels, "easy_labels": {}, "hints": {}, "required": False,
        "required_messages": {}, "constraint": None, "constraint_messages": {}, "relevant": None,
        "choice_list": None, "choice_filter": None, "appearance": None, "page": "",
    }  # fmt: skip
    question.update(extra)
    return question


def _option(name: str, labels: dict[str, str]) -> dict[str, Any]:
    return {"name": name, "labels": labels, "easy_labels": {}, "filters": {}}


TYPES_FORM: dict[str, Any] = {
    "form_id": "types_test", "title": {"fr": "Types", "nl": "Types", "en": "Types"}, "version": "1",
    "default_language": "fr", "languages": ["fr", "nl", "en"], "easy_languages": [],
    "pages": [
        {"name": "when", "labels": {"fr": "Quand"}, "relevant": None, "questions": [
            _question("born", "date", {"fr": "Date de naissance"}, required=True),  # default language
            _question("visit_time", "time", {"nl": "Tijdstip"}),  # only label present
            _question("seen_at", "datetime", {"en": "Seen at", "fr": "Vu le"}),
            _question("household", "integer", {"en": "Household size"}, default="3"),
            _question("adults", "integer", {"en": "Adults"}, required_when="${household} > 2"),
            _question("transport", "select_one", {"en": "Transport"}, choice_list="mode", default="bike"),
            _question("children", "calculate", {}, calculation="${household} - ${adults}"),
            _question("summary", "calculate", {}, calculation="concat(${transport}, '-', ${household})"),
            _question("size", "calculate", {}, calculation="if(${household} > 4, 'large', 'small')"),
        ]},
        {"name": "where", "labels": {"en": "Where"}, "relevant": None, "questions": [
            _question("recap", "note", {"en": "Household of ${household}, ${children} children (${size})"}),
            _question("position", "geopoint", {"en": "Position"}),
        ]},
    ],
    "choices": {
        "mode": [
            _option("bike", {"fr": "Vélo", "nl": "Fiets"}),
            _option("bus", {"nl": "Bus (nl)"}),
            _option("walk", {"fr": "À pied", "en": "On foot"}),
        ],
    },
}  # fmt: skip


@pytest.fixture
def types_form(sessions: sessionmaker[Session], field_env: FieldEnv) -> str:
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, TYPES_FORM["title"], actor="test")
        consultations.add_version(
            consultation, Questionnaire.from_dict(TYPES_FORM), source_name="test", actor="test"
        )
        interviewer = session.query(User).filter_by(username=field_env.interviewer).one()
        assign(session, interviewer, consultation, actor="test")
    return SLUG


def _stored(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """The one stored response of the consultation, as question → value (lists for several rows)."""
    with sessions() as session:
        [response_id] = session.scalars(select(Response.id).where(Response.uuid.is_not(None))).all()
        rows = session.scalars(
            select(Answer).where(Answer.response_id == response_id).order_by(Answer.question, Answer.position)
        ).all()
        out: dict[str, Any] = {}
        for row in rows:
            value = row.value_number if row.value_number is not None else row.value_text
            out.setdefault(row.question, []).append(value)
        return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def _as_stored(answers: dict[str, Any]) -> dict[str, Any]:
    return {
        k: float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
        for k, v in answers.items()
    }


RAW_CASES: list[dict[str, Any]] = [
    {"born": "2024-02-30"},
    {"born": "2024-02-29", "visit_time": "24:00", "seen_at": "2024-13-01T10:00"},
    {"born": "0000-01-01", "visit_time": "9:30", "seen_at": "2024-05-31 14:30"},
    {"born": " 2024-05-31 ", "visit_time": "14:30:59", "seen_at": "2024-05-31T14:30:60"},
    {"born": "31/05/2024", "household": "2"},
    {"born": "2024-05-31", "household": "5", "adults": "2", "position": "50.8466 4.3528"},
    {"born": "2024-05-31", "position": "91 4"},
    {"born": "2024-05-31", "position": "50,5 4,25 100 -1"},
    {"born": "2024-05-31", "position": "50 4 100 12.5", "transport": "walk"},
]


def test_tablet_validation_matches_the_server(types_form: str, server: Server, browser: Any) -> None:
    """Same raw answers → same errors (question and message) and same answers, calculations included."""
    context, page = device(browser, "tablet")
    login_and_pin(page, server.url)
    questionnaire = Questionnaire.from_dict(TYPES_FORM)
    for raw in RAW_CASES:
        for language in ("en", "nl"):
            tablet = page.evaluate(
                "([form, raw, lang]) => FieldForm.evaluate(form, raw, lang, false)",
                [tablet_questionnaire(TYPES_FORM), raw, language],
            )
            server_result = validate(questionnaire, raw, language)
            assert tablet["errors"] == {e.question: e.message for e in server_result.errors}, raw
            assert _as_stored(tablet["answers"]) == _as_stored(server_result.answers), raw
    # A refusal from the server names the question by the label the server would show, not its name.
    page.evaluate("() => FieldI18n.set('nl')")  # seen_at has English and French (the form's) labels
    reason = page.evaluate(
        """(form) => FieldUI.itemText({code: 'invalid_answers', errors: [{field: 'seen_at', code: 'datetime'}]},
                                     {questionnaire: form})""",
        tablet_questionnaire(TYPES_FORM),
    )
    assert "Vu le – Geef een datum en een tijdstip." in reason
    context.close()


def test_an_interview_with_dates_calculations_defaults_and_a_position(
    types_form: str, server: Server, browser: Any, sessions: sessionmaker[Session]
) -> None:
    context, page = device(browser, "tablet")
    login_and_pin(page, server.url)
    page.click(f"[data-start={SLUG}]")
    page.select_option("#iv-lang", "en")

    # Labels fall back like the server's; never the internal name when a label exists.
    expect(page.locator("[data-question=born] .qlabel")).to_have_text("Date de naissance")
    expect(page.locator("[data-question=visit_time] .qlabel")).to_have_text("Tijdstip")
    assert page.locator("[data-q=transport]").all_text_contents() == ["Vélo", "Bus (nl)", "On foot"]
    expect(page.locator("h2").first).to_have_text("Quand")

    # Calculations are never shown; defaults pre-fill.
    for name in ("children", "summary", "size"):
        expect(page.locator(f"[data-question={name}]")).to_have_count(0)
    expect(page.locator("[data-q=household]")).to_have_value("3")
    expect(page.locator("[data-q=transport][data-choice=bike]")).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-q=born]")).to_have_attribute("type", "date")
    expect(page.locator("[data-q=seen_at]")).to_have_attribute("type", "datetime-local")

    # required_when: with a household of 3, the number of adults is required.
    page.fill("[data-q=born]", "1980-05-17")
    page.click("#next")
    expect(page.locator("[data-error=adults]")).to_have_text("This question is required.")
    page.fill("[data-q=household]", "2")
    page.click("#next")  # no longer required for a household of 2
    expect(page.locator("[data-question=position]")).to_be_visible()
    page.click("#back")
    page.fill("[data-q=household]", "5")
    page.fill("[data-q=adults]", "2")
    page.fill("[data-q=visit_time]", "14:30")
    page.fill("[data-q=seen_at]", "2026-12-05T10:15")
    page.click("[data-q=transport][data-choice=walk]")
    page.click("#next")

    # Labels show earlier answers and calculations, as the citizen pages fill them in.
    expect(page.locator("[data-question=recap] .qlabel")).to_have_text("Household of 5, 3 children (large)")

    # A position is typed (the button reads it only when tapped); a bad one is refused.
    expect(page.locator("[data-record-position=position]")).to_have_text("Record the position")
    page.fill("[data-q=position]", "95 4.35")
    page.click("#review")
    expect(page.locator("[data-error=position]")).to_contain_text("Enter a position")
    page.fill("[data-q=position]", "50.8466 4.3528")
    page.click("#review")
    expect(page.locator("[data-review=transport]")).to_contain_text("On foot")
    expect(page.locator("[data-review=children]")).to_have_count(0)
    page.click("#finish")
    page.click("#sync-now")
    expect(page.locator("#all-sent")).to_be_visible()

    rec = record(page)
    expected = validate(Questionnaire.from_dict(TYPES_FORM), rec["answers"], "en")
    assert expected.ok, expected.errors
    assert expected.answers["children"] == "3" and expected.answers["summary"] == "walk-5"
    assert rec["clean"] == {
        "born": "1980-05-17", "visit_time": "14:30", "seen_at": "2026-12-05T10:15", "household": 5, "adults": 2,
        "transport": "walk", "children": "3", "summary": "walk-5", "size": "large", "position": "50.8466 4.3528",
    }  # fmt: skip
    assert _as_stored(rec["clean"]) == _as_stored(expected.answers) == _stored(sessions)
    context.close()


def test_the_position_is_read_only_when_the_interviewer_taps_the_button(
    types_form: str, server: Server, browser: Any
) -> None:
    context = new_tablet(
        browser,
        permissions=["geolocation"],
        geolocation={"latitude": 50.8466, "longitude": 4.3528, "accuracy": 12},
    )
    page = context.new_page()
    login_and_pin(page, server.url)
    page.click(f"[data-start={SLUG}]")
    page.select_option("#iv-lang", "en")
    page.fill("[data-q=born]", "1980-05-17")
    page.fill("[data-q=household]", "2")
    page.click("#next")
    field = page.locator("[data-q=position]")
    expect(field).to_have_value("")  # shown, permission granted, and still nothing recorded on its own
    page.click("[data-record-position=position]")
    expect(field).to_have_value("50.8466 4.3528 0 12")
    until(page, "() => FieldDB.all('interviews').then(a => a[0].answers.position === '50.8466 4.3528 0 12')")
    context.close()


CORPUS = Path(__file__).parents[1] / "data" / "xlsforms"
GOOD = {"integer": "3", "decimal": "2.5", "text": "x", "date": "2024-05-31", "time": "14:30",
        "datetime": "2024-05-31T14:30", "geopoint": "50.8466 4.3528"}  # fmt: skip
BAD = {"integer": "3.5", "decimal": "abc", "date": "2024-02-30", "time": "24:00", "datetime": "2024-05-31",
       "geopoint": "91 4"}  # fmt: skip


def _raw(questionnaire: Questionnaire, values: dict[str, str]) -> dict[str, Any]:
    """An answer for every question: the first choice of a list, or the value given for its type."""
    raw: dict[str, Any] = {}
    for q in questionnaire.questions:
        options = questionnaire.choices_for(q)
        if q.type.has_choices and options:
            raw[q.name] = [options[0].name] if q.type.value == "select_multiple" else options[0].name
        elif q.type.value in values:
            raw[q.name] = values[q.type.value]
    return raw


@functools.cache
def _corpus_forms() -> list[tuple[str, Questionnaire, dict[str, Any]]]:
    """The corpus XLSForms that import, with the form as the tablet downloads it (messages too).

    Read once per run, not once per backend: parsing the workbooks is most of this test's own CPU.
    The test only reads them.
    """
    forms: list[tuple[str, Questionnaire, dict[str, Any]]] = []
    for path in sorted(CORPUS.glob("*.xls*")):
        try:
            questionnaire = load_xlsform(path, allow_location=True).questionnaire
        except FormError:
            continue
        forms.append((path.name, questionnaire, tablet_questionnaire(questionnaire.to_dict())))
    return forms


def test_imported_corpus_forms_evaluate_on_the_tablet_as_on_the_server(
    field_env: FieldEnv, server: Server, browser: Any
) -> None:
    """Every corpus XLSForm that imports: same errors and same answers (calculations included)."""
    context, page = device(browser, "tablet")
    page.goto(server.url + "/field/")
    wait_for(page, "() => window.FieldForm !== undefined")
    checked = 0
    for name, questionnaire, form in _corpus_forms():
        cases = [
            (raw, language)
            for raw in ({}, _raw(questionnaire, GOOD), _raw(questionnaire, BAD))
            for language in (questionnaire.default_language, "fr")
        ]
        # One round trip per form rather than per case: the same evaluations, fewer driver calls.
        results = page.evaluate(
            "([form, cases]) => cases.map(([raw, lang]) => FieldForm.evaluate(form, raw, lang, false))",
            [form, cases],
        )
        for (raw, language), tablet in zip(cases, results, strict=True):
            expected = validate(questionnaire, raw, language)
            where = f"{name} {language} {raw}"
            assert tablet["errors"] == {e.question: e.message for e in expected.errors}, where
            assert _as_stored(tablet["answers"]) == _as_stored(expected.answers), where
        checked += 1
    assert checked >= 25  # the corpus forms that import today
    context.close()
