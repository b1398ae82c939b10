"""Read .xlsx/.xls workbooks into plain rows, keeping spreadsheet row numbers for error messages."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path

from survey.questionnaire.errors import FormError, FormIssue


@dataclass(frozen=True)
class Sheet:
    """Header plus data rows; ``rows`` pairs each row with its 1-based spreadsheet number."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d%H%M")
    return str(value).strip()


def _raw_sheets(path: Path) -> dict[str, list[list[object]]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".xls":
            import xlrd  # noqa: PLC0415 - only needed for legacy files

            book = xlrd.open_workbook(str(path))
            return {s.name: [s.row_values(r) for r in range(s.nrows)] for s in book.sheets()}
        if suffix in (".xlsx", ".xlsm"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return _read_xlsx(path)
    except Exception as exc:
        raise FormError([FormIssue(path.name, None, None, f"cannot read the workbook: {exc}")]) from exc
    raise FormError([FormIssue(path.name, None, None, "expected an .xlsx or .xls XLSForm file")])


def _read_xlsx(path: Path) -> dict[str, list[list[object]]]:
    import openpyxl  # noqa: PLC0415 - imported where needed to keep CLI start-up light

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets: dict[str, list[list[object]]] = {}
    for ws in book.worksheets:
        rows: list[list[object]] = []
        blank_run = 0
        for row in ws.iter_rows(values_only=True):
            rows.append(list(row))
            blank_run = blank_run + 1 if all(c is None for c in row) else 0
            if blank_run > 200:
                break
        sheets[ws.title] = rows
    book.close()
    return sheets


def _to_sheet(name: str, raw: list[list[object]]) -> Sheet:
    header_index = next((i for i, row in enumerate(raw) if any(_cell_text(c) for c in row)), None)
    if header_index is None:
        return Sheet(name, (), ())
    header = tuple(_cell_text(c) for c in raw[header_index])
    issues: list[FormIssue] = []
    seen: dict[str, int] = {}
    for position, column in enumerate(header):
        if not column:
            continue
        if column in seen:
            issues.append(
                FormIssue(
                    name,
                    header_index + 1,
                    column,
                    f"column appears twice (columns {seen[column] + 1} and {position + 1})",
                )
            )
        seen[column] = position
    if issues:
        raise FormError(issues)
    rows = []
    for offset, row in enumerate(raw[header_index + 1 :], start=header_index + 2):
        values = {header[i]: _cell_text(cell) for i, cell in enumerate(row) if i < len(header) and header[i]}
        if any(values.values()):
            rows.append((offset, values))
    return Sheet(name, header, tuple(rows))


def read_workbook(path: Path) -> dict[str, Sheet]:
    """All sheets by lower-cased name; a lone unnamed sheet is taken as ``survey`` (as pyxform does)."""
    raw = _raw_sheets(path)
    sheets = {name.strip().lower(): _to_sheet(name, rows) for name, rows in raw.items()}
    if "survey" not in sheets and len(sheets) == 1:
        only = next(iter(sheets.values()))
        sheets = {"survey": only}
    return sheets
