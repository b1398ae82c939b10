"""Server-side validation of answers: the authority, whatever the browser or tablet checked.

Answers to questions that are not relevant are dropped, as ODK does, so a respondent who changes
an earlier answer never leaves stale answers behind in the store.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from survey.questionnaire.expressions import SPACE, Expression, Value, parse, to_string, words
from survey.questionnaire.messages import message
from survey.questionnaire.model import Question, Questionnaire, QuestionType

MAX_TEXT = 5000
Answer = str | float | int | list[str]


@dataclass(frozen=True)
class FieldError:
    """Why one answer was refused, in the respondent's language."""

    question: str
    code: str
    message: str


@dataclass(frozen=True)
class ValidationResult:
    """Cleaned answers (typed, irrelevant ones dropped) and every error found."""

    answers: dict[str, Answer]
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _empty(value: object) -> bool:
    """Nothing, only spaces, or an empty list: no answer (a required question says so), never a value."""
    if isinstance(value, str):
        return not value.strip(SPACE)
    return value is None or (isinstance(value, list | tuple) and len(value) == 0)


# What a number answer may look like, written once for the server, the tablet and the citizen page (the
# same patterns are in expressions.js ``answerNumber``; answer_corpus.json holds the three to them):
# ASCII digits, an optional sign, for a decimal one point or comma; no exponent, no digit separators, no
# Arabic-Indic or full-width digits (Python's float() takes "1e3", "1_000" and "٣", JavaScript's Number not).
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_DECIMAL_TEXT = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")


def _number(value: object, kind: str) -> float:
    if isinstance(value, bool):
        raise ValueError(kind)
    if isinstance(value, str):
        text = value.strip(SPACE)
        rule = _INTEGER_TEXT if kind == "integer" else _DECIMAL_TEXT
        if not rule.fullmatch(text):
            raise ValueError(kind)
        value = text.replace(",", ".")
    if not isinstance(value, str | int | float):
        raise ValueError(kind)
    try:
        number = float(value)
    except OverflowError:  # an integer of 400 digits
        raise ValueError(kind) from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(kind)
    return number


_TEMPORAL = {
    QuestionType.DATE: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    QuestionType.TIME: re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?"),
    QuestionType.DATETIME: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?"),
}


def _temporal(kind: QuestionType, value: object) -> str:
    """An ISO 8601 date, time or date-time (as a browser's date inputs send them), checked to be real."""
    if not isinstance(value, str):
        raise ValueError(kind.value)
    text = value.strip(SPACE).replace(" ", "T", 1) if kind is QuestionType.DATETIME else value.strip(SPACE)
    if not _TEMPORAL[kind].fullmatch(text):
        raise ValueError(kind.value)
    try:
        if kind is QuestionType.DATE:
            dt.date.fromisoformat(text)
        elif kind is QuestionType.TIME:
            dt.time.fromisoformat(text)
        else:
            dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(kind.value) from None
    return text


def _position(value: object) -> str:
    """ODK's geopoint text: latitude and longitude in degrees, then optionally altitude and accuracy (m)."""
    if not isinstance(value, str):
        raise ValueError("geopoint")
    parts = words(value)
    if not 2 <= len(parts) <= 4:
        raise ValueError("geopoint")
    numbers = [_number(p, "geopoint") for p in parts]
    if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180) or (len(numbers) == 4 and numbers[3] < 0):
        raise ValueError("geopoint")
    return " ".join(to_string(n) for n in numbers)


_FILE_NAME = re.compile(r"[^/\\\x00-\x1f]{1,255}")


def _file_name(value: object) -> str:
    """An attachment question's answer: the file's bare name (as ODK stores it); the bytes are elsewhere."""
    if not isinstance(value, str) or not _FILE_NAME.fullmatch(value.strip(SPACE)):
        raise ValueError("file_name")
    return value.strip(SPACE)


def _coerce(question: Question, value: object) -> Answer:
    """Typed value or ValueError naming the expected kind."""
    if question.type.is_attachment:
        return _file_name(value)
    if question.type is QuestionType.GEOPOINT:
        return _position(value)
    if question.type.is_temporal:
        return _temporal(question.type, value)
    if question.type is QuestionType.INTEGER:
        number = _number(value, "integer")
        if not number.is_integer():
            raise ValueError("integer")
        return int(number)
    if question.type is QuestionType.DECIMAL:
        return _number(value, "decimal")
    if question.type is QuestionType.RANK:
        return _ranking(value)
    if question.type is QuestionType.SELECT_MULTIPLE:
        if not isinstance(value, str | list | tuple):  # a mapping would pass as its keys
            raise ValueError("choice")
        items = words(value) if isinstance(value, str) else list(value)
        if not all(isinstance(i, str) for i in items) or len(set(items)) != len(items):
            raise ValueError("choice")
        return items
    if not isinstance(value, str):
        raise ValueError("choice" if question.type is QuestionType.SELECT_ONE else "too_long")
    if "\x00" in value:  # no keyboard types it, and PostgreSQL text cannot hold it
        raise ValueError("choice" if question.type is QuestionType.SELECT_ONE else "invalid_text")
    return value.strip(SPACE) if question.type is QuestionType.SELECT_ONE else value


