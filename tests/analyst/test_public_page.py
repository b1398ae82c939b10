"""The public page in plain language: characteristics by short names, an easy-read version that
starts with the findings and then says what weighting changed, no English on the French and Dutch
pages, and intervals that are exact by construction explained once instead of "51.0 %–51.0 %"."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import chain

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.comments_text import COMMENTS_TEXT
from survey.analyst.easy_read import EASY_FINDINGS
from survey.analyst.public_text import EASY, EASY_MODES, METHODS, MODES, STANDARD, TEXT
from survey.analyst.report_text import REPORT_TEXT
from survey.analyst.summary import SUMMARY_TEXT
from survey.store.db import transaction
from survey.store.models import ResultSnapshot
from tests.analyst.conftest import SLUG, publish_default_snapshot


class _Text(HTMLParser):
    """The text a reader sees (SVG titles and labels included), by section id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self._open: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "section":
            self._open.append(dict(attrs).get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        if tag == "section" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.sections.setdefault(self._open[-1] if self._open else "", []).append(data)

    def text(self, section: str | None = None) -> str:
        parts = (
            self.sections.get(section, [])
            if section is not None
            else list(chain.from_iterable(self.sections.values()))
        )
        return " ".join(" ".join(parts).split())


def _seen(html: str) -> _Text:
    parsed = _Text()
    parsed.feed(html)
    return parsed


@pytest.fixture(scope="module")
def published(demo: sessionmaker[Session]) -> int:
    with transaction(demo) as session:
        snapshot = publish_default_snapshot(session)
        return snapshot.id


@pytest.fixture
def anonymous(client: TestClient) -> TestClient:
    return client


SHORT = {
    "fr": "sexe, âge, niveau d’études, commune et nationalité",
    "nl": "geslacht, leeftijd, opleidingsniveau, gemeente en nationaliteit",
    "en": "sex, age, education, municipality and nationality",
}
ASKED = {"fr": ("Vous êtes", "Votre âge"), "nl": ("U bent", "Uw leeftijd"), "en": ("You are", "Your age")}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_methodology_names_characteristics_by_short_labels(
    anonymous: TestClient, published: int, lang: str
) -> None:
    page = _seen(anonymous.get(f"/results/{SLUG}/{published}?lang={lang}").text)
    method = page.text("methodology")
    assert SHORT[lang] in method, method
    for asked in ASKED[lang]:
        assert asked not in method and asked not in page.text("easy-read")


FINDING = {
    "fr": ("36 personnes sur 100 répondent", "Sans notre correction, c’était 53 personnes sur 100.",
           "Sans correction, c’était plus de la moitié.", "Avec la correction, c’est moins de la moitié."),
    "nl": ("36 op de 100 mensen antwoorden", "Zonder onze correctie waren het er 53 op de 100.",
           "Zonder correctie was het meer dan de helft.", "Met de correctie is het minder dan de helft."),
    "en": ("36 in 100 people answer", "Without our correction, it was 53 in 100 people.",
           "Without the correction, it was more than half.", "With the correction, it is less than half."),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_easy_read_tells_the_finding_first_then_what_weighting_changed(
    anonymous: TestClient, published: int, lang: str
) -> None:
    html = anonymous.get(f"/results/{SLUG}/{published}?lang={lang}&easy=1").text
    page = _seen(html)
    easy = page.text("easy-read")
    positions = [easy.find(sentence) for sentence in FINDING[lang]]
    assert -1 not in positions and positions == sorted(positions), (positions, easy)
    assert easy.find(FINDING[lang][0]) < easy.find(
        EASY_FINDINGS[lang]["how"]
    )  # the finding before the method
    assert html.index('id="easy-read"') < html.index('id="methodology"') < html.index('class="question"')
    assert 'id="key-results"' not in html  # the technical summary table is the standard version's
    sentences = [s for p in re.findall(r"<p>(.*?)</p>", html.split('id="easy-read"')[1].split("</section>")[0])
                 for s in re.split(r"(?<=[.!?])\s+", re.sub(r"<[^>]+>", "", p))]  # fmt: skip
    assert len(sentences) >= 15 and max(len(s.split()) for s in sentences) <= 15, sentences
    for jargon in ("pondér", "weging", "weighting", "intervalle", "interval", "raking", "%"):
        assert jargon not in re.sub(r"100\s?%", "", easy.lower()), jargon
    standard = anonymous.get(f"/results/{SLUG}/{published}?lang={lang}").text
    assert "easy=1" in standard and html.count("easy=1") >= 3  # the switch, and the languages keep it


def _english_words() -> set[str]:
    """Words of the English texts of the page that no French or Dutch text of the page uses."""
    tables = [TEXT, EASY_FINDINGS, SUMMARY_TEXT, COMMENTS_TEXT, REPORT_TEXT]
    english, other = [], []
    for table in tables:
        english += list(table["en"].values())
        other += [v for lang in ("fr", "nl") for v in table[lang].values()]
    for lines in (STANDARD, EASY):
        english += lines["en"]
        other += lines["fr"] + lines["nl"]
    for words in (METHODS, MODES, EASY_MODES):
        english += [w["en"] for w in words.values()]
        other += [w[lang] for w in words.values() for lang in ("fr", "nl")]

    def split(texts: list[str]) -> set[str]:
        return {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", "", t))}

    return split(english) - split(other)


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("easy", ["", "&easy=1"])
def test_no_english_on_french_and_dutch_pages(
    anonymous: TestClient, demo: sessionmaker[Session], published: int, lang: str, easy: str
) -> None:
    english = _english_words()
    assert {"weighted", "answer", "estimate", "people", "mean", "confidence"} <= english
    with demo() as session:
        snapshot = session.get(ResultSnapshot, published)
        assert snapshot is not None
        # what the analyst typed (the demo's target set is labelled in English) is theirs to word
        typed = [snapshot.content["targets_label"], snapshot.content["targets_source"]]
    text = _seen(anonymous.get(f"/results/{SLUG}/{published}?lang={lang}{easy}").text).text()
    for own in typed:
        text = text.replace(own, "")
    found = sorted({w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() in english})
    assert not found, found


@pytest.mark.parametrize(("lang", "exact", "sex"), [("fr", "exact (voir la note)", "sexe"),
                                                    ("nl", "exact (zie de noot)", "geslacht"),
                                                    ("en", "exact (see the note)", "sex")])  # fmt: skip
def test_exact_intervals_are_explained_once(
    anonymous: TestClient, published: int, lang: str, exact: str, sex: str
) -> None:
    html = anonymous.get(f"/results/{SLUG}/{published}?lang={lang}").text
    assert html.count('id="exact-note"') == 1 and sex in _seen(html).text("methodology")
    same = re.findall(r"(\d+[.,]\d)\s?%–(\1)\s?%", re.sub(r"<[^>]+>", " ", html))
    assert not same, same
    assert html.count(exact) >= 2 + 3  # two sexes, three age groups at least
    assert re.search(r"\d+[.,]\d\s?%–\d+[.,]\d\s?%", html)  # the other questions keep their intervals
