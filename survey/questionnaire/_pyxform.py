"""pyxform reads the workbook; this module turns what it says into located :class:`FormIssue` records.

pyxform knows every spelling of XLSForm (column aliases, type aliases, ``select all that apply``,
smart quotes, unnamed notes, old .xls files), so the platform does not reimplement it. Its JSON has
no row numbers, so :class:`RowIndex` finds each element's row again from pyxform's own rows, and its
errors and warnings (``[row : 7] ...``) are parsed so every message still names sheet and row.
"""

from __future__ import annotations

import copy
import re
import warnings as python_warnings
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import to_snake_case
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from survey.questionnaire._columns import language_code
from survey.questionnaire._headers import duplicate_headers, header_issues
from survey.questionnaire.errors import FormError, FormIssue

_ROW = re.compile(r"^\s*\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"On the '([^']+)' sheet")
_DUPLICATE_HEADER = re.compile(r"Duplicate column header: (.+)")
_SUFFIXES = {".xlsx": (".xlsx", ".xls"), ".xlsm": (".xlsm", ".xls"), ".xls": (".xls", ".xlsx")}
_GENERATED_NOTE = "generated_note_name_"
_MAX_ROUNDS = 25
_NO_CHOICES = "There should be a choices sheet"
_FILE_SUFFIXES = (".csv", ".xml", ".geojson")
_ABOUT_TYPE = (
    "List name not in choices sheet",
    "Unmatched",
    "Unknown question type",
    "Question with no type",
)
_COLUMN = re.compile(r"the '([^']+)' value")
_MISSING_LANGUAGE = re.compile(r"Language '([^']+)' is missing")


@dataclass
class RowIndex:
    """Where each named survey row is, so a JSON element can be traced back to its spreadsheet row.

    pyxform keeps document order except for metadata rows (moved into a ``meta`` group), so each
    name is looked up after the previous element's row first, then anywhere still unclaimed.
    """

    types: dict[int, str] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    unnamed: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    last: int = 0

    def row_of(self, name: str) -> int | None:
        """The row of the element pyxform named ``name`` (it names unnamed notes and audits itself)."""
        if name.startswith(_GENERATED_NOTE) and name[len(_GENERATED_NOTE) :].isdigit():
            return int(name[len(_GENERATED_NOTE) :])
        rows = self.by_name.get(name) or self.unnamed.get(name)
        if not rows:
            return None
        row = next((r for r in rows if r > self.last), rows[0])
        rows.remove(row)
        self.last = row
        return row


@dataclass(frozen=True)
class Read:
    """pyxform's JSON form, its warnings as issues, the survey rows' index and the sheet's real name."""

    form: dict[str, Any]
    warnings: tuple[FormIssue, ...]
    errors: tuple[FormIssue, ...]
    rows: RowIndex
    survey_sheet: str
    choices_sheet: str


def _sheet_name(definition: DefinitionData, wanted: str) -> str:
    for name in definition.sheet_names or ():
        if name.strip().lower() == wanted:
            return str(name)
    return wanted


def _column(header: dict[str, Any] | None, base: str) -> str | None:
    aliases = {"name": ("name", "value", "tag"), "type": ("type", "command")}[base]
    for key in header or {}:
        if to_snake_case(str(key)) in aliases:
            return str(key)
    return None


def _row_index(definition: DefinitionData) -> RowIndex:
    header = (definition.survey_header or [{}])[0]
    name_column, type_column = _column(header, "name"), _column(header, "type")
    index = RowIndex()
    for offset, row in enumerate(definition.survey or (), start=2):
        if type_column:
            index.types[offset] = str(row.get(type_column, "")).strip()
        name = str(row.get(name_column, "")).strip() if name_column else ""
        if name:
            index.by_name[name].append(offset)
        elif index.types.get(offset):
            index.unnamed[to_snake_case(index.types[offset])].append(offset)
    return index


def _without_easy_read(text: str) -> str:
    """Easy-read wording is partial by design (it falls back to the normal label): no warning for its gaps."""
    kept = []
    for line in str(text).splitlines():
        language = _MISSING_LANGUAGE.match(line.strip())
        if language is None or not language_code(language.group(1))[1]:
            kept.append(line)
    return "\n".join(kept)


def issue_from_pyxform(text: str, default_sheet: str, column: str | None = None) -> FormIssue:
    """A pyxform message as a located issue: ``[row : 7] On the 'choices' sheet, …`` keeps row and sheet."""
    message = " ".join(str(text).split())
    match = _ROW.match(message)
    row = int(match.group(1)) if match else None
    message = message[match.end() :] if match else message
    sheet = _SHEET.search(message)
    if row is None and message.startswith("Invalid headers"):
        row = 1
    named = _COLUMN.search(message)
    if column is None and named and row is not None:
        column = named.group(1)
    if column is None and row is not None and message.startswith(_ABOUT_TYPE):
        column = "type"
    if column is None and row is not None and message.startswith("Question or group with no name"):
        column = "name"
    return FormIssue(sheet.group(1) if sheet else default_sheet, row, column, f"pyxform: {message}")


