"""XLSForm (the ODK/KoBoToolbox standard) → :class:`Questionnaire`: pyxform reads, this module maps.

pyxform (``_pyxform.read``) accepts every spelling ODK and KoBoToolbox accept and refuses what they
refuse, in its own words. This module only decides what the platform supports and builds the typed
model. Every problem is collected before failing and reported in row order, so an author fixes a
form in one round. Nothing here touches the store: the caller saves the questionnaire only when
:func:`load_xlsform` returned without raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from survey.questionnaire import _pyxform
from survey.questionnaire._columns import language_code
from survey.questionnaire._mapping import Mapper, check_expressions, choices_from_file, choices_from_sheet
from survey.questionnaire._types import (
    ACKNOWLEDGE_LIST,
    METADATA,
    SUPPORTED_TYPES,
    attachment_settings,
    literal,
    question_type,
    range_question,
    static_default,
    unsupported_reason,
)
from survey.questionnaire.errors import FormError, FormIssue
from survey.questionnaire.model import Choice, Labels, Page, Question, Questionnaire, QuestionType

__all__ = ["SUPPORTED_TYPES", "ImportResult", "load_xlsform"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_TABLE_HEADER = "reserved_name_for_field_list_labels_"
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}


@dataclass(frozen=True)
class ImportResult:
    """The questionnaire plus what was accepted with a caveat (metadata dropped, repeats flattened)."""

    questionnaire: Questionnaire
    warnings: tuple[FormIssue, ...] = ()


def load_xlsform(
    path: Path | str, *, folder: Path | None = None, allow_location: bool = False
) -> ImportResult:
    """Read and validate an XLSForm workbook; raise :class:`FormError` listing every problem in row order.

    ``folder`` holds the CSV files of ``select_one_from_file`` rows; by default the form's own folder.
    ``allow_location`` accepts ``geopoint`` rows: a position is personal data, so collecting one is
    the form owner's explicit decision, never a default.
    """
    path = Path(path)
    read = _pyxform.read(path)
    form = read.form
    default = str(form.get("default_language") or "default")
    plain = "und" if default == "default" else language_code(default)[0]
    mapper = Mapper(
        read=read,
        plain=plain,
        folder=folder or path.parent,
        allow_location=allow_location,
        warnings=list(read.warnings),
        issues=list(read.errors),
    )
    choices, mapper.filter_columns = choices_from_sheet(mapper, form.get("choices") or {})
    pages: list[Page] = []
    for child in form.get("children", []):
        if _is_generated_meta(child):
            for inner in child.get(
                "children", []
            ):  # pyxform moves audit rows here, beside its own instanceID
                if inner.get("type") in METADATA:
                    _question(mapper, inner, page="meta", choices=choices)
            continue
        _top_level(mapper, child, pages, choices)
    check_expressions(mapper, mapper.filter_columns)
    if not any(p.questions for p in pages) and not mapper.issues:
        mapper.error(
            None, None, "the form has no questions" + (": every row was ignored" if mapper.warnings else "")
        )
        mapper.issues.extend(w for w in mapper.warnings if w.row is not None)  # why each row was ignored
    if mapper.issues:
        raise FormError(_in_row_order(mapper.issues))
    languages = mapper.languages or [plain]
    title = _title(mapper, form.get("title"), languages, str(form.get("id_string") or ""))
    questionnaire = Questionnaire(
        form_id=_safe_id(str(form.get("id_string") or path.stem)),
        title=title,
        version=str(form.get("version") or ""),
        default_language=plain if plain != "und" or not mapper.languages else languages[0],
        languages=tuple(languages),
        easy_languages=tuple(mapper.easy_languages),
        pages=tuple(p for p in pages if p.questions),
        choices=choices,
    )
    return ImportResult(questionnaire, tuple(_in_row_order(mapper.warnings)))


def _in_row_order(issues: list[FormIssue]) -> list[FormIssue]:
    return sorted(issues, key=lambda i: (i.row is not None, i.row or 0))


def _is_generated_meta(child: dict[str, Any]) -> bool:
    return child.get("name") == "meta" and bool((child.get("control") or {}).get("bodyless"))


def _safe_id(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    return cleaned if cleaned and not cleaned[0].isdigit() else f"form_{cleaned}"


def _title(mapper: Mapper, value: object, languages: list[str], fallback: str) -> Labels:
    if isinstance(value, dict):
        titles = {
            (mapper.plain if k == "default" else language_code(str(k))[0]): str(v)
            for k, v in value.items()
            if v
        }
        if titles:
            return titles
    text = str(value) if value else fallback
    return dict.fromkeys(languages, text)


def _top_level(
    mapper: Mapper, child: dict[str, Any], pages: list[Page], choices: dict[str, tuple[Choice, ...]]
) -> None:
    kind = str(child.get("type", ""))
    if kind in ("group", "repeat"):
        name = str(child.get("name", ""))
        row = mapper.read.rows.row_of(name)
        labels, _ = mapper.labels(child.get("label"), counted=True)
        relevant = mapper.expression(row, "relevant", (child.get("bind") or {}).get("relevant"))
        questions = _group_questions(mapper, child, row, name, choices)
        pages.append(Page(name, labels, relevant, tuple(questions)))
        return
    question = _question(mapper, child, page=str(child.get("name", "")), choices=choices)
    if question is None:
        return
    previous = pages[-1] if pages else None
    if (
        previous
        and previous.questions
        and question.relevant == f"selected(${{{previous.questions[-1].name}}}, 'other')"
    ):
        # pyxform's follow-up of an or_other select: asked on the select's page, as in ODK
        pages[-1] = replace(previous, questions=(*previous.questions, replace(question, page=previous.name)))
        return
    pages.append(Page(question.name, {}, None, (question,)))


def _group_questions(
    mapper: Mapper,
    group: dict[str, Any],
    row: int | None,
    page: str,
    choices: dict[str, tuple[Choice, ...]],
) -> list[Question]:
    """A group's questions; nested groups are flattened into the page, their conditions and-ed in."""
    if group.get("type") == "repeat":
        mapper.warn(row, "type", f"repeat '{group.get('name')}' is collected once per response")
    made: list[Question] = []
    for child in group.get("children", []):
        kind = str(child.get("type", ""))
        if kind in ("group", "repeat"):
            inner_row = mapper.read.rows.row_of(str(child.get("name", "")))
            inner = mapper.expression(inner_row, "relevant", (child.get("bind") or {}).get("relevant"))
            made.extend(
                replace(q, relevant=_and(inner, q.relevant))
                for q in _group_questions(mapper, child, inner_row, page, choices)
            )
            continue
        question = _question(mapper, child, page=page, choices=choices)
        if question is not None:
            made.append(question)
    return made


