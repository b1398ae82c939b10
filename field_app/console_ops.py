"""The field app's side of the console's port (``survey.console.people_field.FieldOps``).

Each method calls the field app's own rule (``assign``, ``revoke_device``, ``set_quotas``,
``quota_cells``), so the console and ``survey device`` / ``survey quota`` share one service.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.reports import quota_cells
from field_app.schemas import QuotaCell
from survey.console.people_field import QuotaLine
from survey.store.errors import StoreError
from survey.store.models import Consultation, Role, User
from survey.store.services.field_assignments import assign, assigned_consultations, unassign
from survey.store.services.field_devices import revoke_device
from survey.store.services.field_quotas import set_quotas


def interviewer(session: Session, username: str) -> User:
    """The interviewer account named, or StoreError naming it."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.role != Role.INTERVIEWER.value:
        raise StoreError(f"no interviewer '{username}'")
    return user


class FieldConsoleOps:
    """The implementation the app puts in its state as ``console_field``."""

    def assignments(self, session: Session, user: User) -> list[Consultation]:
        return assigned_consultations(session, user.id)

    def assign(self, session: Session, user: User, consultation: Consultation, *, actor: str) -> None:
        if user.role != Role.INTERVIEWER.value:
            raise StoreError(f"'{user.username}' is not an interviewer")
        assign(session, user, consultation, actor=actor)

    def unassign(self, session: Session, user: User, consultation: Consultation, *, actor: str) -> None:
        unassign(session, user, consultation, actor=actor)

    def revoke_device(self, session: Session, device_id: int, *, actor: str, actor_id: int | None) -> None:
        revoke_device(session, device_id, actor=actor, actor_id=actor_id)

    def quotas(self, session: Session, consultation: Consultation, lang: str) -> list[QuotaLine]:
        return [
            QuotaLine(c.variable, c.category, c.target, c.done, c.labels.get(lang, ""))
            for c in quota_cells(session, consultation)
        ]

    def set_quotas(
        self, session: Session, consultation: Consultation, lines: list[QuotaLine], *, actor: str
    ) -> None:
        cells = [QuotaCell(variable=q.variable, category=q.category, target=q.target) for q in lines]
        set_quotas(session, consultation, cells, actor=actor)
