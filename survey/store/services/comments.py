"""Open comments of a consultation: searched, filtered and paged for the workbench.

Why the text match is done here in Python and not in SQL: the search must ignore case and accents
("ecole" finds "École", "Brussel" finds "BRUSSEL") identically on SQLite and PostgreSQL, and
neither ``lower()`` on SQLite (ASCII only) nor PostgreSQL without the ``unaccent`` extension can do
that. SQL narrows the rows first (counted responses, the chosen question, mode, language and
answers); the folded comparison then runs over those texts only, a few milliseconds for tens of
thousands of comments, and the page is cut from the result so the browser never receives more
than one page.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.store.models import Answer, Response
from survey.store.services.counted import counted

__all__ = [
    "PER_PAGE",
    "Comment",
    "CommentFilter",
    "CommentPage",
    "comment_languages",
    "fold",
    "search_comments",
]

PER_PAGE = 20


@dataclass(frozen=True)
class CommentFilter:
    """What the analyst asked for; every part is optional and they combine with AND.

    ``answers`` are (single-choice question, choice) pairs the commenting respondent gave;
    ``page`` counts from 1 and is brought within the pages that exist.
    """

    text: str = ""
    questions: tuple[str, ...] = ()
    mode: str = ""
    language: str = ""
    answers: tuple[tuple[str, str], ...] = ()
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class Comment:
    """One comment with what it is shown beside; ``parts`` split the text into (piece, is_match)."""

    question: str
    mode: str
    language: str
    submitted_at: dt.datetime | None
    text: str
    parts: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class CommentPage:
    """One page of matching comments, how many match and how many there are without the filter."""

    items: tuple[Comment, ...]
    matched: int
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        """1-based number of the first comment on this page (0 when nothing matched)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``École`` → ``ecole``: case and accents removed, as both the search and the texts are compared."""
    return "".join(_fold_char(c) for c in text)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, per folded character, the index of the original character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        origin += [index] * len(piece)
    return "".join(folded), origin


def _terms(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in fold(text).split() if t))


def _match(text: str, terms: Sequence[str]) -> tuple[tuple[str, bool], ...] | None:
    """The text cut into pieces with the matches marked, or None when a term is missing."""
    if not terms:
        return ((text, False),)
    folded, origin = _folded_with_positions(text)
    hits = [False] * len(text)
    for term in terms:
        start = folded.find(term)
        if start < 0:
            return None
        while start >= 0:
            for position in origin[start : start + len(term)]:
                hits[position] = True
            start = folded.find(term, start + len(term))
    parts: list[tuple[str, bool]] = []
    for char, hit in zip(text, hits, strict=True):
        if parts and parts[-1][1] == hit:
            parts[-1] = (parts[-1][0] + char, hit)
        else:
            parts.append((char, hit))
    return tuple(parts)


def search_comments(
    session: Session, consultation_id: int, text_questions: Sequence[str], wanted: CommentFilter
) -> CommentPage:
    """The requested page of non-blank answers to ``text_questions`` of counted responses, newest first.

    ``total`` counts the comments to the asked questions before any other filter, so the page can
    say "37 of 214 comments".
    """
    questions = [q for q in text_questions if not wanted.questions or q in wanted.questions]
    query = (
        select(Response.id, Answer.question, Response.mode, Response.language, Response.submitted_at,
               Answer.value_text)
        .join(Response, Response.id == Answer.response_id)
        .where(counted(consultation_id), Answer.question.in_(questions), Answer.value_text.is_not(None))
        .order_by(Response.submitted_at.desc(), Response.id.desc(), Answer.question)
    )  # fmt: skip
    rows = [row for row in session.execute(query) if str(row.value_text).strip()]
    total = len(rows)
    chosen = _respondents(session, consultation_id, wanted.answers) if wanted.answers else None
    terms = _terms(wanted.text)
    found: list[Comment] = []
    for row in rows:
        if (wanted.mode and row.mode != wanted.mode) or (wanted.language and row.language != wanted.language):
            continue
        if chosen is not None and row.id not in chosen:
            continue
        parts = _match(str(row.value_text), terms)
        if parts is not None:
            found.append(
                Comment(row.question, row.mode, row.language, row.submitted_at, str(row.value_text), parts)
            )
    pages = max(1, math.ceil(len(found) / wanted.per_page))
    page = min(max(1, wanted.page), pages)
    start = (page - 1) * wanted.per_page
    items = tuple(found[start : start + wanted.per_page])
    return CommentPage(items, len(found), total, page, pages, wanted.per_page)


def _respondents(session: Session, consultation_id: int, answers: Sequence[tuple[str, str]]) -> set[int]:
    """Ids of the counted responses that gave every (question, choice) answer asked for."""
    query = select(Response.id).where(counted(consultation_id))
    for question, choice in answers:
        gave = select(Answer.response_id).where(Answer.question == question, Answer.value_text == choice)
        query = query.where(Response.id.in_(gave))
    return set(session.scalars(query))


def comment_languages(session: Session, consultation_id: int, text_questions: Sequence[str]) -> list[str]:
    """The languages comments were written in (the respondent's questionnaire language), sorted."""
    query = (
        select(Response.language)
        .join(Answer, Answer.response_id == Response.id)
        .where(counted(consultation_id), Answer.question.in_(list(text_questions)))
        .distinct()
    )
    return sorted(str(lang) for lang in session.scalars(query))


class CommentService:
    """The comments page's reads on the request's session, so its controller never holds one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def search(
        self, consultation_id: int, text_questions: Sequence[str], wanted: CommentFilter
    ) -> CommentPage:
        return search_comments(self.session, consultation_id, text_questions, wanted)

    def languages(self, consultation_id: int, text_questions: Sequence[str]) -> list[str]:
        return comment_languages(self.session, consultation_id, text_questions)
