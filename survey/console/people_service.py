"""What the console's people pages ask of the store, on the request's session.

The people, grant and reset-link controllers receive a :class:`PeopleService` (dependency
``people_service``) and never the session. The rules stay where the CLI finds them too: accounts
in ``UserService``, grants in ``grants``, reset links in ``password_reset``, assignments and
devices in the field app (reached through the :class:`FieldOps` port the app was assembled with).
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException
from sqlalchemy.orm import Session

from survey.console import guards
from survey.console.guards import MANAGE
from survey.console.people_field import FieldOps
from survey.http.session_store import SessionStore
from survey.store.models import Consultation, Device, Role, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.password_reset import (
    ResetLink,
    issue_reset_link,
    redeem_reset_link,
    reset_link_user,
)
from survey.store.services.people import StaffRow, devices_of, staff
from survey.store.services.users import UserService

GRANTED_ROLES = (Role.ANALYST.value, Role.COORDINATOR.value)


class PeopleService:
    """Staff accounts, their grants, assignments, devices and reset links, as the console changes them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.users = UserService(session)

    def user(self, user_id: int) -> User:
        """The account with this id (404 for any other number)."""
        user = self.session.get(User, user_id) if 0 < user_id < 2**31 else None
        if user is None:
            raise NotFoundException(f"no staff account {user_id}")
        return user

    def staff(self) -> list[StaffRow]:
        """Every staff account, as the list shows them."""
        return staff(self.session)

    def detail(self, user: User, ops: FieldOps) -> dict[str, Any]:
        """What one account's page shows besides the account: assignments, devices, grants."""
        assigned = ops.assignments(self.session, user) if user.role == Role.INTERVIEWER.value else []
        others = [c for c in ConsultationService(self.session).list() if c.id not in {a.id for a in assigned}]
        return {"devices": devices_of(self.session, user), "assigned": assigned, "others": others,
                **self.grant_context(user)}  # fmt: skip

    def grant_context(self, user: User) -> dict[str, Any]:
        """The account's grants and the consultations to add (only analysts and coordinators hold grants)."""
        if user.role not in GRANTED_ROLES:
            return {"granted": [], "grantable": []}
        held = [g for g in grants.grants_of(self.session, user.id) if g.role.value == user.role]
        taken = {g.consultation_id for g in held}
        others: list[Consultation] = [
            c for c in ConsultationService(self.session).list() if c.id not in taken
        ]
        return {"granted": held, "grantable": others}

    def consultation_for(self, user: User, slug: str, right: str = MANAGE) -> Consultation:
        """The consultation named once ``user`` holds ``right`` on it (see :func:`guards.consultation_for`)."""
        return guards.consultation_for(self.session, user, slug, right)

    def find_consultation(self, slug: str) -> Consultation | None:
        return ConsultationService(self.session).find(slug)

    def change_grant(self, person: User, consultation: Consultation, *, remove: bool, actor: User) -> None:
        """Grant the account's own role on the consultation, or withdraw it (audited by the service)."""
        change = grants.revoke if remove else grants.grant
        change(self.session, user_id=person.id, consultation_id=consultation.id, role=Role(person.role),
               by=actor.username, by_id=actor.id)  # fmt: skip

    def own_device(self, person: User, device_id: int) -> bool:
        """Whether the device exists and is this account's."""
        device = self.session.get(Device, device_id) if 0 < device_id < 2**31 else None
        return device is not None and device.user_id == person.id

    def assign(
        self, ops: FieldOps, person: User, consultation: Consultation, *, remove: bool, actor: str
    ) -> None:
        """Assign the interviewer to the consultation, or take the assignment away (the field app's rule)."""
        if remove:
            ops.unassign(self.session, person, consultation, actor=actor)
        else:
            ops.assign(self.session, person, consultation, actor=actor)

    def revoke_device(self, ops: FieldOps, device_id: int, *, actor: User) -> None:
        ops.revoke_device(self.session, device_id, actor=actor.username, actor_id=actor.id)

    def end_sessions(self, sessions: SessionStore, user_id: int) -> None:
        """End every staff session of the account (in the store, or in Redis when the app keeps them there)."""
        sessions.end_all(self.session, user_id)

    def issue_reset_link(self, person: User, *, secret: str, actor: str) -> ResetLink:
        return issue_reset_link(self.session, person.username, secret=secret, actor=actor)

    def reset_link_user(self, token: str, *, secret: str) -> User:
        """The account a reset link opens, or ResetLinkError."""
        return reset_link_user(self.session, token, secret=secret)

    def redeem_reset_link(self, token: str, password: str, *, secret: str) -> User:
        return redeem_reset_link(self.session, token, password, secret=secret)

    def rollback(self) -> None:
        """Forget a refused write, so the page drawn next shows the store as it was."""
        self.session.rollback()
