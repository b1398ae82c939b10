"""The audit trail: one helper so every service records changes the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from survey.store.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    actor_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit row in the caller's transaction, so the change and its record commit together."""
    session.add(
        AuditEntry(
            actor=actor,
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            details=details or {},
        )
    )
