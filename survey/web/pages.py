"""What a questionnaire page shows: which pages and questions are on, and how each one renders.

Relevance is always decided here, on the server, from the answers validated so far; the browser
script only anticipates it. A page whose condition is false, or whose questions are all off, is
skipped, so a respondent never lands on an empty page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import UploadFile

from survey.questionnaire.expressions import Value, parse, to_string
from survey.questionnaire.messages import message
from survey.questionnaire.model import Page, Question, Questionnaire, QuestionType
from survey.questionnaire.routing import question_on
from survey.questionnaire.validation import FieldError
from survey.store.services.attachments import Upload

SECONDS_PER_QUESTION = 15
_INPUT_TYPES = {
    QuestionType.DATE: "date", QuestionType.TIME: "time", QuestionType.DATETIME: "datetime-local",
    QuestionType.IMAGE: "file", QuestionType.AUDIO: "file", QuestionType.FILE: "file",
}  # fmt: skip
# What the file picker offers (the server still decides from the bytes, survey.store.services.attachments).
_PICKER = {QuestionType.IMAGE: "image/*", QuestionType.AUDIO: "audio/*"}


_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


def fill_in(text: str, answers: Mapping[str, Any]) -> str:
    """``${name}`` in a label or hint replaced by that answer (as ODK shows it); the template escapes it."""
    if "${" not in text:
        return text
    return _REFERENCE.sub(lambda m: to_string(answers.get(m.group(1))), text)


def minutes_needed(questionnaire: Questionnaire) -> int:
    questions = sum(
        1 for q in questionnaire.questions if q.type not in (QuestionType.NOTE, QuestionType.CALCULATE)
    )
    return max(1, -(-questions * SECONDS_PER_QUESTION // 60))


@dataclass
class ChoiceView:
    name: str
    label: str
    id: str
    checked: bool
    template: str = ""


@dataclass
class RankPlace:
    """One place of a ``rank`` question: a numbered select, so the order is chosen without a script."""

    number: int
    id: str
    chosen: str


@dataclass
class QuestionView:
    """Everything a template needs for one question, computed once in Python."""

    name: str
    type: str
    label: str
    hint: str
    required: bool
    visible: bool
    relevant: str
    constraint: str
    constraint_message: str
    required_message: str
    error: str = ""
    value: str = ""
    choices: list[ChoiceView] = field(default_factory=list)
    input_mode: str = ""
    input_type: str = "text"
    multiline: bool = False
    places: list[RankPlace] = field(default_factory=list)
    layout: str = ""
    label_template: str = ""
    hint_template: str = ""
    required_when: str = ""
    accept: str = ""

    @property
    def id(self) -> str:
        return f"q-{self.name}"

    @property
    def first_input_id(self) -> str:
        if self.places:
            return self.places[0].id
        return self.choices[0].id if self.choices and self.layout != "minimal" else self.id


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def question_views(
    questionnaire: Questionnaire,
    page: Page,
    values: Mapping[str, object],
    answers: Mapping[str, Value],
    errors: list[FieldError],
    language: str,
    easy: bool,
) -> list[QuestionView]:
    """Views of a page's questions; ``values`` are what to prefill, ``answers`` decide relevance."""
    by_name = {e.question: e.message for e in errors}
    views = []
    for q in page.questions:
        if not q.type.is_shown:
            continue
        raw = values.get(q.name)
        if raw is None and q.default is not None:  # the form's default, until the respondent answers
            raw = q.default.split() if q.type is QuestionType.SELECT_MULTIPLE else q.default
        if q.type is QuestionType.RANK and isinstance(raw, str):
            raw = raw.split()  # stored as ODK does: the names in order
        selected = raw if isinstance(raw, list) else ([] if raw in (None, "") else [str(raw)])
        choices: list[ChoiceView] = []
        if q.type.has_choices:
            options = questionnaire.choices_for(q)
            if q.choice_filter:
                expression = parse(q.choice_filter)
                options = tuple(
                    c for c in options if expression.is_true(answers, None, {**c.filters, "name": c.name})
                )
            choices = []
            for i, c in enumerate(options):
                text = c.label(language, easy=easy, default_language=questionnaire.default_language)
                template = text if "${" in text else ""
                choices.append(
                    ChoiceView(
                        c.name, fill_in(text, answers), f"q-{q.name}-{i}", c.name in selected, template
                    )
                )
        label = q.label(language, easy=easy, default_language=questionnaire.default_language)
        hint = q.hint(language, questionnaire.default_language)
        views.append(
            QuestionView(
                name=q.name,
                type=q.type.value,
                label=fill_in(label, answers),
                hint=fill_in(hint, answers),
                required=q.is_required(answers),
                visible=question_on(q, answers),
                relevant=q.relevant or "",
                constraint=q.constraint or "",
                constraint_message=q.constraint_messages.get(language) or message("constraint", language),
                required_message=q.required_messages.get(language) or message("required", language),
                error=by_name.get(q.name, ""),
                value="" if isinstance(raw, list) else _as_text(raw),
                choices=choices,
                input_mode={"integer": "numeric", "decimal": "decimal"}.get(q.type.value, ""),
                input_type=_INPUT_TYPES.get(q.type, "text"),
                multiline=q.type is QuestionType.TEXT and "short" not in (q.appearance or ""),
                places=_places(q, choices, selected),
                layout=layout(q),
                label_template=label if "${" in label else "",
                hint_template=hint if "${" in hint else "",
                required_when=q.required_when or "",
                accept=(q.accept or _PICKER.get(q.type, "")) if q.type.is_attachment else "",
            )
        )
    return views


