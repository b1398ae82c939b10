"""Report wording in three languages, local number formats, and chart labels that stay on the chart."""

from __future__ import annotations

import copy
import pickle
import string
from collections.abc import Iterator
from typing import Any

import pytest

from survey.analyst import charts
from survey.analyst.comments_text import COMMENTS_TEXT
from survey.analyst.easy_read import EASY_FINDINGS
from survey.analyst.formatting import num, number, pct
from survey.analyst.public_text import TEXT
from survey.analyst.report_text import REPORT_TEXT, report_language
from survey.analyst.snapshot_text import SNAPSHOT_TEXT
from survey.analyst.workbench_text import WORKBENCH_TEXT, target_problem
from survey.http.i18n import SUPPORTED
from survey.store.errors import TargetProblem


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    "texts",
    [REPORT_TEXT, WORKBENCH_TEXT, TEXT, COMMENTS_TEXT, EASY_FINDINGS, SNAPSHOT_TEXT],
    ids=["report", "workbench", "public", "comments", "easy_read", "snapshot"],
)
def test_every_language_has_every_sentence_with_the_same_placeholders(
    texts: dict[str, dict[str, str]],
) -> None:
    assert set(texts) == set(SUPPORTED)
    english = texts["en"]
    for lang, table in texts.items():
        assert set(table) == set(english), lang
        for key, text in table.items():
            assert text.strip(), (lang, key)
            assert _placeholders(text) == _placeholders(english[key]), (lang, key)


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (0.4523, "en", 1, "45.2%"),
        (0.4523, "fr", 1, "45,2\u202f%"),
        (0.4523, "nl", 1, "45,2%"),
        (0.5, "fr", 0, "50\u202f%"),
        (12.3456, "en", 3, "1,234.560%"),
        (12.3456, "nl", 3, "1.234,560%"),
    ],
)
def test_percentages_are_written_the_local_way(value: float, lang: str, digits: int, expected: str) -> None:
    assert pct(value, lang, digits) == expected


def test_numbers_are_written_the_local_way() -> None:
    assert num(1234.5, "en", 1) == "1,234.5"
    assert num(1234.5, "fr", 1) == "1\u202f234,5"
    assert num(1234.5, "nl", 1) == "1.234,5"
    assert number(1151.4, "fr") == "1\u202f151" and number(1151.6, "nl") == "1.152"
    for missing in (None, float("nan"), float("inf")):
        assert num(missing, "fr") == "–" and pct(missing, "nl") == "–"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_BE.UTF-8"}, "fr"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "C.UTF-8", "LANG": "fr_BE.UTF-8"}, "en"),  # LC_ALL set decides, as in POSIX
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "fr_BE.UTF-8"}, "nl"),
        ({}, "en"),
    ],
)
def test_report_language_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    assert report_language() == expected
    assert report_language("fr") == "fr"


LONG = "Agree that the nineteen municipalities should merge into one city with district councils"
LABELS = ["Yes", "No", LONG, "Molenbeek-Saint-Jean / Sint-Jans-Molenbeek"]


def _charts() -> Iterator[Any]:
    yield charts.grouped_bars(
        "Fit", LABELS, {"target": [0.2, 0.3, 0.4, 0.1], "unweighted sample": [0.1, 0.5, 0.3, 0.1]}
    )
    yield charts.grouped_bars(  # a legend too long for one row wraps instead of running off
        "Breakdown",
        ["Yes", "No"],
        {name: [0.5, 0.5] for name in ("Hoogstens lager secundair", "Hoger secundair", "Hoger onderwijs",
                                        "Nog een heel lange naam voor een reeks")},
    )  # fmt: skip
    yield charts.estimate_bars(
        "Estimates", LABELS, [(0.2, 0.1, 0.3), (0.5, 0.4, 0.6), (0.9, 0.85, 0.99), (0.1, 0.0, 0.2)]
    )


def test_long_labels_are_cut_with_the_whole_label_kept_in_the_tooltip() -> None:
    for svg in (c for c in _charts() if "Breakdown" not in c):
        assert f">{LONG}<" not in svg  # not drawn whole: it would run off the chart
        assert f"<title>{LONG}" in svg  # but the bar's tooltip names it
        assert "…</text>" in svg and ">Yes</text>" in svg


def test_chart_labels_stay_inside_the_chart_in_chromium(browser: Any) -> None:
    """Measured by the browser's own text layout, not by our width estimate."""
    page = browser.new_page()
    try:
        for svg in _charts():
            page.set_content(f"<!doctype html><html><body style='margin:0'>{svg}</body></html>")
            boxes = page.evaluate(
                """() => {
                  const svg = document.querySelector('svg');
                  const width = svg.viewBox.baseVal.width;
                  return [...svg.querySelectorAll('text')].map(t => {
                    const b = t.getBBox();
                    return {text: t.textContent, left: b.x, right: b.x + b.width, width};
                  });
                }"""
            )
            assert len(boxes) >= 2
            for box in boxes:
                assert box["left"] >= 0 and box["right"] <= box["width"], box
    finally:
        page.close()


@pytest.mark.parametrize("code", sorted(TargetProblem.ENGLISH))
def test_target_problems_read_the_same_in_english_and_translate(code: str) -> None:
    values: dict[str, object] = {
        "category": "X",
        "variable": "sex",
        "share": 1.5,
        "total": 0.9,
        "population": "-5",
    }
    shown = {
        "category": "X",
        "variable": "sex",
        "share": "1,5",
        "total": "0,9",
        "population": "-5",
    }  # fr and nl
    fields = _placeholders(TargetProblem.ENGLISH[code]) - {"where"}
    problem = TargetProblem(code, line=7, **{k: v for k, v in values.items() if k in fields})
    assert target_problem(problem, "en") == str(problem)
    for lang in ("fr", "nl"):
        translated = target_problem(problem, lang)
        assert translated != str(problem) and all(shown[k] in translated for k in fields), translated
        if "{where}" in TargetProblem.ENGLISH[code]:
            assert {"fr": "ligne 7", "nl": "regel 7"}[lang] in translated
    assert target_problem("a message from elsewhere", "fr") == "a message from elsewhere"
    for twin in (copy.copy(problem), copy.deepcopy(problem), pickle.loads(pickle.dumps(problem))):
        assert twin == problem and twin.code == code and twin.values == problem.values