def _definition(path: Path, file_types: tuple[str, ...], texts: list[str]) -> DefinitionData:
    """The workbook's sheets; an old .xls saved under an .xlsx name (it happens) is read as what it is."""
    data = path.read_bytes()
    for number, file_type in enumerate(file_types):
        try:
            definition = get_xlsform(data, file_type=file_type)
        except PyXFormError as exc:
            if "not recognized as a supported type" not in str(exc):
                raise
            continue
        if number:
            texts.append(f"the file is an {file_type} workbook although its name ends in {path.suffix}")
        return definition
    raise FormError([FormIssue(path.name, None, None, "cannot read the workbook: not an .xlsx or .xls file")])


def _selects_without_choices(definition: DefinitionData, sheet: str, issue: FormIssue) -> list[FormIssue]:
    """pyxform says the choices sheet is missing without a row: name each select row that needs it."""
    found = []
    for row, kind in _row_index(definition).types.items():
        words = re.sub(r"\s+or[_ ](specify[_ ])?other$", "", kind).replace("_", " ").split()
        if len(words) > 2 and words[0] == "select" and not kind.endswith(_FILE_SUFFIXES):
            found.append(
                FormIssue(
                    sheet,
                    row,
                    "type",
                    f"choice list '{words[-1]}' is not defined: the workbook has no choices sheet",
                )
            )
    return found or [issue]


def _convert(definition: DefinitionData, path: Path, texts: list[str]) -> dict[str, Any]:
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore")
        converted: dict[str, Any] = workbook_to_json(
            replace(definition, settings=copy.deepcopy(definition.settings)),
            form_name="data",
            fallback_form_name=path.stem,
            warnings=texts,
        )
    return converted


def _set_aside(definition: DefinitionData, issue: FormIssue) -> DefinitionData | None:
    """The definition without the row pyxform refused (left blank, so row numbers hold), to find more problems.

    pyxform stops at its first error; an author wants them all. A row that opens or closes a group is
    kept, since removing it would only produce errors that are not in the form.
    """
    if issue.row is None or issue.row < 2:
        return None
    sheet = "choices" if issue.sheet.strip().lower() == "choices" else "survey"
    rows = list(getattr(definition, sheet) or ())
    position = issue.row - 2
    if position >= len(rows) or not rows[position]:
        return None
    if sheet == "survey" and any(
        to_snake_case(str(v)).startswith(("begin", "end")) for v in rows[position].values()
    ):
        return None
    rows[position] = {}
    return replace(definition, **{sheet: rows})


def read(path: Path) -> Read:
    """Let pyxform read and check the workbook; raise :class:`FormError` with what pyxform said.

    Rows pyxform refuses are set aside one at a time and the rest read again, so one import reports
    every row pyxform would refuse (up to ``_MAX_ROUNDS``), not only the first.
    """
    if not path.is_file():
        raise FormError([FormIssue(path.name, None, None, "file not found")])
    file_types = _SUFFIXES.get(path.suffix.lower())
    if file_types is None:
        raise FormError([FormIssue(path.name, None, None, "expected an .xlsx or .xls XLSForm file")])
    texts: list[str] = []
    errors: list[FormIssue] = []
    try:
        with python_warnings.catch_warnings():
            python_warnings.simplefilter("ignore")
            definition = _definition(path, file_types, texts)
        survey_sheet = _sheet_name(definition, "survey")
        current: DefinitionData | None = definition
        while True:
            texts_now = list(texts)
            try:
                form = _convert(definition if current is None else current, path, texts_now)
                break
            except PyXFormError as exc:
                issue = issue_from_pyxform(str(exc), survey_sheet)
                if issue.row is None and _NO_CHOICES in str(exc):
                    raise FormError(
                        [*errors, *_selects_without_choices(definition, survey_sheet, issue)]
                    ) from exc
                errors.append(issue)
                current = _set_aside(current, issue) if current and len(errors) < _MAX_ROUNDS else None
                if current is None:
                    raise FormError(errors) from exc
        texts = texts_now
    except FormError:
        raise
    except PyXFormError as exc:
        duplicate = _DUPLICATE_HEADER.fullmatch(str(exc).strip())
        if duplicate:
            raise FormError(duplicate_headers(path, duplicate.group(1))) from exc
        raise FormError([*errors, issue_from_pyxform(str(exc), "survey")]) from exc
    except Exception as exc:  # a file pyxform cannot even open is bad input, not a crash
        found = header_issues(path) or [
            FormIssue(
                path.name, None, None, f"pyxform cannot read this workbook ({type(exc).__name__}: {exc})"
            )
        ]
        raise FormError([*errors, *found]) from exc
    return Read(
        form=form,
        warnings=tuple(issue_from_pyxform(t, survey_sheet) for t in map(_without_easy_read, texts) if t),
        errors=tuple(errors),
        rows=_row_index(definition),
        survey_sheet=survey_sheet,
        choices_sheet=_sheet_name(definition, "choices"),
    )
