"""The open-comments page: accent- and case-insensitive search, filters by mode, language and any
single-choice answer, counts, server-side pages, FR/NL/EN, and comment text escaped everywhere.

The module adds its own comments (ordinary counted responses) to its copy of the demo, on SQLite and
PostgreSQL, so every count below is known exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Answer, Consultation, Response
from survey.store.services.comments import CommentFilter, CommentPage, fold, search_comments
from survey.store.services.consultations import ConsultationService
from tests.analyst.conftest import SLUG, login

# OWASP XSS filter evasion cheat sheet: markup, attribute breaking, URL schemes, encoded forms
XSS = (
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    "';alert(String.fromCharCode(88,83,83))//",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<body onload=alert('XSS')>",
    "</textarea><script>alert(1)</script>",
    '<div style="background-image: url(javascript:alert(1))">',
)
MARKER = "zqxmarker"  # a word no demo comment holds, so counts below are exact
OURS = (  # (text, mode, language, merge_municipalities answer)
    (f"{MARKER} L’ÉCOLE de la commune doit rester ouverte", "online", "fr", "strongly_agree"),
    (f"{MARKER} une ecole par quartier", "field", "fr", "disagree"),
    (f"{MARKER} De school in Elsene blijft open", "online", "nl", "strongly_agree"),
    (f"{MARKER} Straße und École, beide", "paper", "en", "agree"),
    *((f"{MARKER} {payload}", "online", "en", "neutral") for payload in XSS),
    *((f"{MARKER} extra remark number {i}", "field", "nl", "agree") for i in range(30)),
)


def _add(
    session: Session, consultation: Consultation, text: str, mode: str, language: str, merge: str
) -> None:
    version = ConsultationService(session).current_version(consultation)
    key = str(uuid.uuid4())
    response = Response(
        uuid=key, consultation_id=consultation.id, questionnaire_version_id=version.id, mode=mode,
        language=language, status="complete", content_hash=hashlib.sha256(key.encode()).hexdigest(),
        submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    session.add(response)
    session.flush()
    session.add_all(
        [
            Answer(response_id=response.id, question="comment", position=0, value_text=text),
            Answer(response_id=response.id, question="merge_municipalities", position=0, value_text=merge),
        ]
    )


@pytest.fixture(scope="module")
def consultation_id(demo: sessionmaker[Session]) -> Iterator[int]:
    with transaction(demo) as session:
        consultation = ConsultationService(session).get(SLUG)
        for text, mode, language, merge in OURS:
            _add(session, consultation, text, mode, language, merge)
        found = consultation.id
    yield found


def _search(demo: sessionmaker[Session], consultation_id: int, **wanted: Any) -> CommentPage:
    with demo() as session:
        return search_comments(session, consultation_id, ["comment", "merge_why_not_other"],
                               CommentFilter(**wanted))  # fmt: skip


def test_fold_removes_case_and_accents() -> None:
    assert fold("L’ÉCOLE Straße Ĳssel") == "l’ecole strasse ijssel"


def test_search_ignores_case_and_accents_and_needs_every_word(
    demo: sessionmaker[Session], consultation_id: int
) -> None:
    found = _search(demo, consultation_id, text=f"{MARKER} ecole")
    texts = sorted(c.text for c in found.items)
    assert texts == sorted([OURS[0][0], OURS[1][0], OURS[3][0]])
    assert _search(demo, consultation_id, text="ÉCOLE strasse").matched == 1
    assert _search(demo, consultation_id, text=f"{MARKER} ecole absentword").matched == 0
    first = next(c for c in found.items if c.text == OURS[0][0])
    assert ("ÉCOLE", True) in first.parts and "".join(p for p, _ in first.parts) == first.text


def test_filters_by_mode_language_and_answer_with_total_counts(
    demo: sessionmaker[Session], consultation_id: int
) -> None:
    with demo() as session:
        stored = session.scalar(
            select(func.count()).select_from(Answer).join(Response).where(
                Response.consultation_id == consultation_id, Response.is_test.is_(False),
                Answer.question.in_(["comment", "merge_why_not_other"]), func.trim(Answer.value_text) != "")
        )  # fmt: skip
    everything = _search(demo, consultation_id)
    assert everything.total == everything.matched == stored
    assert everything.total > len(OURS)  # the demo's own comments count too
    online = _search(demo, consultation_id, text=MARKER, mode="online")
    assert online.matched == 2 + len(XSS) and online.total == everything.total
    assert _search(demo, consultation_id, text=MARKER, mode="paper").matched == 1
    assert _search(demo, consultation_id, text=MARKER, language="nl").matched == 31
    strongly = _search(
        demo, consultation_id, text=MARKER, answers=(("merge_municipalities", "strongly_agree"),)
    )
    assert sorted(c.text for c in strongly.items) == sorted([OURS[0][0], OURS[2][0]])
    both = _search(demo, consultation_id, text=MARKER, language="fr",
                   answers=(("merge_municipalities", "strongly_agree"),))  # fmt: skip
    assert [c.text for c in both.items] == [OURS[0][0]]


def test_pages_are_cut_on_the_server(demo: sessionmaker[Session], consultation_id: int) -> None:
    first = _search(demo, consultation_id, text=MARKER, per_page=20)
    assert (first.matched, first.pages, len(first.items), first.first, first.last) == (
        len(OURS),
        3,
        20,
        1,
        20,
    )
    last = _search(demo, consultation_id, text=MARKER, per_page=20, page=99)  # beyond the end: the last page
    assert (last.page, len(last.items), last.first) == (3, len(OURS) - 40, 41)
    seen = [c.text for p in (1, 2, 3) for c in _search(demo, consultation_id, text=MARKER, page=p).items]
    assert sorted(seen) == sorted(t for t, *_ in OURS)  # every comment once, none twice


@pytest.fixture
def analyst(client: TestClient, consultation_id: int) -> TestClient:
    assert login(client) == 303
    return client


@pytest.mark.parametrize(
    ("lang", "count", "none"),
    [
        ("fr", "3 commentaires sur", "Aucun commentaire ne correspond"),
        ("nl", "3 van", "Geen enkele opmerking past"),
        ("en", "3 of", "No comment matches"),
    ],
)
def test_page_counts_and_words_in_each_language(
    analyst: TestClient, lang: str, count: str, none: str
) -> None:
    page = analyst.get(f"/analyst/{SLUG}/comments", params={"q": f"{MARKER} ECOLE", "lang": lang})
    assert page.status_code == 200
    assert count in re.sub(r"<[^>]+>", "", page.text.split('id="comment-count"')[1].split("</p>")[0])
    assert "<mark>ÉCOLE</mark>" in page.text and "<mark>ecole</mark>" in page.text
    clear = {"fr": "Effacer les filtres", "nl": "Filters wissen", "en": "Clear the filters"}[lang]
    assert f'<a href="/analyst/{SLUG}/comments">{clear}</a>' in page.text
    empty = analyst.get(f"/analyst/{SLUG}/comments", params={"q": "nothing-like-this", "lang": lang})
    assert none in empty.text and 'id="comment-list"' not in empty.text


def test_paging_links_keep_the_filters(analyst: TestClient) -> None:
    page = analyst.get(f"/analyst/{SLUG}/comments", params={"q": MARKER, "language": "nl", "lang": "en"})
    assert "31 of" in page.text and "1–20 shown" in page.text
    links = re.findall(r'href="(\?[^"]+)" rel="next"', page.text)
    assert links, page.text
    second = analyst.get(f"/analyst/{SLUG}/comments" + html.unescape(links[0]))
    assert "21–31 shown" in second.text and 'aria-current="page" aria-label="Page 2"' in second.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_unknown_filters_are_refused(analyst: TestClient) -> None:
    for params in ({"mode": "telepathy"}, {"answer": "merge_municipalities:maybe"}, {"question": "sex"}):
        assert analyst.get(f"/analyst/{SLUG}/comments", params=params).status_code == 400, params


class _Markup(HTMLParser):
    """What a browser would build: every tag and attribute, and the text of each comment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.comments: list[str] = []
        self.inside_comments: list[str] = []
        self.script_sources: list[str] = []
        self._in_comment = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if self._in_comment:
            self.inside_comments.append(tag)
        if tag == "script":
            self.script_sources.append(dict(attrs).get("src") or "")
        self.attributes += [(name, value or "") for name, value in attrs]
        if tag == "p" and ("class", "comment-text") in attrs:
            self._in_comment = True
            self.comments.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_comment = False

    def handle_data(self, data: str) -> None:
        if self._in_comment:
            self.comments[-1] += data


