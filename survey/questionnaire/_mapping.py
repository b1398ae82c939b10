"""One XLSForm import in progress: issues and warnings as found, labels by language code, expressions checked.

Kept apart from the tree walk in ``xlsform.py``: this is the bookkeeping every row shares (where a
problem is, which names exist, which expressions wait for all names to be known).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.questionnaire import _pyxform
from survey.questionnaire._choice_files import read_choice_file
from survey.questionnaire._columns import language_code
from survey.questionnaire.errors import ExpressionError, FormIssue
from survey.questionnaire.expressions import parse
from survey.questionnaire.model import Choice, Labels

_PARENT_REF = re.compile(r"(?<![\w./])\.\./([A-Za-z_][A-Za-z0-9_.\-]*)")
_SPREADSHEET_BOOLEANS = {"TRUE": "true()", "FALSE": "false()"}
_CHOICE_KEYS = {"name", "label", "media", "image", "audio", "video", "big-image", "sms_option", "__row"}
_XPATH_FUNCTIONS = {
    "regex", "round", "today", "now", "once", "date", "date-time", "decimal-date-time", "format-date",
    "format-date-time", "jr:choice-name", "indexed-repeat", "position", "count", "sum", "max", "min",
    "pow", "substr", "substring-before", "substring-after", "translate", "normalize-space", "uuid",
    "random", "selected-at", "join", "area", "distance", "pulldata", "digest", "base64-decode",
    "checklist", "weighted-checklist", "true", "false", "floor", "ceiling", "abs", "log", "exp",
    "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "pi", "lower-case", "upper-case", "string-length", "boolean-from-string",
}  # fmt: skip


@dataclass
class Mapper:
    """One import: pyxform's JSON walked in document order, issues collected as they are found."""

    read: _pyxform.Read
    plain: str
    folder: Path
    allow_location: bool = False
    filter_columns: set[str] = field(default_factory=set)
    issues: list[FormIssue] = field(default_factory=list)
    warnings: list[FormIssue] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    easy_languages: list[str] = field(default_factory=list)
    seen: dict[str, int | None] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    metadata: set[str] = field(default_factory=set)
    pending: list[tuple[int | None, str, str, bool]] = field(default_factory=list)

    @property
    def sheet(self) -> str:
        return self.read.survey_sheet

    def error(self, row: int | None, column: str | None, message: str, sheet: str | None = None) -> None:
        self.issues.append(FormIssue(sheet or self.sheet, row, column, message))

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        self.warnings.append(FormIssue(self.sheet, row, column, message))

    def labels(self, value: object, *, counted: bool = False) -> tuple[Labels, Labels]:
        """pyxform's ``label`` (a string, or ``{language: text}``) as normal and easy-read labels by code.

        ``counted``: the languages of question and group labels are the form's languages (as the survey
        sheet's label columns were); a language only choices or hints use is not offered on its own.
        """
        if value is None or value == "":
            return {}, {}
        items = value.items() if isinstance(value, dict) else [("default", value)]
        normal: Labels = {}
        easy: Labels = {}
        for language, text in items:
            if not isinstance(text, str) or not text.strip():
                continue
            code, is_easy = (self.plain, False) if language == "default" else language_code(str(language))
            (easy if is_easy else normal).setdefault(code, text)
            known = self.easy_languages if is_easy else self.languages
            if counted and code not in known:
                known.append(code)
        return normal, easy

    def texts(self, value: object) -> Labels:
        return self.labels(value)[0]

    def expression(self, row: int | None, column: str, source: object) -> str | None:
        """An expression as the platform's evaluator reads it; checked once all names are known."""
        if not isinstance(source, str) or not source.strip():
            return None
        text = _PARENT_REF.sub(r"${\1}", source.strip())
        text = _SPREADSHEET_BOOLEANS.get(text.upper(), text)  # a cell Excel turned into a boolean
        self.pending.append((row, column, text, column == "choice_filter"))
        return text


def choices_from_sheet(
    mapper: Mapper, lists: dict[str, list[dict[str, Any]]]
) -> tuple[dict[str, tuple[Choice, ...]], set[str]]:
    choices: dict[str, tuple[Choice, ...]] = {}
    filter_columns: set[str] = set()
    for list_name, options in lists.items():
        made = []
        for option in options:
            labels, easy = mapper.labels(option.get("label"))
            filters = {
                str(k): str(v)
                for k, v in option.items()
                if k not in _CHOICE_KEYS and not isinstance(v, dict) and v
            }
            filter_columns.update(filters)
            made.append(
                Choice(name=str(option.get("name", "")), labels=labels, easy_labels=easy, filters=filters)
            )
        choices[str(list_name)] = tuple(made)
    return choices, filter_columns


def choices_from_file(
    mapper: Mapper,
    row: int | None,
    file_name: str,
    parameters: dict[str, str],
    choices: dict[str, tuple[Choice, ...]],
) -> None:
    options, problems = read_choice_file(mapper.folder, file_name, parameters, mapper.labels)
    for problem in problems:
        if problem.row is None:  # the file as a whole: point at the row that asked for it
            mapper.error(row, "type", problem.message)
        else:
            mapper.issues.append(problem)
    if options:
        choices[file_name] = options
        mapper.filter_columns.update(column for choice in options for column in choice.filters)


def check_expressions(mapper: Mapper, filter_columns: set[str]) -> None:
    """Every expression parses and names only questions of the form (or choice columns, in a filter)."""
    for row, column, source, is_filter in mapper.pending:
        try:
            expression = parse(source)
        except ExpressionError as exc:
            function = re.match(r"unknown function '([^']+)'", str(exc))
            if "instance(" in source:
                mapper.error(
                    row, column, f"instance() lookups into choice lists are not supported (in {source!r})"
                )
            elif function and function.group(1) in _XPATH_FUNCTIONS:
                mapper.error(
                    row, column, f"function '{function.group(1)}()' is not supported (in {source!r})"
                )
            else:
                mapper.error(row, column, f"invalid expression {source!r}: {exc}")
            continue
        for ref in sorted(expression.references - set(mapper.seen) - mapper.refused):
            if ref in mapper.metadata:
                mapper.error(
                    row, column, f"expression reads ${{{ref}}}, metadata the platform does not record"
                )
            else:
                mapper.error(row, column, f"expression refers to unknown question ${{{ref}}}")
        if is_filter:
            for col in sorted(expression.columns - filter_columns - {"name"}):
                mapper.warn(row, column, f"{col!r} is not a column of the choices sheet: it reads as empty")
            continue
        for col in sorted(
            expression.columns - {"null"}
        ):  # ODK reads null, a node that never exists, as empty
            mapper.error(row, column, f"unknown name {col!r} (write ${{{col}}} to refer to a question)")
