"""The shared expression corpus, evaluated by the Python evaluator and by the browser's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from survey.questionnaire.errors import ExpressionError
from survey.questionnaire.expressions import parse, to_string

QUESTIONNAIRE_DIR = Path(__file__).resolve().parents[2] / "survey" / "questionnaire"
CORPUS = json.loads((QUESTIONNAIRE_DIR / "expression_corpus.json").read_text())["cases"]


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else "string"


@pytest.mark.parametrize("case", CORPUS, ids=[c["expression"] or "<empty>" for c in CORPUS])
def test_python_evaluator_matches_corpus(case: dict) -> None:
    if case.get("error"):
        with pytest.raises(ExpressionError):
            parse(case["expression"])
        return
    value = parse(case["expression"]).evaluate(case["values"], case.get("current"), case.get("columns"))
    assert (_kind(value), to_string(value)) == (case["type"], case["result"])


def test_corpus_covers_every_function_and_operator() -> None:
    text = " ".join(c["expression"] for c in CORPUS)
    for word in (
        "selected(",
        "count-selected(",
        "string-length(",
        "not(",
        "if(",
        "coalesce(",
        "number(",
        "string(",
        "int(",
        "concat(",
        "contains(",
        "starts-with(",
        "ends-with(",
        "round(",
        "once(",
        "regex(",
        "today(",
        "date(",
        "abs(",
        "floor(",
        "ceiling(",
        "sqrt(",
        "pow(",
        "max(",
        "min(",
        "substr(",
        "selected-at(",
        "normalize-space(",
        " div ",
        " mod ",
        " and ",
        " or ",
        "!=",
        "<=",
        ">=",
        "${",
    ):
        assert word in text, word
    assert sum(1 for c in CORPUS if c.get("error")) >= 15


def test_references_and_columns_are_reported() -> None:
    expression = parse("selected(${a}, 'x') and ${b} > . and cf = ${c}")
    assert expression.references == {"a", "b", "c"}
    assert expression.columns == {"cf"}
    assert expression.uses_current


@pytest.mark.browser
def test_browser_evaluator_matches_corpus(browser) -> None:
    """Same corpus in real Chromium: the JavaScript twin must give the same kind and text."""
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(QUESTIONNAIRE_DIR / "expressions.js"))
    results = page.evaluate(
        """(cases) => cases.map((c) => {
            try {
              const v = window.SurveyExpressions.evaluate(c.expression, c.values, c.current, c.columns);
              const kind = typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'string';
              return {error: false, kind, text: window.SurveyExpressions.toString(v)};
            } catch (e) { return {error: e.name === 'ExpressionError', kind: null, text: e.message}; }
        })""",
        CORPUS,
    )
    page.close()
    mismatches = []
    for case, got in zip(CORPUS, results, strict=True):
        if case.get("error"):
            if not got["error"]:
                mismatches.append((case["expression"], "expected an ExpressionError", got))
        elif got["error"] or (got["kind"], got["text"]) != (case["type"], case["result"]):
            mismatches.append((case["expression"], (case["type"], case["result"]), got))
    assert mismatches == []
    assert len(results) == len(CORPUS)
