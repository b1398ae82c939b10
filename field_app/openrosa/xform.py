"""An XForm for ODK Collect from a stored questionnaire version, written by pyxform.

The workbook a version was imported from is not kept with it (only the platform's model is), so the
model is turned back into pyxform's JSON form and pyxform writes the XForm: expressions stay in
XLSForm syntax (``${age} >= 18``) and pyxform translates them exactly as it would from the workbook.
Every language becomes an itext language named ``Name (code)``; easy-read wording becomes a language
of its own, falling back to the normal label where it has none. Choice lists read from CSV files stay
files: the XForm points at them and they travel as media attachments (:mod:`field_app.openrosa.media`).

Building costs pyxform's whole pass (tens of milliseconds for a large form) and the form list,
download and manifest of every device ask for it, so :func:`cached_xform` keeps the result per
stored content and version number: a new version, or a version edited in place before anyone
answered it, has another key and is built afresh.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from field_app.openrosa.media import MediaFile, choice_files, is_file_list
from survey.questionnaire.model import Choice, Labels, Page, Question, Questionnaire, QuestionType
from survey.store.models import QuestionnaireVersion

ROOT = "data"
_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English", "de": "Deutsch"}
_EASY_NAMES = {"fr": "FALC", "nl": "Makkelijk lezen", "en": "Easy read"}
_TYPES = {
    QuestionType.SELECT_ONE: "select one",
    QuestionType.SELECT_MULTIPLE: "select all that apply",
    QuestionType.INTEGER: "integer",
    QuestionType.DECIMAL: "decimal",
    QuestionType.TEXT: "text",
    QuestionType.NOTE: "note",
    QuestionType.DATE: "date",
    QuestionType.TIME: "time",
    QuestionType.DATETIME: "dateTime",
    QuestionType.CALCULATE: "calculate",
    QuestionType.GEOPOINT: "geopoint",
    QuestionType.RANK: "rank",
    QuestionType.IMAGE: "image",
    QuestionType.AUDIO: "audio",
    QuestionType.FILE: "file",
}
_META = {
    "name": "meta",
    "type": "group",
    "control": {"bodyless": True},
    "children": [
        {"name": "instanceID", "type": "calculate", "bind": {"readonly": "true()", "jr:preload": "uid"}}
    ],
}


CACHE_SIZE = 128


@dataclass(frozen=True)
class XForm:
    """The XForm text of one version, its media files, and what the form list says of it."""

    form_id: str
    version: str
    title: str
    xml: str
    media: tuple[MediaFile, ...] = ()
    md5: str = field(init=False)

    def __post_init__(self) -> None:
        # The form list's ``md5:`` hash: Collect downloads the form again only when it changes.
        digest = hashlib.md5(self.xml.encode()).hexdigest()  # noqa: S324 (OpenRosa names md5)
        object.__setattr__(self, "md5", "md5:" + digest)

    def media_file(self, name: str) -> MediaFile | None:
        """The attachment the XForm names ``name``, or None."""
        return next((m for m in self.media if m.name == name), None)


def language_name(code: str, *, easy: bool = False) -> str:
    """``fr`` → ``Français (fr)``; easy-read wording → ``FALC (fr)`` (what the importer reads back as easy)."""
    names = _EASY_NAMES if easy else _NAMES
    return f"{names.get(code, 'Easy read' if easy else code)} ({code})"


def xform_version(version: QuestionnaireVersion) -> str:
    """The XForm ``version`` attribute: the stored version number, so a submission names its version."""
    return str(version.number)


class _Builder:
    """pyxform JSON of one questionnaire, one language set for all labels."""

    def __init__(self, form: Questionnaire) -> None:
        self.form = form
        self.languages = [(code, False) for code in form.languages] + [
            (code, True) for code in form.easy_languages
        ]

    def labels(self, labels: Labels, easy: Labels | None = None, *, fallback: str = "") -> dict[str, str]:
        out = {}
        for code, is_easy in self.languages:
            text = (easy or {}).get(code) if is_easy else None
            out[language_name(code, easy=is_easy)] = (
                text
                or labels.get(code)
                or labels.get(self.form.default_language)
                or next((t for t in labels.values() if t), fallback)
            )
        return out

    def messages(self, labels: Labels) -> dict[str, str] | None:
        return self.labels(labels) if any(labels.values()) else None

    def choice(self, choice: Choice) -> dict[str, Any]:
        item: dict[str, Any] = {
            "name": choice.name,
            "label": self.labels(choice.labels, choice.easy_labels, fallback=choice.name),
        }
        item.update(choice.filters)
        return item

    def question(self, question: Question) -> dict[str, Any]:
        element: dict[str, Any] = {"name": question.name, "type": _TYPES[question.type]}
        if question.type is not QuestionType.CALCULATE:
            element["label"] = self.labels(question.labels, question.easy_labels, fallback=question.name)
        if any(question.hints.values()):
            element["hint"] = self.labels(question.hints)
        bind = self.bind(question)
        if bind:
            element["bind"] = bind
        if question.type.has_choices and question.choice_list:
            element["itemset"] = question.choice_list
            element["list_name"] = question.choice_list
        if question.choice_filter:
            element["choice_filter"] = question.choice_filter
        if question.appearance:
            element["control"] = {"appearance": question.appearance}
        if question.accept:
            element.setdefault("control", {})["accept"] = question.accept
        if question.max_pixels:
            element.setdefault("bind", {})["orx:max-pixels"] = str(question.max_pixels)
        if question.default is not None:
            element["default"] = question.default
        return element

    def bind(self, question: Question) -> dict[str, Any]:
        """What XForms binds to a question: calculation, required (with message), constraint, relevance."""
        bind: dict[str, Any] = {}
        if question.type is QuestionType.CALCULATE:
            bind["calculate"] = question.calculation or "''"
        if question.required_when:
            bind["required"] = question.required_when
        elif question.required:
            bind["required"] = "true()"
        if "required" in bind and (message := self.messages(question.required_messages)):
            bind["jr:requiredMsg"] = message
        if question.constraint:
            bind["constraint"] = question.constraint
            if message := self.messages(question.constraint_messages):
                bind["jr:constraintMsg"] = message
        if question.relevant:
            bind["relevant"] = question.relevant
        return bind

    def page(self, page: Page, taken: set[str]) -> list[dict[str, Any]]:
        children = [self.question(q) for q in page.questions]
        if not page.name or not any(q.type.is_shown for q in page.questions):
            return children  # a group of calculations only has no body, which ODK Validate refuses
        name = page.name
        while name in taken:
            name = f"{name}_page"
        taken.add(name)
        group: dict[str, Any] = {
            "name": name,
            "type": "group",
            "control": {"appearance": "field-list"},
            "children": children,
        }
        if any(page.labels.values()):
            group["label"] = self.labels(page.labels, fallback=page.name)
        if page.relevant:
            group["bind"] = {"relevant": page.relevant}
        return [group]

    def survey(self, version: str, form_id: str) -> dict[str, Any]:
        taken = set(self.form.question_names) | {"meta"}
        children = [element for page in self.form.pages for element in self.page(page, taken)]
        used = {
            q.choice_list
            for q in self.form.questions
            if q.type.has_choices and q.choice_list and not is_file_list(q.choice_list)
        }
        return {
            "type": "survey",
            "name": ROOT,
            "id_string": form_id,
            "title": self.form.title.get(self.form.default_language)
            or next(iter(self.form.title.values()), self.form.form_id),
            "version": version,
            "default_language": language_name(self.form.default_language),
            "children": [*children, _META],
            "choices": {
                name: [self.choice(c) for c in self.form.choices[name]]
                for name in sorted(used)
                if name in self.form.choices
            },
        }


def build_xform(version: QuestionnaireVersion, form_id: str | None = None) -> XForm:
    """The XForm of a stored version and its media (pyxform writes it; nothing of it is stored).

    ``form_id`` replaces the form's own id (the server-level list names forms ``slug.form_id``).

    ``validate=False``: pyxform would otherwise start ODK Validate, a Java program, on every form list
    and download, which costs about a second each and fails outright where no Java is installed (the
    Docker image has none). Validity is the tests' job: ODK Validate checks the demo form and every
    corpus form there (tests/openrosa/test_xform.py).
    """
    form = Questionnaire.from_dict(version.content)
    builder = _Builder(form)
    identifier = form_id or form.form_id
    # pyxform (and xlrd, openpyxl, lark with it) loads here, when a form is first built, not in
    # every server process at start-up: most requests never build a form, and the build is cached.
    from pyxform.builder import create_survey_element_from_dict  # noqa: PLC0415

    survey = create_survey_element_from_dict(builder.survey(xform_version(version), identifier))
    xml = survey.to_xml(validate=False, pretty_print=False)
    title = form.title.get(form.default_language) or form.form_id
    languages = [(code, easy, language_name(code, easy=easy)) for code, easy in builder.languages]
    return XForm(identifier, xform_version(version), title, xml, tuple(choice_files(form, languages)))


_CACHE: OrderedDict[tuple[str, int, str | None], XForm] = OrderedDict()
_LOCK = threading.Lock()


def cached_xform(version: QuestionnaireVersion, form_id: str | None = None) -> XForm:
    """:func:`build_xform`, built once per stored content and version number (the last 128 kept).

    The key is what the XForm is made of, not the row id, so an in-place edit of an unanswered
    version (a new content hash) or a new version (a new number) is never served stale, and two
    test databases holding the same form share one entry safely. Two threads missing at once both
    build; the second result simply replaces the equal first.
    """
    key = (version.content_hash, version.number, form_id)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    built = build_xform(version, form_id)
    with _LOCK:
        _CACHE[key] = built
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return built


def clear_xform_cache() -> None:
    """Forget every built XForm (``bench/openrosa.py`` times the uncached path with it)."""
    with _LOCK:
        _CACHE.clear()