def _ranking(value: object) -> str:
    """A ``rank`` answer as ODK stores it: the choice names in order, space-separated, each once.

    The citizen page posts one field per place (a blank for a place left open); a tablet or API
    client may send the ODK text itself. Which names, and that every choice is placed, is checked
    against the choice list afterwards.
    """
    if not isinstance(value, str | list | tuple):
        raise ValueError("choice")
    items = words(value) if isinstance(value, str) else list(value)
    if not all(isinstance(i, str) for i in items):
        raise ValueError("choice")
    placed = [i.strip(SPACE) for i in items]
    named = [i for i in placed if i]
    if len(set(named)) != len(named):
        raise ValueError("rank_repeated")
    if len(named) != len(placed):
        raise ValueError("rank_incomplete")
    return " ".join(placed)


_CODES = (
    "integer",
    "decimal",
    "choice",
    "too_long",
    "invalid_text",
    "date",
    "time",
    "datetime",
    "geopoint",
    "rank_incomplete",
    "rank_repeated",
    "file_name",
)


def _calculate(question: Question, answers: dict[str, Answer]) -> None:
    """A calculation computed here, whatever a browser sent: stored with the response as its text value.

    An empty result, or NaN (arithmetic on an unanswered question), stores nothing: no answer, not a
    word that reads like one.
    """
    expression = _expr(question.calculation)
    if expression is None:
        return
    value = to_string(expression.evaluate(answers))
    if value and value != "NaN":
        answers[question.name] = value


def _allowed_choices(
    questionnaire: Questionnaire, question: Question, answers: Mapping[str, Value]
) -> frozenset[str] | set[str]:
    if not question.choice_filter:
        return questionnaire.choice_names.get(question.choice_list or "", frozenset())
    options = questionnaire.choices_for(question)
    expression = parse(question.choice_filter)
    return {c.name for c in options if expression.is_true(answers, None, {**c.filters, "name": c.name})}


def _expr(source: str | None) -> Expression | None:
    return parse(source) if source else None


def validate(
    questionnaire: Questionnaire,
    raw: Mapping[str, object],
    language: str,
    *,
    partial: bool = False,
) -> ValidationResult:
    """Validate a whole response; ``partial`` skips required checks (a saved, unfinished response)."""
    known = questionnaire.question_names
    errors = [FieldError(name, "unknown", message("unknown", language)) for name in raw if name not in known]
    answers: dict[str, Answer] = {}
    for page in questionnaire.pages:
        page_relevant = _expr(page.relevant)
        page_on = page_relevant is None or page_relevant.is_true(answers)
        for question in page.questions:
            relevant = _expr(question.relevant)
            if not page_on or (relevant is not None and not relevant.is_true(answers)):
                continue
            if question.type is QuestionType.NOTE:
                continue
            if question.type is QuestionType.CALCULATE:
                _calculate(question, answers)
                continue
            value = raw.get(question.name)
            if _empty(value):
                if question.is_required(answers) and not partial:
                    text = question.required_messages.get(language) or message("required", language)
                    errors.append(FieldError(question.name, "required", text))
                continue
            checked = _checked(questionnaire, question, value, answers, language)
            if isinstance(checked, FieldError):
                errors.append(checked)
            else:
                answers[question.name] = checked
    return ValidationResult(answers=answers, errors=errors)


def _checked(
    questionnaire: Questionnaire, question: Question, value: object, answers: dict[str, Answer], language: str
) -> Answer | FieldError:
    """One given answer, typed and checked against its choices, length and constraint; or why not."""

    def refused(code: str, text: str | None = None) -> FieldError:
        return FieldError(question.name, code, text or message(code, language))

    try:
        typed = _coerce(question, value)
    except (ValueError, TypeError) as exc:
        return refused(str(exc) if str(exc) in _CODES else "choice")
    if question.type.has_choices:
        allowed = _allowed_choices(questionnaire, question, answers)
        # A single choice is one name, spaces and all (ODK allows "Township 01"); a ranking is a list.
        single = question.type is QuestionType.SELECT_ONE
        chosen = typed if isinstance(typed, list) else ([str(typed)] if single else words(str(typed)))
        if any(c not in allowed for c in chosen):
            return refused("choice")
        if question.type is QuestionType.RANK and len(chosen) != len(allowed):
            return refused("rank_incomplete")
    if isinstance(typed, str) and len(typed) > MAX_TEXT:
        return refused("too_long")
    constraint = _expr(question.constraint)
    if constraint is not None and not constraint.is_true(answers, typed):
        return refused("constraint", question.constraint_messages.get(language))
    return typed
