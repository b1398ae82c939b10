"""Errors of the questionnaire layer, shaped so a form author can find the faulty cell."""

from __future__ import annotations

from dataclasses import dataclass


class ExpressionError(ValueError):
    """An expression cannot be parsed or evaluated; the message names the position."""


@dataclass(frozen=True)
class FormIssue:
    """One problem in an XLSForm, located the way a spreadsheet user looks for it."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class FormError(ValueError):
    """The form cannot be imported; carries every issue found, not only the first."""

    def __init__(self, issues: list[FormIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))
