"""Workbench pages around the charts: no English on French and Dutch pages, the tables behind the
diagnostics and bias charts as CSV, download links on pages but not in the report, scales shown."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.chart_text import CHART_TEXT
from survey.analyst.formatting import pct
from survey.analyst.report import report_html
from survey.analyst.report_text import REPORT_TEXT
from survey.analyst.representativeness_text import MONITOR_TEXT
from survey.analyst.summary import SUMMARY_TEXT
from survey.analyst.workbench_text import WORKBENCH_TEXT
from tests.analyst.conftest import SLUG, csv_rows

BASE = f"/analyst/{SLUG}"
PAGES = ("weighting", "results", "breakdown?by=education", "breakdown?by=mode", "bias",
         "representativeness?budget=60&draws=10")  # fmt: skip
TABLES = (CHART_TEXT, REPORT_TEXT, WORKBENCH_TEXT, SUMMARY_TEXT, MONITOR_TEXT)


class _Texts(HTMLParser):
    """Every text a reader meets: text nodes (SVG ones included) and the labels read aloud."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style", "code")
        self.found += [v for k, v in attrs if k in ("aria-label", "title", "alt", "download") and v]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style", "code")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.found.append(data.strip())


def _texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


def _pattern(text: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text):
        parts.append(re.escape(literal) + (".+?" if name is not None else ""))
    return re.compile("".join(parts), re.S)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_no_english_sentence_of_the_text_tables_on_french_and_dutch_pages(
    analyst: TestClient, lang: str
) -> None:
    """Every English entry that the page's language words differently must not appear as a whole text."""
    english = [
        (key, _pattern(text))
        for table in TABLES
        for key, text in table["en"].items()
        if table[lang][key] != text and len(text) > 2
    ]
    assert len(english) > 100
    for path in PAGES:
        response = analyst.get(f"{BASE}/{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response.status_code == 200, path
        texts = _texts(response.text)
        leaks = {(key, text[:60]) for text in texts for key, pattern in english if pattern.fullmatch(text)}
        assert leaks == set(), (path, leaks)
        assert not [t for t in texts if "object at 0x" in t or "built-in method" in t], path
        assert "mean" not in texts, path  # the row of a numeric question, English until now


def test_the_same_check_finds_english_on_an_english_page(analyst: TestClient) -> None:
    english = [_pattern(text) for key, text in CHART_TEXT["en"].items() if CHART_TEXT["fr"][key] != text]
    texts = _texts(analyst.get(f"{BASE}/results?lang=en").text)
    assert sum(1 for t in texts for p in english if p.fullmatch(t)) > 10


def test_fit_and_sample_make_up_tables_download_as_csv(analyst: TestClient) -> None:
    weighting = analyst.get(f"{BASE}/weighting?method=rake&lang=fr")
    assert 'id="fit-csv"' in weighting.text and "format=csv" in weighting.text
    fit = csv_rows(analyst.get(f"{BASE}/weighting?method=rake&lang=fr&format=csv").text)
    assert fit and {
        "margin",
        "category_label",
        "n",
        "target_share",
        "unweighted_share",
        "weighted_share",
    } <= set(fit[0])
    for row in fit:  # the figures of the page's tables
        assert pct(float(row["target_share"]), "fr") in weighting.text
        assert float(row["weighted_share"]) == pytest.approx(
            float(row["target_share"]), abs=1e-6
        )  # raking fits
    bias = analyst.get(f"{BASE}/bias?method=rake&lang=nl")
    assert 'id="bias-csv"' in bias.text
    make_up = csv_rows(analyst.get(f"{BASE}/bias?method=rake&lang=nl&format=csv").text)
    assert make_up and {"population", "online", "field", "combined", "weighted"} <= set(make_up[0])
    for row in make_up:
        for column in ("population", "online", "field", "combined"):
            assert pct(float(row[column]), "nl") in bias.text
    margins = {r["margin"] for r in make_up}
    for margin in margins:
        total = sum(float(r["population"]) for r in make_up if r["margin"] == margin)
        assert total == pytest.approx(1.0, abs=1e-6)


def test_download_links_are_on_the_pages_not_in_the_report(
    analyst: TestClient, demo: sessionmaker[Session]
) -> None:
    page = analyst.get(f"{BASE}/results?lang=fr").text
    assert page.count('class="svg-download"') == page.count('class="chart-box"') >= 10
    assert '<script src="/static/analyst/charts.js" defer></script>' in page
    with demo() as session:
        report = report_html(session, SLUG, lang="fr")
    assert "svg-download" not in report and "charts.js" not in report and "fit-csv" not in report
    assert report.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 10
    assert "échelle de 0 à 10" in report  # the report shows the numeric questions' scale too
    assert "moyenne" in report and ">mean<" not in report
