"""The platform's own typed questionnaire model, independent of the XLSForm it came from.

A questionnaire is immutable once built; it serialises to a canonical JSON document whose
SHA-256 is the version's content hash, so two imports of the same form are recognised as one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from survey.questionnaire.expressions import Value, parse

Labels = dict[str, str]


class QuestionType(StrEnum):
    """Question types the collection pages and the analysis know how to handle."""

    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    NOTE = "note"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    CALCULATE = "calculate"
    GEOPOINT = "geopoint"
    RANK = "rank"
    IMAGE = "image"
    AUDIO = "audio"
    FILE = "file"

    @property
    def has_choices(self) -> bool:
        return self in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE, QuestionType.RANK)

    @property
    def is_numeric(self) -> bool:
        return self in (QuestionType.INTEGER, QuestionType.DECIMAL)

    @property
    def is_temporal(self) -> bool:
        """Dates and times: stored as ISO 8601 text (``2024-05-31``, ``14:30``, ``2024-05-31T14:30``)."""
        return self in (QuestionType.DATE, QuestionType.TIME, QuestionType.DATETIME)

    @property
    def is_personal(self) -> bool:
        """Answers that locate a person (a position): imported only when asked for, kept out of public results."""
        return self is QuestionType.GEOPOINT

    @property
    def is_attachment(self) -> bool:
        """A photo, a recording or a file: the answer is the file's name, the bytes are an attachment."""
        return self in (QuestionType.IMAGE, QuestionType.AUDIO, QuestionType.FILE)

    @property
    def is_shown(self) -> bool:
        """Whether a respondent sees it: a calculation is computed, never asked."""
        return self is not QuestionType.CALCULATE


@dataclass(frozen=True)
class Choice:
    """One option of a choice list; ``filters`` holds extra columns used by choice_filter."""

    name: str
    labels: Labels
    easy_labels: Labels = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)

    def label(self, language: str, *, easy: bool = False, default_language: str = "") -> str:
        """Label in a language, then the form's default language, then any label, the name last."""
        return _pick(self.easy_labels if easy else {}, self.labels, language, self.name, default_language)


@dataclass(frozen=True)
class Question:
    """One question; expressions are kept as source text and parsed on demand."""

    name: str
    type: QuestionType
    labels: Labels
    easy_labels: Labels = field(default_factory=dict)
    hints: Labels = field(default_factory=dict)
    required: bool = False
    required_messages: Labels = field(default_factory=dict)
    constraint: str | None = None
    constraint_messages: Labels = field(default_factory=dict)
    relevant: str | None = None
    choice_list: str | None = None
    choice_filter: str | None = None
    appearance: str | None = None
    page: str = ""
    calculation: str | None = None
    required_when: str | None = None
    default: str | None = None
    accept: str | None = None  # an attachment's allowed types as the form gives them (``.pdf,.docx``)
    max_pixels: int | None = None  # a photo's longest side as the form asks it (ODK ``max-pixels``)

    def is_required(self, answers: Mapping[str, Value]) -> bool:
        """``required``, or ``required_when`` holding for these answers (XLSForm's required as an expression)."""
        return self.required or bool(self.required_when and parse(self.required_when).is_true(answers))

    def label(self, language: str, *, easy: bool = False, default_language: str = "") -> str:
        """Label in a language, easy-read wording first when asked and available."""
        return _pick(self.easy_labels if easy else {}, self.labels, language, self.name, default_language)

    def hint(self, language: str, default_language: str = "") -> str:
        """Hint falling back like the label: a form whose hints carry no language still shows them."""
        return _pick({}, self.hints, language, "", default_language)


@dataclass(frozen=True)
class Page:
    """A group of questions shown together (an XLSForm group); top-level questions get their own page."""

    name: str
    labels: Labels
    relevant: str | None = None
    questions: tuple[Question, ...] = ()

    def label(self, language: str) -> str:
        return _pick({}, self.labels, language, "")