def has_files(page: Page) -> bool:
    """Whether the page asks for a photo, a recording or a file (its form is then sent as multipart)."""
    return any(q.type.is_attachment for q in page.questions)


def uploads_of(page: Page, data: Mapping[str, Any], max_bytes: int) -> tuple[Upload, ...]:
    """The files chosen on a page, one per attachment question; an empty picker sends no file.

    At most ``max_bytes + 1`` bytes are read from each: enough to tell that a file is too large
    without holding all of it.
    """
    found = []
    for q in page.questions:
        value = data.get(q.name) if q.type.is_attachment else None
        value = value[-1] if isinstance(value, list) and value else value
        if isinstance(value, UploadFile) and value.filename:
            value.file.seek(0)
            found.append(Upload(q.name, value.filename, value.file.read(max_bytes + 1)))
    return tuple(found)


def live_plan(questionnaire: Questionnaire) -> str:
    """The form's order and logic for the browser's live walk (static/live.js), as a data attribute.

    Every page is in it, not just the one shown: a label may read a calculation that an answer on
    this page changes, however far away it stands. Only what the walk reads is sent, and only when
    set, so a 500-question form stays a few tens of kilobytes.
    """
    pages = []
    for page in questionnaire.pages:
        questions = []
        for q in page.questions:
            entry = {"name": q.name, "type": q.type.value}
            for key in ("relevant", "calculation", "constraint"):
                if getattr(q, key):
                    entry[key] = getattr(q, key)
            questions.append(entry)
        pages.append({"relevant": page.relevant or "", "questions": questions})
    return json.dumps(pages, ensure_ascii=False, separators=(",", ":"))


def _places(q: Question, choices: list[ChoiceView], selected: list[str]) -> list[RankPlace]:
    if q.type is not QuestionType.RANK:
        return []
    return [
        RankPlace(n, f"q-{q.name}-place-{n}", selected[n - 1] if n <= len(selected) else "")
        for n in range(1, len(choices) + 1)
    ]


_LAYOUTS = ("likert", "horizontal-compact", "horizontal", "minimal")


def layout(q: Question) -> str:
    """The XLSForm appearance that changes how a select is drawn on the citizen pages ("" for a list).

    ``minimal`` is a dropdown for ``select_one`` only (a multiple dropdown is hard to use); other
    appearances (ODK's ``quick``, ``columns``, ``search`` …) fall back to the plain list.
    """
    if not q.type.has_choices or q.type is QuestionType.RANK:
        return ""
    words = (q.appearance or "").split()
    for name in _LAYOUTS:
        if name in words and not (name == "minimal" and q.type is QuestionType.SELECT_MULTIPLE):
            return name
    return ""


def answers_json(answers: Mapping[str, Value], exclude: set[str]) -> str:
    """Answers of the other pages, for the browser's skip logic (a data attribute, never inline script)."""
    return json.dumps({k: v for k, v in answers.items() if k not in exclude}, ensure_ascii=False)


def form_values(page: Page, data: Mapping[str, Any]) -> dict[str, object]:
    """A page's posted fields as raw answers: checkboxes become lists, blanks become absent."""
    out: dict[str, object] = {}
    for q in page.questions:
        if q.type in (QuestionType.NOTE, QuestionType.CALCULATE) or q.type.is_attachment:
            continue  # files arrive through uploads_of; the answer is the name of the file kept
        value = data.get(q.name)
        if q.type is QuestionType.SELECT_MULTIPLE:
            items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
            out[q.name] = [str(v) for v in items if str(v)]
        elif q.type is QuestionType.RANK:  # one field per place, in order; blanks kept to say which is open
            items = value if isinstance(value, list) else ([] if value is None else [value])
            places = [str(v).strip() for v in items]
            out[q.name] = places if any(places) else []
        elif isinstance(value, list):
            out[q.name] = str(value[-1])
        elif value is not None:
            text = str(value)
            out[q.name] = text if q.type is QuestionType.TEXT and text.strip() else text.strip()
    return out
