"""Domain errors the store raises; the web layer maps each to one HTTP status, the CLI to an exit code."""

from __future__ import annotations

from typing import Any, ClassVar

from survey.questionnaire.validation import FieldError


def first_line(exc: BaseException) -> str:
    """An exception's message as one line (a database error runs on with SQL and hints): for logs and CLI errors."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class StoreError(Exception):
    """Base of every store error; the message is safe to show to the user."""


class NotFoundError(StoreError):
    """The consultation, version or response named does not exist."""


class ConflictError(StoreError):
    """The same client UUID arrived again with different content (never overwritten)."""


class UnavailableError(StoreError):
    """The database could not store the request now; nothing of it was stored, so a retry is safe."""


class ImmutableError(StoreError):
    """Something answered or published may not change."""


class InvalidAnswersError(StoreError):
    """Answers failed validation; ``errors`` lists every field and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.question}: {e.message}" for e in errors))


class TargetProblem(str):
    """One thing wrong with a targets file: reads as its English sentence, carries a code and values.

    Why a ``str``: the CLI, the JSON API and the logs print it as it is, while the workbench
    rebuilds the sentence in the analyst's language from ``code`` and ``values``.
    """

    code: str
    values: dict[str, object]

    ENGLISH: ClassVar[dict[str, str]] = {
        "header": "{where}: the header must be variable,category,share",
        "not_text": "{where}: neither UTF-8 nor Windows-1252 text (save the file as CSV UTF-8)",
        "unreadable": "{where}: not readable as CSV (a field longer than the CSV reader takes)",
        "population": "population {population} must be a number above 0",
        "no_rows": "the file has no target rows",
        "share_not_number": "{where}: share {share} is not a number",
        "crossed_mismatch": "{where}: category '{category}' does not match crossed variable '{variable}'",
        "crossed_repeat": "{where}: crossed variable '{variable}' names the same question twice",
        "crossed_empty": "{where}: '{variable}' = '{category}' has an empty part between its ':'",
        "not_single_choice": "{where}: variable '{variable}' is not a single-choice question of the questionnaire",
        "not_a_choice": "{where}: category '{category}' is not a choice of '{variable}'",
        "share_range": "{where}: share {share} must be between 0 and 1",
        "duplicate": "{where}: {variable}={category} appears twice",
        "sum_off": "variable '{variable}': shares sum to {total:.6f}, not 1",
    }
    LINE: ClassVar[str] = "line {line}"
    LINE_COLUMN: ClassVar[str] = "line {line}, column '{column}'"

    def __new__(
        cls, code: str, *, line: int = 0, row: str = "", column: str = "", **values: object
    ) -> TargetProblem:
        """``line`` places the problem in the file, with ``column`` when one cell is at fault;
        without a line, ``row`` (``sex=F``) does."""
        where = (cls.LINE_COLUMN if column else cls.LINE).format(line=line, column=column) if line else row
        problem = super().__new__(cls, cls.ENGLISH[code].format(where=where, **values))
        problem.code, problem.values = code, {"line": line, "row": row, "column": column, **values}
        return problem

    def __reduce__(self) -> tuple[Any, ...]:
        """Copies and pickles rebuild the problem from its code and values, not from its sentence."""
        values = dict(self.values)
        return (
            _rebuild_problem,
            (self.code, values.pop("line"), values.pop("row"), values.pop("column", ""), values),
        )


def _rebuild_problem(code: str, line: int, row: str, column: str, values: dict[str, Any]) -> TargetProblem:
    return TargetProblem(code, line=line, row=row, column=column, **values)


class TargetsInvalidError(StoreError):
    """Uploaded targets do not fit the questionnaire; ``problems`` names each row."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class AuthError(StoreError):
    """Wrong credentials, an inactive account or a revoked device."""


class InvitationError(StoreError):
    """An invitation-only consultation got no code, an unknown code, or a code already used.

    ``reason`` (``missing``, ``unknown`` or ``used``) lets the citizen pages say it in the reader's language.
    """

    def __init__(self, message: str, reason: str = "unknown") -> None:
        self.reason = reason
        super().__init__(message)
