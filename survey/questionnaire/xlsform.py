"""XLSForm (the ODK/KoBoToolbox standard) → :class:`Questionnaire`, with errors that point at a cell.

Every problem in the workbook is collected before failing, so an author fixes a form in one
round rather than one error per import. Nothing here touches the store: the caller saves the
questionnaire only when :func:`load_xlsform` returned without raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from survey.questionnaire._columns import Column, decode, language_code
from survey.questionnaire._workbook import Sheet, read_workbook
from survey.questionnaire.errors import ExpressionError, FormError, FormIssue
from survey.questionnaire.expressions import parse
from survey.questionnaire.model import Choice, Labels, Page, Question, Questionnaire, QuestionType

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_SIMPLE_TYPES = {
    "text": QuestionType.TEXT,
    "string": QuestionType.TEXT,
    "phone number": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "note": QuestionType.NOTE,
}
_SELECT = re.compile(
    r"(select_one|select_multiple|select one|select multiple|select all that apply)\s+(?:from\s+)?"
    r"([A-Za-z_][A-Za-z0-9_.\-]*)(?:\s+(or_other|or specify other))?"
)
_METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
    "audit", "uri:deviceid", "uri:username", "uri:email", "uri:phonenumber", "uri:subscriberid",
    "uri:simserial", "get start time", "get end time", "get today", "get device id", "get subscriber id",
    "get sim id", "get phone number", "start-geopoint",
}  # fmt: skip
_UNSUPPORTED = {
    "calculate", "geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode", "date",
    "time", "datetime", "acknowledge", "range", "rank", "hidden", "trigger", "background-audio",
    "xml-external", "csv-external", "select_one_from_file", "select_multiple_from_file", "set form title",
    "set form id",
}  # fmt: skip
_BEGIN = {"begin group": False, "begin_group": False, "begin repeat": True, "begin_repeat": True}
_END = {"end group", "end_group", "end repeat", "end_repeat"}
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}
SUPPORTED_TYPES = ("select_one", "select_multiple", "integer", "decimal", "text", "note")


@dataclass(frozen=True)
class ImportResult:
    """The questionnaire plus what was accepted with a caveat (metadata dropped, repeats flattened)."""

    questionnaire: Questionnaire
    warnings: tuple[FormIssue, ...] = ()


@dataclass
class _Group:
    name: str
    labels: Labels
    relevant: str | None
    row: int
    questions: list[Question] = field(default_factory=list)


@dataclass
class _State:
    issues: list[FormIssue] = field(default_factory=list)
    warnings: list[FormIssue] = field(default_factory=list)

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(FormIssue(sheet, row, column, message))


def load_xlsform(path: Path | str) -> ImportResult:
    """Read and validate an XLSForm workbook; raise :class:`FormError` listing every problem."""
    path = Path(path)
    if not path.exists():
        raise FormError([FormIssue(path.name, None, None, "file not found")])
    return parse_sheets(read_workbook(path), default_form_id=_safe_id(path.stem))


def _safe_id(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    return cleaned if cleaned and not cleaned[0].isdigit() else f"form_{cleaned}"


def _settings(sheets: dict[str, Sheet]) -> dict[str, str]:
    sheet = sheets.get("settings")
    if sheet is None or not sheet.rows:
        return {}
    return {k.strip().lower(): v for k, v in sheet.rows[0][1].items()}


def _labels(
    values: dict[str, str], columns: dict[str, Column], base: str, plain: str
) -> tuple[Labels, Labels]:
    normal: Labels = {}
    easy: Labels = {}
    for header, text in values.items():
        col = columns[header]
        if col.base != base or not text:
            continue
        target = easy if col.easy else normal
        target[col.language or plain] = text
    return normal, easy


def _check_expression(
    state: _State, sheet: str, row: int, column: str, source: str, names: set[str], choice_columns: set[str]
) -> None:
    try:
        expression = parse(source)
    except ExpressionError as exc:
        state.error(sheet, row, column, f"invalid expression {source!r}: {exc}")
        return
    for ref in sorted(expression.references - names):
        state.error(sheet, row, column, f"expression refers to unknown question ${{{ref}}}")
    if column == "choice_filter":
        for col in sorted(expression.columns - choice_columns):
            state.warnings.append(
                FormIssue(
                    sheet, row, column, f"{col!r} is not a column of the choices sheet: it reads as empty"
                )
            )
        return
    for col in sorted(expression.columns):
        state.error(sheet, row, column, f"unknown name {col!r} (write ${{{col}}} to refer to a question)")


def _parse_choices(
    sheets: dict[str, Sheet], plain: str, state: _State, allow_dup: bool
) -> tuple[dict[str, tuple[Choice, ...]], set[str], set[str]]:
    sheet = sheets.get("choices")
    if sheet is None:
        return {}, set(), set()
    columns = {h: decode(h) for h in sheet.header if h}
    by_base = {c.base: h for h, c in columns.items()}
    lists: dict[str, list[Choice]] = {}
    if sheet.rows and ("list_name" not in by_base or "name" not in by_base):
        missing = "list_name" if "list_name" not in by_base else "name"
        state.error(sheet.name, 1, missing, f"the choices sheet needs a '{missing}' column")
        return {}, set(), set()
    standard = {"list_name", "name", "label", "image", "media", "audio", "video", "media::image"}
    filter_columns = {h for h, c in columns.items() if c.base not in standard and c.language is None}
    filter_columns = {
        h for h in filter_columns if not h.lower().startswith(("media", "image", "audio", "video"))
    }
    for row, values in sheet.rows:
        list_name = values.get(by_base["list_name"], "")
        name = values.get(by_base["name"], "")
        if not list_name and not name:
            continue
        if not list_name:
            state.error(sheet.name, row, "list_name", "choice has no list_name")
            continue
        if not name:
            state.error(sheet.name, row, "name", f"choice in list '{list_name}' has no name")
            continue
        options = lists.setdefault(list_name, [])
        if not allow_dup and any(c.name == name for c in options):
            state.error(sheet.name, row, "name", f"choice '{name}' appears twice in list '{list_name}'")
            continue
        labels, easy = _labels(values, columns, "label", plain)
        filters = {h: values[h] for h in filter_columns if values.get(h)}
        options.append(Choice(name=name, labels=labels, easy_labels=easy, filters=filters))
    return {k: tuple(v) for k, v in lists.items()}, filter_columns, set(lists)


def _with_other(
    question: Question, choices: dict[str, tuple[Choice, ...]], languages: set[str]
) -> list[Question]:
    """Legacy ``or_other``: add an 'other' choice and a follow-up text question, as pyxform does."""
    list_name = question.choice_list or ""
    if not any(c.name == "other" for c in choices.get(list_name, ())):
        choices[list_name] = (*choices.get(list_name, ()), Choice("other", dict.fromkeys(languages, "Other")))
    follow_up = Question(
        name=f"{question.name}_other",
        type=QuestionType.TEXT,
        labels=dict.fromkeys(languages, "Specify other."),
        relevant=f"selected(${{{question.name}}}, 'other')",
        page=question.page,
    )
    return [question, follow_up]


def parse_sheets(sheets: dict[str, Sheet], *, default_form_id: str = "form") -> ImportResult:
    """Validate sheets already read from a workbook; see :func:`load_xlsform`."""
    state = _State()
    survey = sheets.get("survey")
    if survey is None:
        raise FormError([FormIssue("survey", None, None, "the workbook has no 'survey' sheet")])
    columns = {h: decode(h) for h in survey.header if h}
    by_base: dict[str, str] = {}
    for header, col in columns.items():
        if col.language is None and not col.easy:
            if col.base in by_base:
                state.error(survey.name, 1, header, f"column duplicates '{by_base[col.base]}'")
            by_base.setdefault(col.base, header)
    for needed in ("type", "name"):
        if needed not in by_base:
            state.error(survey.name, 1, needed, f"the survey sheet needs a '{needed}' column")
    if state.issues:
        raise FormError(state.issues)

    settings = _settings(sheets)
    default_language = (
        language_code(settings["default_language"])[0] if settings.get("default_language") else None
    )
    plain = default_language or "und"
    choices, filter_columns, _ = _parse_choices(
        sheets, plain, state, settings.get("allow_choice_duplicates", "").lower() in _TRUE
    )
    choice_dict = dict(choices)

    names: dict[str, int] = {}
    for row, values in survey.rows:
        name = values.get(by_base["name"], "")
        kind = values.get(by_base["type"], "").lower()
        if not name or kind in _END or kind in _METADATA:
            continue
        if name in names and kind not in _BEGIN:
            state.error(survey.name, row, "name", f"name '{name}' is already used on row {names[name]}")
        names.setdefault(name, row)
    name_set = set(names)

    languages: list[str] = []
    easy_languages: list[str] = []
    for col in columns.values():
        if col.base == "label":
            target = easy_languages if col.easy else languages
            code = col.language or plain
            if code not in target:
                target.append(code)

    pages: list[Page] = []
    stack: list[_Group] = []

    def text(values: dict[str, str], base: str) -> str:
        header = by_base.get(base)
        return values.get(header, "") if header else ""

    for row, values in survey.rows:
        raw_type = text(values, "type")
        kind = re.sub(r"\s+", " ", raw_type.strip().lower())
        name = text(values, "name")
        if not kind:
            if name:
                state.error(survey.name, row, "type", f"'{name}' has no type")
            continue
        labels, easy = _labels(values, columns, "label", plain)
        relevant = text(values, "relevant") or None
        if relevant:
            _check_expression(state, survey.name, row, "relevant", relevant, name_set, set())
        if kind in _BEGIN:
            if not name or not _NAME.fullmatch(name):
                state.error(survey.name, row, "name", f"group needs a valid name, got {name!r}")
            if _BEGIN[kind]:
                state.warnings.append(
                    FormIssue(survey.name, row, "type", f"repeat '{name}' is collected once per response")
                )
            stack.append(_Group(name or f"group_{row}", labels, relevant, row))
            continue
        if kind in _END:
            if not stack:
                state.error(survey.name, row, "type", f"'{raw_type}' without a matching begin")
                continue
            group = stack.pop()
            if stack:
                stack[-1].questions.extend(
                    replace(q, relevant=_and(group.relevant, q.relevant), page=stack[0].name)
                    for q in group.questions
                )
            else:
                pages.append(Page(group.name, group.labels, group.relevant, tuple(group.questions)))
            continue
        if kind in _METADATA:
            state.warnings.append(
                FormIssue(
                    survey.name, row, "type", f"metadata '{raw_type}' ignored: the platform records its own"
                )
            )
            continue
        select = _SELECT.fullmatch(kind)
        if (
            select is None and kind.split(" ")[0] in _UNSUPPORTED | {"select_one_from_file"}
        ) or kind in _UNSUPPORTED:
            state.error(
                survey.name, row, "type",
                f"type '{raw_type}' is not supported (supported: {', '.join(SUPPORTED_TYPES)})",
            )  # fmt: skip
            continue
        if select is None and kind not in _SIMPLE_TYPES:
            state.error(survey.name, row, "type", f"unknown question type '{raw_type}'")
            continue
        if not _NAME.fullmatch(name):
            state.error(survey.name, row, "name", f"invalid or missing name {name!r}")
            continue
        qtype = _SIMPLE_TYPES.get(kind) if select is None else QuestionType(select.group(1).replace(" ", "_"))
        if qtype is None or kind.startswith("select all"):
            qtype = QuestionType.SELECT_MULTIPLE
        list_name = select.group(2) if select else None
        if list_name and list_name not in choice_dict:
            state.error(
                survey.name, row, "type", f"choice list '{list_name}' is not defined in sheet 'choices'"
            )
        if not labels and qtype is not QuestionType.NOTE and not text(values, "hint"):
            state.error(survey.name, row, "label", f"question '{name}' has no label")
        required_text = text(values, "required").lower()
        if required_text not in _TRUE | _FALSE:
            state.error(survey.name, row, "required", f"expected yes or no, got {required_text!r}")
        constraint = text(values, "constraint") or None
        if constraint:
            _check_expression(state, survey.name, row, "constraint", constraint, name_set, set())
        choice_filter = text(values, "choice_filter") or None
        if choice_filter:
            _check_expression(
                state, survey.name, row, "choice_filter", choice_filter, name_set, filter_columns
            )
        hints, _ = _labels(values, columns, "hint", plain)
        question = Question(
            name=name,
            type=qtype,
            labels=labels,
            easy_labels=easy,
            hints=hints,
            required=required_text in _TRUE,
            required_messages=_labels(values, columns, "required_message", plain)[0],
            constraint=constraint,
            constraint_messages=_labels(values, columns, "constraint_message", plain)[0],
            relevant=relevant,
            choice_list=list_name,
            choice_filter=choice_filter,
            appearance=text(values, "appearance") or None,
            page=stack[0].name if stack else name,
        )
        made = [question]
        if select and select.group(3) and list_name in choice_dict:
            made = _with_other(question, choice_dict, set(languages) or {plain})
        if stack:
            stack[-1].questions.extend(made)
        else:
            pages.append(Page(name, {}, None, tuple(made)))
    for group in stack:
        state.error(survey.name, group.row, "type", f"group '{group.name}' is never closed")
    if not any(page.questions for page in pages) and not state.issues:
        state.error(survey.name, None, None, "the form has no questions")
    if state.issues:
        raise FormError(state.issues)

    form_id = settings.get("form_id") or default_form_id
    title_text = settings.get("form_title") or form_id
    questionnaire = Questionnaire(
        form_id=form_id,
        title=_title(settings, title_text, languages or [plain]),
        version=settings.get("version", ""),
        default_language=default_language or (languages[0] if languages else plain),
        languages=tuple(languages or [plain]),
        easy_languages=tuple(easy_languages),
        pages=tuple(p for p in pages if p.questions),
        choices=choice_dict,
    )
    return ImportResult(questionnaire, tuple(state.warnings))


def _and(outer: str | None, inner: str | None) -> str | None:
    if outer and inner:
        return f"({outer}) and ({inner})"
    return outer or inner


def _title(settings: dict[str, str], fallback: str, languages: list[str]) -> Labels:
    """``form_title::Français (fr)`` columns in settings give a translated title."""
    titles: Labels = {}
    for key, value in settings.items():
        match = re.fullmatch(r"form_title\s*::?\s*(.+)", key)
        if match and value:
            titles[language_code(match.group(1))[0]] = value
    return titles or dict.fromkeys(languages, fallback)
