"""Live calculations on the citizen pages: the browser's walk (static/live.js) against the server's.

The server decides what is stored (validation.validate) and fills ``${name}`` in labels
(pages.fill_in); the citizen script re-computes both as the respondent types. Every importable
form of the real-world corpus, answered in several ways, goes through both, and the kept answers
(calculations included) and every filled label must be identical. A form written here is then
answered end to end in Chromium, with the labels changing as the answers do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from survey.questionnaire.errors import FormError
from survey.questionnaire.expressions import to_string
from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.consultations import ConsultationService
from survey.web.pages import fill_in, live_plan
from tests.questionnaire.test_xlsform_bugs import workbook

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "xlsforms"
SCRIPTS = (
    ROOT / "survey" / "questionnaire" / "expressions.js",
    ROOT / "survey" / "web" / "static" / "live.js",
)
DROPPED = {"choice", "rank_incomplete", "unknown"}  # offered by the page itself, never typed


def _typed_answer(questionnaire: Questionnaire, name: str, seed: int) -> object:
    """A plausible answer that differs with the seed, as a browser would post it (text, or a list)."""
    q = questionnaire.question(name)
    names = [c.name for c in questionnaire.choices_for(q)]
    by_type: dict[QuestionType, object] = {
        QuestionType.INTEGER: ["3", "17", "0", "-2"][seed % 4],
        QuestionType.DECIMAL: ["2.5", "0,75", "12", "-1.25"][seed % 4],
        QuestionType.TEXT: ["Zoë", "", "two words", "42"][seed % 4],
        QuestionType.DATE: ["2001-03-15", "1960-12-31", "2024-02-29", ""][seed % 4],
        QuestionType.TIME: ["07:30", "23:59:59", "", "12:00"][seed % 4],
        QuestionType.DATETIME: ["2024-05-31T14:30", "", "1999-12-31T23:59", "2020-01-01T00:00"][seed % 4],
        QuestionType.GEOPOINT: ["50.85 4.35", "", "-33.9 18.4 12 5", "0 0"][seed % 4],
    }
    if q.type is QuestionType.SELECT_ONE:
        return names[seed % len(names)] if names else ""
    if q.type is QuestionType.SELECT_MULTIPLE:
        return sorted({names[0], names[-1]}) if names and seed % 2 else names[seed % len(names) :][:2]
    if q.type is QuestionType.RANK:
        return names if seed % 2 else list(reversed(names))
    return by_type.get(q.type, "")


def _case(questionnaire: Questionnaire, seed: int) -> dict[str, Any]:
    """Raw answers and what the server keeps of them; answers refused for a choice a page would
    not have offered (a choice filter) are taken out first, as no browser can send them."""
    raw = {
        q.name: _typed_answer(questionnaire, q.name, seed)
        for q in questionnaire.questions
        if q.type not in (QuestionType.NOTE, QuestionType.CALCULATE)
    }
    while True:
        result = validate(questionnaire, raw, "en", partial=True)
        refused = {e.question for e in result.errors if e.code in DROPPED}
        if not refused:
            break
        raw = {k: v for k, v in raw.items() if k not in refused}
    texts = {}
    for q in questionnaire.questions:
        label = q.label("en", default_language=questionnaire.default_language)
        hint = q.hint("en", questionnaire.default_language)
        choices = [
            (f"{q.name}/{c.name}", c.label("en", default_language=questionnaire.default_language))
            for c in questionnaire.choices_for(q)
        ]
        for key, text in [(q.name, label), (f"{q.name}/hint", hint), *choices]:
            if "${" in text:
                texts[key] = [text, fill_in(text, result.answers)]
    return {
        "plan": json.loads(live_plan(questionnaire)),
        "raw": raw,
        "answers": {k: to_string(v) for k, v in result.answers.items()},
        "texts": texts,
    }


def _corpus_forms() -> list[tuple[str, Questionnaire]]:
    forms = []
    for path in sorted(CORPUS.glob("*.xls*")):
        try:
            forms.append((path.name, load_xlsform(path, allow_location=True).questionnaire))
        except FormError:
            continue
    return forms


HOUSEHOLD = [
    ["type", "name", "label", "calculation", "relevant", "constraint", "hint", "required"],
    ["begin group", "household", "Your household", "", "", "", "", ""],
    ["integer", "adults", "How many adults live with you?", "", "", ". >= 1", "", ""],
    ["integer", "children", "And how many children?", "", "", ". >= 0", "", ""],
    ["calculate", "total", "", "${adults} + ${children}", "", "", "", ""],
    # named "summary": its error paragraph (error-summary) once took the id of the page's error summary
    ["note", "summary", "You live with ${total} people in all.", "", "", "", "", ""],
    [
        "text",
        "crowded",
        "What is it like, ${total} under one roof?",
        "",
        "${total} > 4",
        "",
        "Say it as ${adults} adults would.",
        "${children} > 3",
    ],
    ["select_one room", "room", "Is your home big enough?", "", "", "", "", ""],
    [
        "calculate",
        "share",
        "",
        "if(${total} > 0, round(${children} div ${total} * 100, 0), '')",
        "",
        "",
        "",
        "",
    ],
    ["end group", "", "", "", "", "", "", ""],
    ["begin group", "more", "One more thing", "", "", "", "", ""],
    ["text", "comment", "Children are ${share}% of your household. Anything to add?", "", "", "", "", ""],
    ["end group", "", "", "", "", "", "", ""],
]
ROOMS = [
    ["list_name", "name", "label"],
    ["room", "fits", "Yes, for ${total} people"],
    ["room", "tight", "No, not for ${total}"],
]


@pytest.fixture(scope="module")
def corpus_cases(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, dict[str, Any]]]:
    forms = _corpus_forms()
    forms.append(
        ("household", load_xlsform(workbook(tmp_path_factory.mktemp("live"), HOUSEHOLD, ROOMS)).questionnaire)
    )
    return [
        (f"{name}#{seed}", _case(questionnaire, seed)) for name, questionnaire in forms for seed in range(4)
    ]


def test_the_corpus_exercises_calculations_and_references(corpus_cases) -> None:
    """The comparison below means something only if the forms compute and refer to answers."""
    assert len({name.split("#")[0] for name, _ in corpus_cases}) >= 30
    calculated = [
        n for n, c in corpus_cases if any(q.get("calculation") for p in c["plan"] for q in p["questions"])
    ]
    assert len({n.split("#")[0] for n in calculated}) >= 5
    assert sum(len(c["texts"]) for _, c in corpus_cases) >= 20
    household = dict(corpus_cases)["household#1"]
    assert household["answers"]["total"] == "34" and household["answers"]["share"] == "50"
    assert household["texts"]["summary"][1] == "You live with 34 people in all."
    assert household["texts"]["room/tight"][1] == "No, not for 34"


@pytest.mark.browser
def test_browser_walk_matches_the_server_on_every_corpus_form(browser, corpus_cases) -> None:
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    for script in SCRIPTS:
        page.add_script_tag(path=str(script))
    got = page.evaluate(
        """(cases) => cases.map(([name, c]) => {
            const result = window.SurveyLive.walk(c.plan, c.raw), answers = {}, texts = {};
            for (const k in result.answers) answers[k] = window.SurveyExpressions.toString(result.answers[k]);
            for (const k in c.texts) texts[k] = window.SurveyLive.fillIn(c.texts[k][0], result.answers);
            return [name, answers, texts];
        })""",
        corpus_cases,
    )
    page.close()
    mismatches = []
    for (name, case), (_, answers, texts) in zip(corpus_cases, got, strict=True):
        if answers != case["answers"]:
            mismatches.append((name, case["answers"], answers))
        if texts != {k: filled for k, (_, filled) in case["texts"].items()}:
            mismatches.append((name, case["texts"], texts))
    assert mismatches == []


def _serve(sessions, live_server, tmp_path: Path) -> str:
    questionnaire = load_xlsform(workbook(tmp_path, HOUSEHOLD, ROOMS)).questionnaire
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create("live", questionnaire.title, actor="test")
        service.add_version(consultation, questionnaire, source_name="household.xlsx", actor="test")
    return f"{live_server.url}/c/live"


@pytest.mark.browser
def test_labels_and_relevance_follow_the_answers_as_they_are_typed(
    browser, sessions, live_server, tmp_path: Path
) -> None:
    url = _serve(sessions, live_server, tmp_path)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{url}?lang=en")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")
    summary, crowded = page.locator("#q-summary"), page.locator("#wrap-crowded")
    assert summary.text_content() == "You live with  people in all."
    page.fill("#q-adults", "2")
    page.fill("#q-children", "1")
    assert summary.text_content() == "You live with 3 people in all."
    assert crowded.is_hidden()
    page.fill("#q-children", "4")
    assert summary.text_content() == "You live with 6 people in all."
    assert crowded.is_visible()
    assert page.locator("label[for=q-crowded]").inner_text().startswith("What is it like, 6 under one roof?")
    assert page.locator("#hint-crowded").inner_text() == "Say it as 2 adults would."
    assert page.locator("label[for=q-room-0]").inner_text() == "Yes, for 6 people"
    page.fill("#q-adults", "0")  # refused by its constraint: the server would keep no adults
    assert summary.text_content() == "You live with  people in all."
    assert crowded.is_hidden()
    page.fill("#q-adults", "2")
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.click("button[value=next]")  # four children make the answer required: said before any request
    assert page.locator("#error-crowded").inner_text().endswith("This question is required.")
    assert page.locator("#errors").is_visible() and posted == []
    page.fill("#q-crowded", "Lively")
    page.check("#q-room-1")
    page.click("button[value=next]")
    page.wait_for_url("**/p/2")
    assert page.locator("label[for=q-comment]").inner_text().startswith("Children are 67% of your household.")
    page.click("button[value=next]")
    page.wait_for_url("**/thanks")
    context.close()
    assert errors == []
    with sessions() as session:
        response = session.scalars(select(Response).where(Response.status == "complete")).one()
        rows = session.scalars(select(Answer).where(Answer.response_id == response.id))
        stored = {r.question: r.value_text or to_string(r.value_number) for r in rows}
    assert stored == {
        "adults": "2",
        "children": "4",
        "total": "6",
        "crowded": "Lively",
        "room": "tight",
        "share": "67",
    }
