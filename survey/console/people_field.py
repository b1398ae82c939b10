"""What the console's people and quota pages need from the field app, as a port.

Why a port: the field rules (only interviewers are assigned; quotas are read after the adaptive
plan re-planned them) live in ``field_app``, which builds on ``survey``; ``survey`` may know it only
where the product is assembled (``survey/app.py``). The app puts an implementation
(``field_app.console_ops.FieldConsoleOps``) in its state; the console pages call it through this
protocol, so the rules stay the field app's own (the writes themselves are store services).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from litestar.connection import ASGIConnection
from sqlalchemy.orm import Session

from survey.store.models import Consultation, User


@dataclass(frozen=True)
class QuotaLine:
    """One quota cell as the editor shows it: the target and how many counted responses have it."""

    variable: str
    category: str
    target: int
    done: int = 0
    words: str = ""


class FieldOps(Protocol):
    """The field app's writes and reads the console uses (each write audited by the field app)."""

    def assignments(self, session: Session, user: User) -> list[Consultation]: ...

    def assign(self, session: Session, user: User, consultation: Consultation, *, actor: str) -> None: ...

    def unassign(self, session: Session, user: User, consultation: Consultation, *, actor: str) -> None: ...

    def revoke_device(
        self, session: Session, device_id: int, *, actor: str, actor_id: int | None
    ) -> None: ...

    def quotas(self, session: Session, consultation: Consultation, lang: str) -> list[QuotaLine]: ...

    def set_quotas(
        self, session: Session, consultation: Consultation, lines: list[QuotaLine], *, actor: str
    ) -> None: ...


def field_ops(connection: ASGIConnection[Any, Any, Any, Any]) -> FieldOps:
    """The field operations the app was assembled with."""
    ops: FieldOps = connection.app.state.console_field
    return ops
