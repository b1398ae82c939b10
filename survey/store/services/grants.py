"""Per-consultation grants: the one answer to "may this user act as ROLE on this consultation?".

Why: a policy lab runs consultations for several public bodies, so an analyst, a coordinator or an
interviewer works on the consultations given to them and on no other. The rule, everywhere (web
guards, JSON APIs, HTTP Basic staff APIs, the CLI's ``--as``):

- an **admin** is global: may act in every role on every consultation, and takes no grant;
- an **analyst** or a **coordinator** acts on a consultation when a row of ``consultation_grants``
  gives that role to the account *and* the account still holds that role (an analyst turned
  coordinator keeps the rows, for the record, but no analyst rights);
- an **interviewer** acts on a consultation when assigned to it: the field app's
  ``field_assignments`` row is the interviewer's grant (the tablets already download exactly the
  assigned consultations), so ``grant(role=INTERVIEWER)`` writes an assignment and ``revoke`` removes it;
- an inactive account may do nothing.

Every change is audited in the caller's transaction. The field table is named as a plain table (as
in ``erasure.py``) because the store must not import the field app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, column, delete, exists, select, table
from sqlalchemy.orm import Session

from survey.store.errors import NotFoundError, StoreError
from survey.store.models import Consultation, Grant, Role, User, utcnow
from survey.store.models._base import UTCDateTime
from survey.store.services.audit import record

__all__ = [
    "GRANTABLE",
    "GrantInfo",
    "all_grants",
    "consultations_for",
    "grant",
    "grants_of",
    "grants_on",
    "may",
    "revoke",
]

GRANTABLE = (Role.ANALYST, Role.COORDINATOR, Role.INTERVIEWER)
"""Roles given per consultation; ``Role.ADMIN`` is global and cannot be granted."""

ASSIGNMENT = "assignment"
"""``granted_by`` of an interviewer grant: assignments do not record who made them (the audit log does)."""

_ASSIGNMENTS = table(
    "field_assignments",
    column("id", Integer()),
    column("user_id", Integer()),
    column("consultation_id", Integer()),
    column("created_at", UTCDateTime()),
)


@dataclass(frozen=True)
class GrantInfo:
    """One grant as callers see it, whichever table holds it."""

    user_id: int
    username: str
    consultation_id: int
    slug: str
    role: Role
    granted_by: str
    granted_at: dt.datetime


def _grantable(role: Role) -> Role:
    role = Role(role)
    if role not in GRANTABLE:
        raise StoreError(f"role: '{role}' is global and is not granted per consultation")
    return role


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"user: no user {user_id}")
    return user


def _consultation(session: Session, consultation_id: int) -> Consultation:
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFoundError(f"consultation: no consultation {consultation_id}")
    return consultation


def _audit(session: Session, action: str, user: User, consultation: Consultation, role: Role,
           by: str, by_id: int | None) -> None:  # fmt: skip
    record(
        session,
        actor=by,
        actor_id=by_id,
        action=action,
        entity="grant",
        entity_id=f"{user.id}:{consultation.id}:{role.value}",
        details={"user": user.username, "consultation": consultation.slug, "role": role.value},
    )


def _held(session: Session, user_id: int, consultation_id: int, role: Role) -> bool:
    if role is Role.INTERVIEWER:
        where = (_ASSIGNMENTS.c.user_id == user_id) & (_ASSIGNMENTS.c.consultation_id == consultation_id)
        return bool(session.scalar(select(exists().where(where))))
    where = (
        (Grant.user_id == user_id) & (Grant.consultation_id == consultation_id) & (Grant.role == role.value)
    )
    return bool(session.scalar(select(exists().where(where))))


def grant(
    session: Session, *, user_id: int, consultation_id: int, role: Role, by: str, by_id: int | None = None
) -> bool:
    """Give ``role`` on the consultation to the account; True if new, False if it was already held.

    The account must hold ``role`` itself (grants say *where*, the account's role says *what*), so a
    coordinator cannot be made an analyst of one consultation by a grant.
    """
    role = _grantable(role)
    user, consultation = _user(session, user_id), _consultation(session, consultation_id)
    if user.role != role.value:
        raise StoreError(
            f"role: '{user.username}' is {user.role}, not {role.value}; change the account's role first"
        )
    if _held(session, user.id, consultation.id, role):
        return False
    if role is Role.INTERVIEWER:
        session.execute(
            _ASSIGNMENTS.insert().values(
                user_id=user.id, consultation_id=consultation.id, created_at=utcnow()
            )
        )
    else:
        session.add(Grant(user_id=user.id, consultation_id=consultation.id, role=role.value, granted_by=by))
    session.flush()
    _audit(session, "grant", user, consultation, role, by, by_id)
    return True


def revoke(
    session: Session, *, user_id: int, consultation_id: int, role: Role, by: str, by_id: int | None = None
) -> bool:
    """Take ``role`` on the consultation away; True if a grant was removed, False if there was none."""
    role = _grantable(role)
    user, consultation = _user(session, user_id), _consultation(session, consultation_id)
    if role is Role.INTERVIEWER:
        statement = delete(_ASSIGNMENTS).where(
            _ASSIGNMENTS.c.user_id == user.id, _ASSIGNMENTS.c.consultation_id == consultation.id
        )
    else:
        statement = delete(Grant).where(
            Grant.user_id == user.id, Grant.consultation_id == consultation.id, Grant.role == role.value
        )
    removed = bool(session.execute(statement).rowcount > 0)  # type: ignore[attr-defined]
    if removed:
        _audit(session, "revoke", user, consultation, role, by, by_id)
    return removed


def _listed(session: Session, *, user_id: int | None, consultation_id: int | None) -> list[GrantInfo]:
    staff = select(Grant.user_id, User.username, Grant.consultation_id, Consultation.slug, Grant.role,
                   Grant.granted_by, Grant.granted_at)  # fmt: skip
    staff = staff.join(User, User.id == Grant.user_id).join(
        Consultation, Consultation.id == Grant.consultation_id
    )
    field = select(_ASSIGNMENTS.c.user_id, User.username, _ASSIGNMENTS.c.consultation_id, Consultation.slug,
                   _ASSIGNMENTS.c.created_at).select_from(_ASSIGNMENTS)  # fmt: skip
    field = field.join(User, User.id == _ASSIGNMENTS.c.user_id).join(
        Consultation, Consultation.id == _ASSIGNMENTS.c.consultation_id
    )
    if user_id is not None:
        staff, field = staff.where(Grant.user_id == user_id), field.where(_ASSIGNMENTS.c.user_id == user_id)
    if consultation_id is not None:
        staff = staff.where(Grant.consultation_id == consultation_id)
        field = field.where(_ASSIGNMENTS.c.consultation_id == consultation_id)
    found = [GrantInfo(u, n, c, s, Role(r), b, t) for u, n, c, s, r, b, t in session.execute(staff)]
    found += [
        GrantInfo(u, n, c, s, Role.INTERVIEWER, ASSIGNMENT, t) for u, n, c, s, t in session.execute(field)
    ]
    return sorted(found, key=lambda g: (g.username, g.slug, g.role.value))


def grants_of(session: Session, user_id: int) -> list[GrantInfo]:
    """Every grant an account holds (interviewer assignments included), by consultation."""
    return _listed(session, user_id=user_id, consultation_id=None)


def grants_on(session: Session, consultation_id: int) -> list[GrantInfo]:
    """Every grant on one consultation, by user name."""
    return _listed(session, user_id=None, consultation_id=consultation_id)


def all_grants(session: Session) -> list[GrantInfo]:
    """Every grant in the store (for ``survey grant list`` and the admin console)."""
    return _listed(session, user_id=None, consultation_id=None)


def may(session: Session, user: User, consultation_id: int, role: Role) -> bool:
    """May ``user`` act as ``role`` on the consultation? Admins always; others by grant (see module)."""
    if not user.active:
        return False
    if user.role == Role.ADMIN.value:
        return True
    role = Role(role)
    if role is Role.ADMIN or user.role != role.value:
        return False
    return _held(session, user.id, consultation_id, role)


def consultations_for(session: Session, user: User, role: Role) -> list[Consultation]:
    """The consultations ``user`` may act on as ``role``, oldest first: all of them for an admin."""
    query = select(Consultation).order_by(Consultation.id)
    role = Role(role)
    if not user.active:
        return []
    if user.role == Role.ADMIN.value:
        return list(session.scalars(query))
    if role is Role.ADMIN or user.role != role.value:
        return []
    if role is Role.INTERVIEWER:
        held = select(_ASSIGNMENTS.c.consultation_id).where(_ASSIGNMENTS.c.user_id == user.id)
    else:
        held = select(Grant.consultation_id).where(Grant.user_id == user.id, Grant.role == role.value)
    return list(session.scalars(query.where(Consultation.id.in_(held))))
