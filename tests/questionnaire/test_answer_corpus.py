"""One rule for answers, three places that apply it: the server, the tablet, the citizen page.

``answer_corpus.json`` lists answers nobody should have to argue about (``٣٠``, ``1_000``, ``1e3``,
a decimal comma, a no-break space) with the cleaned value or the error code. The server's
``validate``, the tablet's ``FieldForm.evaluate`` (in Chromium, on the version document the tablet
downloads, messages included) and the citizen page's early check (in Chromium, on a served page)
must each give exactly that.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from survey.questionnaire.messages import message, tablet_questionnaire
from survey.questionnaire.model import Choice, Page, Question, Questionnaire, QuestionType
from survey.questionnaire.validation import validate
from survey.store.db import transaction
from survey.store.services.consultations import ConsultationService

ROOT = Path(__file__).resolve().parents[2]
CORPUS: list[dict[str, Any]] = json.loads((ROOT / "survey/questionnaire/answer_corpus.json").read_text())[
    "cases"
]
NO_ANSWER = "(no answer)"
L = {"fr": "Q", "nl": "Q", "en": "Q"}
CHOICES = {"abyn": tuple(Choice(name, {"en": name}) for name in ("a", "b", "yes", "no"))}


def _form(kind: str) -> Questionnaire:
    question = Question("q", QuestionType(kind), L, choice_list="abyn" if kind.startswith("select") else None)
    return Questionnaire(
        form_id=f"corpus_{kind}", title=L, version="1", default_language="en", languages=("fr", "nl", "en"),
        pages=(Page("only", L, questions=(question,)),), choices=CHOICES,
    )  # fmt: skip


def _outcome(case: dict[str, Any], answers: dict[str, Any], errors: dict[str, str]) -> tuple[str, Any]:
    if "q" in errors:
        return ("error", errors["q"])
    return ("value", answers.get("q", NO_ANSWER))


def _expected(case: dict[str, Any]) -> tuple[str, Any]:
    return ("error", case["error"]) if "error" in case else ("value", case["value"])


def test_the_corpus_covers_the_disputed_answers() -> None:
    answers = {str(c["answer"]) for c in CORPUS}
    assert {"\u0663\u0660", "1_000", "1e3", "1,82", "3.0"} <= answers
    assert {c["type"] for c in CORPUS} >= {"integer", "decimal", "select_multiple", "date", "geopoint"}


def test_the_server_applies_the_corpus() -> None:
    wrong = []
    for case in CORPUS:
        result = validate(_form(case["type"]), {"q": case["answer"]}, "en")
        got = _outcome(case, result.answers, {e.question: e.code for e in result.errors})
        if got != _expected(case):
            wrong.append((case, got))
    assert wrong == []


@pytest.mark.browser
def test_the_tablet_applies_the_corpus(browser) -> None:
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(ROOT / "survey/questionnaire/expressions.js"))
    page.add_script_tag(path=str(ROOT / "field_app/static/form.js"))
    forms = {kind: tablet_questionnaire(_form(kind).to_dict()) for kind in {c["type"] for c in CORPUS}}
    results = page.evaluate(
        """([cases, forms]) => cases.map((c) => {
            const r = window.FieldForm.evaluate(forms[c.type], {q: c.answer}, "nl", false);
            return {answers: r.answers, message: r.errors.q || null};
        })""",
        [CORPUS, forms],
    )
    page.close()
    messages = {code: message(code, "nl") for code in {c["error"] for c in CORPUS if "error" in c}}
    by_message = {text: code for code, text in messages.items()}
    wrong = []
    for case, got in zip(CORPUS, results, strict=True):
        errors = {"q": by_message.get(got["message"], got["message"])} if got["message"] else {}
        outcome = _outcome(case, got["answers"], errors)
        if outcome != _expected(case):
            wrong.append((case, outcome))
    assert wrong == []
    assert len(results) == len(CORPUS)


NUMBERS = Questionnaire(
    form_id="numbers", title=L, version="1", default_language="en", languages=("fr", "nl", "en"),
    pages=(
        Page("only", L, questions=(
            Question("n_integer", QuestionType.INTEGER, L),
            Question("n_decimal", QuestionType.DECIMAL, L),
            Question("n_text", QuestionType.TEXT, L),
        )),
    ),
    choices={},
)  # fmt: skip

CHECK = """([name, value]) => {
    const form = document.getElementById("survey-form");
    form.querySelectorAll("input[name^=n_]").forEach((i) => { i.value = ""; });
    form.querySelector(`[name=${name}]`).value = value;
    let stopped = null;
    const keep = (event) => { stopped = event.defaultPrevented; event.preventDefault(); };
    form.addEventListener("submit", keep);
    form.querySelector("button[value=next]").click();
    form.removeEventListener("submit", keep);
    const shown = document.getElementById("error-" + name);
    return {stopped, message: shown && !shown.hidden ? shown.textContent : ""};
}"""


@pytest.mark.browser
def test_the_citizen_page_applies_the_corpus(browser, sessions, live_server) -> None:
    """The early check refuses what the server refuses and lets through what it keeps (typed answers only)."""
    with transaction(sessions) as session:
        service = ConsultationService(session)
        service.add_version(
            service.create("numbers", L, actor="test"), NUMBERS, source_name="n", actor="test"
        )
    page = browser.new_page()
    page.goto(f"{live_server.url}/c/numbers?lang=fr")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")
    typed = [
        c for c in CORPUS if c["type"] in ("integer", "decimal", "text") and isinstance(c["answer"], str)
    ]
    wrong = []
    for case in typed:
        got = page.evaluate(CHECK, [f"n_{case['type']}", case["answer"]])
        if "error" in case:
            right = got["stopped"] and message(case["error"], "fr") in got["message"]
        else:
            right = got["stopped"] is False and got["message"] == ""
        if not right:
            wrong.append((case, got))
    page.close()
    assert wrong == []
    assert len(typed) > 40