def _question(
    mapper: Mapper, element: dict[str, Any], *, page: str, choices: dict[str, tuple[Choice, ...]]
) -> Question | None:
    name = str(element.get("name", ""))
    if name.startswith(_TABLE_HEADER):
        return None  # pyxform's column-header row for ODK's table-list layout; the page shows labels anyway
    row = mapper.read.rows.row_of(name)
    kind = str(element.get("type", ""))
    raw_type = mapper.read.rows.types.get(row, "") if row else ""
    shown_type = raw_type or kind
    if kind in METADATA:
        mapper.warn(row, "type", f"metadata '{shown_type}' ignored: the platform records its own")
        mapper.metadata.add(name)
        return None
    mapper.refused.add(name)
    bind = element.get("bind") or {}
    admitted = _admitted(mapper, element, name, row, kind, shown_type)
    if admitted is None:
        return None
    qtype, bounds = admitted
    labels, easy = mapper.labels(element.get("label"), counted=True)
    hints = mapper.texts(element.get("hint"))
    if not labels and not hints and qtype not in (QuestionType.NOTE, QuestionType.CALCULATE):
        mapper.error(row, "label", f"question '{name}' has no label")
    list_name = _choice_list(mapper, element, row, kind, qtype, choices)
    required = str(bind.get("required", "")).strip()
    required_when = None
    if required.lower() not in _TRUE | _FALSE:
        required_when = mapper.expression(row, "required", required)
    computed = _computed(mapper, element, row, kind, qtype, name, shown_type)
    if computed is None:
        return None
    calculation, default = computed
    control = element.get("control") or {}
    accept, max_pixels = attachment_settings(element) if qtype.is_attachment else (None, None)
    return Question(
        name=name,
        type=qtype,
        labels=labels,
        easy_labels=easy,
        hints=hints,
        required=required.lower() in _TRUE,
        required_messages=mapper.texts(bind.get("jr:requiredMsg")),
        required_when=required_when,
        constraint=_and(bounds, mapper.expression(row, "constraint", bind.get("constraint"))),
        constraint_messages=mapper.texts(bind.get("jr:constraintMsg")),
        relevant=mapper.expression(row, "relevant", bind.get("relevant")),
        choice_list=list_name if qtype.has_choices else None,
        choice_filter=mapper.expression(row, "choice_filter", element.get("choice_filter")),
        appearance=str(control.get("appearance") or "") or None,
        page=page,
        calculation=calculation,
        default=default if qtype.is_shown and not qtype.is_attachment else None,
        accept=accept,
        max_pixels=max_pixels,
    )


