"""Domain errors the store raises; the web layer maps each to one HTTP status, the CLI to an exit code."""

from __future__ import annotations

from survey.questionnaire.validation import FieldError


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