@dataclass(frozen=True)
class Questionnaire:
    """A whole form: pages of questions, choice lists, languages and settings."""

    form_id: str
    title: Labels
    version: str
    default_language: str
    languages: tuple[str, ...]
    pages: tuple[Page, ...]
    choices: dict[str, tuple[Choice, ...]]
    easy_languages: tuple[str, ...] = ()

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)

    @cached_property
    def question_names(self) -> frozenset[str]:
        return frozenset(q.name for q in self.questions)

    @cached_property
    def choice_names(self) -> dict[str, frozenset[str]]:
        """Allowed values per choice list: validation checks every answer against one of these."""
        return {name: frozenset(c.name for c in options) for name, options in self.choices.items()}

    def question(self, name: str) -> Question:
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(name)

    def choices_for(self, question: Question) -> tuple[Choice, ...]:
        return self.choices.get(question.choice_list or "", ())

    def to_dict(self) -> dict[str, Any]:
        """Canonical, JSON-ready form; the browser and field app read exactly this."""
        return {
            "form_id": self.form_id,
            "title": self.title,
            "version": self.version,
            "default_language": self.default_language,
            "languages": list(self.languages),
            "easy_languages": list(self.easy_languages),
            "pages": [
                {
                    "name": p.name,
                    "labels": p.labels,
                    "relevant": p.relevant,
                    "questions": [_question_dict(q) for q in p.questions],
                }
                for p in self.pages
            ],
            "choices": {
                name: [
                    {"name": c.name, "labels": c.labels, "easy_labels": c.easy_labels, "filters": c.filters}
                    for c in options
                ]
                for name, options in self.choices.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Questionnaire:
        """Inverse of :meth:`to_dict`, used to load a stored version."""
        pages = tuple(
            Page(
                name=p["name"],
                labels=p["labels"],
                relevant=p["relevant"],
                questions=tuple(_question_from(q) for q in p["questions"]),
            )
            for p in data["pages"]
        )
        choices = {
            name: tuple(
                Choice(name=c["name"], labels=c["labels"], easy_labels=c["easy_labels"], filters=c["filters"])
                for c in options
            )
            for name, options in data["choices"].items()
        }
        return cls(
            form_id=data["form_id"],
            title=data["title"],
            version=data["version"],
            default_language=data["default_language"],
            languages=tuple(data["languages"]),
            easy_languages=tuple(data.get("easy_languages", ())),
            pages=pages,
            choices=choices,
        )

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal forms share a hash whatever the file looked like."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()


def _pick(
    preferred: Labels, fallback: Labels, language: str, default: str, default_language: str = ""
) -> str:
    """The respondent's language, then the form's default language, then the first label present."""
    for wanted in (language, default_language):
        for labels in (preferred, fallback):
            if wanted and labels.get(wanted):
                return labels[wanted]
    for labels in (fallback, preferred):
        for text in labels.values():
            if text:
                return text
    return default


_QUESTION_FIELDS = (
    "name",
    "labels",
    "easy_labels",
    "hints",
    "required",
    "required_messages",
    "constraint",
    "constraint_messages",
    "relevant",
    "choice_list",
    "choice_filter",
    "appearance",
    "page",
)


_OPTIONAL_FIELDS = ("calculation", "required_when", "default", "accept", "max_pixels")


def _question_dict(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(q, name) for name in _QUESTION_FIELDS}
    out["type"] = q.type.value
    for optional in _OPTIONAL_FIELDS:  # absent when unset, so forms without them keep their content hash
        if getattr(q, optional) is not None:
            out[optional] = getattr(q, optional)
    return out


def _question_from(data: dict[str, Any]) -> Question:
    kwargs = {name: data[name] for name in _QUESTION_FIELDS}
    kwargs.update({name: data.get(name) for name in _OPTIONAL_FIELDS})
    return Question(type=QuestionType(data["type"]), **kwargs)
