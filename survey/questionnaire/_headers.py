"""First rows of a workbook's sheets, read directly: to say which header is wrong when pyxform cannot.

pyxform names a duplicated header without its sheet, and stops with an internal error (``'float'
object has no attribute 'strip'``) on a header that is a number; both are found again here and
reported with sheet, row and column.
"""

from __future__ import annotations

from pathlib import Path

from survey.questionnaire.errors import FormIssue


def duplicate_headers(path: Path, message: str) -> list[FormIssue]:
    """pyxform names a duplicated header but not its sheet; look at each sheet's first row to say which."""
    column = message.strip()
    found: list[FormIssue] = []
    try:
        for sheet, header in first_rows(path):
            if header.count(column) > 1:
                positions = [i + 1 for i, h in enumerate(header) if h == column]
                found.append(
                    FormIssue(
                        sheet, 1, column, f"column appears twice (columns {positions[0]} and {positions[1]})"
                    )
                )
    except Exception:  # an unreadable file still gets pyxform's own sentence below
        found = []
    return found or [FormIssue(path.name, 1, column, "column appears twice")]


def first_rows(path: Path) -> list[tuple[str, list[str]]]:
    if path.suffix.lower() == ".xls":
        import xlrd  # noqa: PLC0415 - only for legacy files

        book = xlrd.open_workbook(str(path))
        return [(s.name, [str(v).strip() for v in s.row_values(0)]) for s in book.sheets() if s.nrows]
    import openpyxl  # noqa: PLC0415 - only when pyxform reported a duplicated header

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = []
    for ws in book.worksheets:
        first = next(ws.iter_rows(max_row=1, values_only=True), ())
        rows.append((ws.title, [str(v).strip() if v is not None else "" for v in first]))
    book.close()
    return rows


def header_issues(path: Path) -> list[FormIssue]:
    """Header cells that are not text (a number, a date): pyxform cannot read a sheet that has one."""
    found: list[FormIssue] = []
    try:
        for sheet, header in raw_first_rows(path):
            for position, value in enumerate(header, start=1):
                if value is not None and not isinstance(value, str):
                    found.append(
                        FormIssue(
                            sheet, 1, _letter(position), f"a column header must be text, found {value!r}"
                        )
                    )
    except Exception:  # the file cannot be opened at all: the caller says so in pyxform's words
        return []
    return found


def raw_first_rows(path: Path) -> list[tuple[str, list[object]]]:
    """Each sheet's first row as stored (numbers stay numbers); empty cells are None."""
    if path.suffix.lower() == ".xls":
        import xlrd  # noqa: PLC0415 - only for legacy files

        book = xlrd.open_workbook(str(path))
        text = xlrd.XL_CELL_TEXT
        return [
            (s.name, [c.value if c.ctype == text else (None if c.ctype == 0 else c.value) for c in s.row(0)])
            for s in book.sheets()
            if s.nrows
        ]
    import openpyxl  # noqa: PLC0415 - only when pyxform could not read the workbook

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [(ws.title, list(next(ws.iter_rows(max_row=1, values_only=True), ()))) for ws in book.worksheets]
    book.close()
    return rows


def _letter(position: int) -> str:
    """The spreadsheet's column letter (1 → A, 27 → AA), since a bad header has no usable name."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
