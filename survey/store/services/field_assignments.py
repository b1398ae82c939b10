"""Which interviewers collect for which consultation: the field assignment is an interviewer's grant.

The field API, the console's people pages and ``survey device assign`` all change assignments here,
so each change is audited once, the same way.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey.store.models import Consultation, FieldAssignment, Role, User
from survey.store.services.audit import record


def assign(session: Session, user: User, consultation: Consultation, *, actor: str) -> None:
    """Idempotent: assigning twice keeps one row."""
    exists = session.scalar(
        select(FieldAssignment.id).where(
            FieldAssignment.user_id == user.id, FieldAssignment.consultation_id == consultation.id
        )
    )
    if exists is None:
        session.add(FieldAssignment(user_id=user.id, consultation_id=consultation.id))
        session.flush()
        record(session, actor=actor, action="assign", entity="consultation", entity_id=consultation.id,
               details={"interviewer": user.username})  # fmt: skip


def unassign(session: Session, user: User, consultation: Consultation, *, actor: str) -> None:
    """Withdraw an interviewer from a consultation: the next sync no longer offers it."""
    gone = session.execute(
        delete(FieldAssignment).where(
            FieldAssignment.user_id == user.id, FieldAssignment.consultation_id == consultation.id
        )
    )
    if gone.rowcount:  # type: ignore[attr-defined]
        record(session, actor=actor, action="unassign", entity="consultation", entity_id=consultation.id,
               details={"interviewer": user.username})  # fmt: skip


def assigned_consultations(session: Session, user_id: int) -> list[Consultation]:
    """Consultations an interviewer was assigned to, oldest first."""
    return list(
        session.scalars(
            select(Consultation)
            .join(FieldAssignment, FieldAssignment.consultation_id == Consultation.id)
            .where(FieldAssignment.user_id == user_id)
            .order_by(Consultation.id)
        )
    )


def interviewer_named(session: Session, username: str) -> User | None:
    """The interviewer account of this name, or None (no such account, or another role)."""
    user = session.scalar(select(User).where(User.username == username))
    return user if user is not None and user.role == Role.INTERVIEWER.value else None
