"""The audit trail: one helper so every service records changes the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, or_, select
from sqlalchemy.orm import Session

from survey.store.models import AuditEntry, TargetSet, User


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


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page narrows to; every field optional. ``consultations`` limits a project lead
    to the consultations granted to them (None: no limit, for admins)."""

    actor: str = ""
    action: str = ""
    consultation_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    consultations: frozenset[int] | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, newest first, and whether more follow."""

    entries: list[AuditEntry]
    page: int
    more: bool


AUDIT_PAGE_SIZE = 50


def _about(consultations: Collection[int]) -> ColumnElement[bool]:
    """Entries about these consultations: the consultation itself, or one of its target sets."""
    ids = sorted(consultations)
    target_sets = select(cast(TargetSet.id, String)).where(TargetSet.consultation_id.in_(ids))
    return or_(
        and_(AuditEntry.entity == "consultation", AuditEntry.entity_id.in_([str(i) for i in ids])),
        and_(AuditEntry.entity == "target_set", AuditEntry.entity_id.in_(target_sets)),
    )


def _conditions(wanted: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.actor:
        conditions.append(AuditEntry.actor == wanted.actor)
    if wanted.action:
        conditions.append(AuditEntry.action == wanted.action)
    if wanted.consultation_id is not None:
        conditions.append(_about({wanted.consultation_id}))
    if wanted.consultations is not None:
        conditions.append(_about(wanted.consultations))
    if wanted.since is not None:
        conditions.append(AuditEntry.at >= dt.datetime.combine(wanted.since, dt.time(), dt.UTC))
    if wanted.until is not None:
        end = dt.datetime.combine(wanted.until + dt.timedelta(days=1), dt.time(), dt.UTC)
        conditions.append(AuditEntry.at < end)
    return conditions


def audit_page(
    session: Session, wanted: AuditFilter, page: int = 1, size: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """Entries matching ``wanted``, newest first; one more row is read to know whether a next page exists."""
    page = max(1, page)
    rows = list(
        session.scalars(
            select(AuditEntry)
            .where(*_conditions(wanted))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((page - 1) * size)
            .limit(size + 1)
        )
    )
    return AuditPage(entries=rows[:size], page=page, more=len(rows) > size)


def audit_choices(session: Session) -> tuple[list[str], list[str]]:
    """The actors and actions that occur, for the filter's drop-downs."""
    actors = list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))
    actions = list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return actors, actions


class AuditService:
    """The audit log as the console reads it: a filtered page, the filter's choices, who is who."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def page(self, wanted: AuditFilter, page: int = 1) -> AuditPage:
        """See :func:`audit_page`."""
        return audit_page(self.session, wanted, page)

    def choices(self) -> tuple[list[str], list[str]]:
        """See :func:`audit_choices`."""
        return audit_choices(self.session)

    def usernames(self) -> dict[int, str]:
        """Every account's username by id (entries name their actor by id too)."""
        return dict(self.session.execute(select(User.id, User.username)).all())