def test_owasp_payloads_are_escaped_in_list_and_highlight(analyst: TestClient) -> None:
    """Plain and highlighted (the search cuts the text into marked pieces) the payloads stay text."""
    for query in (MARKER, "alert", "script", "onerror", "javascript"):
        parsed = _Markup()
        parsed.feed(analyst.get(f"/analyst/{SLUG}/comments", params={"q": query, "mode": "online"}).text)
        assert set(parsed.inside_comments) <= {"mark"}, query  # a comment holds its text and highlights only
        assert not {"img", "svg", "iframe", "textarea"} & set(parsed.tags), query
        assert all(src.startswith("/static/") for src in parsed.script_sources), query  # the page's own files
        assert parsed.tags.count("body") == 1 and "style" not in {n for n, _ in parsed.attributes}, query
        assert not [n for n, _ in parsed.attributes if n.startswith("on")], query
        links = [v for n, v in parsed.attributes if n in ("href", "src", "action", "formaction")]
        assert not [v for v in links if v.strip().lower().startswith(("javascript", "jav"))], query
        if query == MARKER:
            assert {f"{MARKER} {payload}" for payload in XSS} <= set(parsed.comments)


def test_needs_a_staff_sign_in(client: TestClient, consultation_id: int) -> None:
    page = client.get(f"/analyst/{SLUG}/comments", follow_redirects=False)
    assert page.status_code in (302, 303, 401)
