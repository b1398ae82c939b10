"""Report wording in three languages, local number formats, and chart labels that stay on the chart."""

from __future__ import annotations

import base64
import copy
import pickle
import re
import string
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest

from survey.analyst import charts
from survey.analyst.chart_text import CHART_TEXT
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
    [REPORT_TEXT, WORKBENCH_TEXT, TEXT, CHART_TEXT, COMMENTS_TEXT, EASY_FINDINGS, SNAPSHOT_TEXT],
    ids=["report", "workbench", "public", "charts", "comments", "easy_read", "snapshot"],
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
VERY_LONG = f"{LONG}, or that they should keep their own councils and share their police zones and social aid"
LABELS = ["Yes", "No", LONG, "Molenbeek-Saint-Jean / Sint-Jans-Molenbeek", VERY_LONG]


def _charts() -> Iterator[Any]:
    yield charts.grouped_bars(
        "Fit", LABELS, {"target": [0.2, 0.3, 0.4, 0.1, 0.0], "unweighted sample": [0.1, 0.5, 0.3, 0.1, 0.0]}
    )
    yield charts.grouped_bars(  # a legend too long for one row wraps instead of running off
        "Breakdown",
        ["Yes", "No"],
        {name: [0.5, 0.5] for name in ("Hoogstens lager secundair", "Hoger secundair", "Hoger onderwijs",
                                        "Nog een heel lange naam voor een reeks")},
        direct=True,
    )  # fmt: skip
    yield charts.estimate_bars(
        "Estimates",
        LABELS,
        [(0.2, 0.1, 0.3), (0.5, 0.4, 0.6), (0.9, 0.85, 0.99), (0.1, 0.0, 0.2), (0.3, 0.2, 0.4)],
        unweighted=[0.25, 0.45, 0.95, 0.05, 0.3],
    )
    yield charts.estimate_bars("Trust (mean)", ["mean"], [(6.2, 5.9, 6.5)], percent=False, scale=(0, 10))
    yield charts.histogram("Weights", [0.2, 0.5, 0.9, 1.0, 1.1, 3.7, 12.5])


def test_long_labels_wrap_onto_two_lines_and_only_longer_ones_are_cut() -> None:
    for svg in (c for c in _charts() if "Breakdown" not in c and "Trust" not in c and "Weights" not in c):
        assert f">{LONG}<" not in svg  # not on one line: it would run off the chart
        lines = charts.wrap(LONG, charts.WIDTH - 2 * charts.PAD)
        assert len(lines) == 2 and " ".join(lines) == LONG  # but whole, on two lines
        assert all(f">{line}</text>" in svg for line in lines)
        assert f"<title>{VERY_LONG}" in svg  # the bar's tooltip names the longest whole
        assert "…</text>" in svg and ">Yes</text>" in svg


def test_a_mean_is_drawn_on_its_scale_with_ticks_and_a_unit() -> None:
    chart = charts.estimate_bars("Trust", ["mean"], [(6.2, 5.9, 6.5)], percent=False, scale=(0, 10),
                                 unit="Weighted mean on the question's scale, 0 to 10")  # fmt: skip
    for tick in ("0", "2", "4", "6", "8", "10"):
        assert f">{tick}</text>" in chart
    assert ">Weighted mean on the question&#x27;s scale, 0 to 10</text>" in chart
    bar = re.search(r'<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)" height="18"', str(chart.svg))
    zero = re.search(
        r'<line x1="([0-9.]+)" y1="[0-9.]+" x2="[0-9.]+" y2="[0-9.]+" stroke="#d0d0d0"/>', str(chart.svg)
    )
    ten = re.findall(
        r'<line x1="([0-9.]+)" y1="[0-9.]+" x2="[0-9.]+" y2="[0-9.]+" stroke="#d0d0d0"/>', str(chart.svg)
    )
    assert bar and zero and ten
    width_of_scale = float(ten[-1]) - float(zero.group(1))
    assert float(bar.group(2)) / width_of_scale == pytest.approx(0.62, abs=0.01)  # 6.2 of 10, not full width


def test_every_estimate_chart_draws_its_intervals_and_says_what_they_are() -> None:
    chart = charts.estimate_bars("Q", ["a", "b"], [(0.5, 0.4, 0.6), (0.2, 0.15, 0.25)], lang="fr")
    assert chart.svg.count('stroke="#000000" stroke-width="1.5"') == 2  # one whisker per estimate
    assert "Pondéré, avec IC à 95" in chart and "intervalles de confiance" in chart
    assert ">Pourcentage</text>" in chart and ">20\u202f%</text>" in chart


def test_a_downloaded_chart_is_a_whole_svg_file_with_its_title() -> None:
    chart = charts.estimate_bars("Support for merging", ["Yes", "No"], [(0.36, 0.3, 0.42), (0.64, 0.58, 0.7)])
    root = ElementTree.fromstring(chart.standalone.split("\n", 1)[1])
    assert root.tag == "{http://www.w3.org/2000/svg}title" or root.tag.endswith("svg")
    drawn = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Support for merging" in drawn  # the file says what it shows
    assert chart.filename == "support-for-merging"
    assert base64.b64decode(chart.svg_url.split(",", 1)[1]).decode() == chart.standalone
    assert "Support for merging" not in re.findall(r">([^<]+)</text>", str(chart.svg))


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
