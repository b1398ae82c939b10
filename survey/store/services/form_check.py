"""The report on an XLSForm: the same for ``survey form validate`` and the console's upload.

Why one place: an organiser who uploads a form in the browser must read what the command line
would have printed (every problem with its sheet, row and column, then the warnings), so both
doors build their output from :class:`FormReport`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from survey.questionnaire.errors import FormError, FormIssue

if TYPE_CHECKING:
    from survey.questionnaire.xlsform import ImportResult

SUFFIXES = (".xlsx", ".xls")
MAX_FORM_BYTES = 2 * 1024 * 1024  # a large XLSForm is a few hundred kB


@dataclass
class FormReport:
    """What checking a form found: problems (nothing can be stored), warnings, or the questionnaire."""

    name: str
    problems: list[FormIssue] = field(default_factory=list)
    warnings: list[FormIssue] = field(default_factory=list)
    result: ImportResult | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.problems

    def summary(self) -> str:
        """The last line of ``survey form validate``."""
        if self.result is None or self.problems:
            return f"{self.name}: {len(self.problems)} problem(s), nothing stored"
        q = self.result.questionnaire
        return (
            f"{self.name}: valid — {len(q.questions)} questions on {len(q.pages)} pages, "
            f"languages {', '.join(q.languages)}"
        )


def check_path(path: Path, *, allow_location: bool = False, name: str | None = None) -> FormReport:
    """Read and validate a form file; every problem is collected, nothing raised for a bad form."""
    # The XLSForm reader loads pyxform (with xlrd, openpyxl and lark): only when a form is read,
    # not in every server process at start-up (the console's routes import this module).
    from survey.questionnaire.xlsform import load_xlsform  # noqa: PLC0415

    report = FormReport(name or path.name)
    try:
        result = load_xlsform(path, allow_location=allow_location)
    except FormError as exc:
        report.problems = list(exc.issues)
        return report
    report.result = result
    report.warnings = list(result.warnings)
    return report


def check_upload(name: str, data: bytes, *, allow_location: bool = False) -> FormReport:
    """Check an uploaded workbook: name and size first, then the same reading as a file on disk.

    The file is written to a private temporary folder under its own (safe) suffix because the
    reader chooses the format by it; the folder and the file are gone when this returns.
    """
    shown = Path(name.replace("\\", "/")).name or "form.xlsx"
    suffix = Path(shown).suffix.lower()
    if suffix not in SUFFIXES:
        issue = FormIssue(
            "file", None, None, f"'{shown}' is not an XLSForm workbook: upload a .xlsx or .xls file"
        )
        return FormReport(shown, problems=[issue])
    if not data:
        return FormReport(shown, problems=[FormIssue("file", None, None, "the file is empty")])
    if len(data) > MAX_FORM_BYTES:
        limit = f"{MAX_FORM_BYTES // (1024 * 1024)} MB"
        return FormReport(shown, problems=[FormIssue("file", None, None, f"the file is larger than {limit}")])
    with tempfile.TemporaryDirectory(prefix="form-upload-") as folder:
        path = Path(folder) / f"form{suffix}"
        path.write_bytes(data)
        return check_path(path, allow_location=allow_location, name=shown)
