"""What the people, audit, invitation, target and quota pages share: who may, and which consultation."""

from __future__ import annotations

from litestar.exceptions import PermissionDeniedException
from sqlalchemy.orm import Session

from survey.console import guards
from survey.console.guards import MANAGE
from survey.store.models import Consultation, Role, User


def admin_only(user: User) -> None:
    """Staff accounts and devices span every consultation: only an admin manages them."""
    if user.role != Role.ADMIN.value:
        raise PermissionDeniedException("only an admin manages staff accounts")


def consultation_for(session: Session, user: User, slug: str, right: str = MANAGE) -> Consultation:
    """The consultation named, once ``user`` holds ``right`` on it.

    One answer for "unknown" and "not yours" (404, worded alike, as docs/roles.md rules), so that a
    project lead cannot learn which other consultations the lab runs.
    """
    return guards.consultation_for(session, user, slug, right)  # 403 for a role that never may


def field_text(form_value: object, limit: int = 300) -> str:
    """A posted text field as one stripped string (a file posted in its place reads as empty)."""
    return form_value.strip()[:limit] if isinstance(form_value, str) else ""