def _admitted(
    mapper: Mapper, element: dict[str, Any], name: str, row: int | None, kind: str, shown_type: str
) -> tuple[QuestionType, str | None] | None:
    """The question's type (and a range's bounds) when its type and name can be stored, else None."""
    reason = unsupported_reason(element, allow_location=mapper.allow_location)
    if reason is not None:
        mapper.error(row, "type", f"type '{shown_type}' is not supported{reason}")
        return None
    qtype = question_type(kind)
    if qtype is None:
        mapper.error(row, "type", f"unknown question type '{shown_type}'")
        return None
    bounds = None
    if kind == "range":
        qtype, bounds, words = range_question(element)
        mapper.warn(row, "type", f"range '{name}' is asked as a number from {words}, not a slider")
    if not _NAME.fullmatch(name):
        mapper.error(row, "name", f"invalid or missing name {name!r}")
        return None
    if name in mapper.seen:
        mapper.error(
            row,
            "name",
            f"name '{name}' is already used on row {mapper.seen[name]}: the same name in two groups is not"
            " supported (answers are kept by name), rename one",
        )
        return None
    mapper.seen[name] = row
    mapper.refused.discard(name)
    return qtype, bounds


def _choice_list(
    mapper: Mapper,
    element: dict[str, Any],
    row: int | None,
    kind: str,
    qtype: QuestionType,
    choices: dict[str, tuple[Choice, ...]],
) -> str | None:
    """The choice list a question offers: from the choices sheet, a CSV file, or OK for acknowledge."""
    list_name = str(element.get("list_name") or element.get("itemset") or "") or None
    from_file = bool(list_name and list_name.lower().endswith(".csv"))
    if qtype.has_choices and list_name and from_file and list_name not in choices:
        choices_from_file(mapper, row, list_name, element.get("parameters") or {}, choices)
    if kind in ("acknowledge", "trigger"):
        list_name = ACKNOWLEDGE_LIST
        choices.setdefault(ACKNOWLEDGE_LIST, (Choice("OK", {mapper.plain: "OK"}),))
    if qtype.has_choices and list_name not in choices and not from_file:
        mapper.error(row, "type", f"choice list '{list_name}' is not defined in sheet 'choices'")
    return list_name


def _computed(
    mapper: Mapper,
    element: dict[str, Any],
    row: int | None,
    kind: str,
    qtype: QuestionType,
    name: str,
    shown_type: str,
) -> tuple[str | None, Any] | None:
    """A calculate row's calculation and a question's fixed default; None drops a hidden row with neither."""
    bind = element.get("bind") or {}
    calculation = mapper.expression(row, "calculation", bind.get("calculate"))
    if calculation is not None and qtype is not QuestionType.CALCULATE:
        mapper.warn(
            row, "calculation", f"calculation ignored: only calculate rows are computed ('{shown_type}' row)"
        )
        calculation = None
    default, dynamic = static_default(element.get("default"))
    if dynamic:
        mapper.warn(row, "default", "a default computed by an expression is not supported: ignored")
    if kind == "hidden":
        if default is None:
            mapper.warn(row, "type", f"hidden '{name}' has no fixed default: nothing to store, ignored")
            return None
        calculation, default = literal(default), None
    if qtype is QuestionType.CALCULATE and calculation is None:
        mapper.error(row, "calculation", f"calculate '{name}' has no calculation")
    return calculation, default


def _and(outer: str | None, inner: str | None) -> str | None:
    if outer and inner:
        return f"({outer}) and ({inner})"
    return outer or inner
