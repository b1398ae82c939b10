"""What the people, audit, invitation, target and quota pages share: who may, and reading form fields."""

from __future__ import annotations

from litestar.exceptions import PermissionDeniedException

from survey.store.models import Role, User


def admin_only(user: User) -> None:
    """Staff accounts and devices span every consultation: only an admin manages them."""
    if user.role != Role.ADMIN.value:
        raise PermissionDeniedException("only an admin manages staff accounts")


def field_text(form_value: object, limit: int = 300) -> str:
    """A posted text field as one stripped string (a file posted in its place reads as empty)."""
    return form_value.strip()[:limit] if isinstance(form_value, str) else ""
