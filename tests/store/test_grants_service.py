"""The grants service: one answer to "may this user act as ROLE on this consultation?", audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.errors import NotFoundError, StoreError
from survey.store.models import AuditEntry, Consultation, Role, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.users import UserService

PASSWORD = "correct horse"


def _setup(session: Session) -> tuple[dict[str, User], Consultation, Consultation]:
    users = UserService(session)
    people = {
        role.value: users.create(f"{role.value}-1", PASSWORD, role, actor="test")
        for role in (Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.INTERVIEWER)
    }
    service = ConsultationService(session)
    return (
        people,
        service.create("ours", {"en": "Ours"}, actor="test"),
        service.create("theirs", {"en": "Theirs"}, actor="test"),
    )


def test_grants_decide_every_role_and_admins_need_none(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        people, ours, theirs = _setup(session)
        for role in grants.GRANTABLE:
            assert not grants.may(session, people[role.value], ours.id, role)
            assert grants.grant(
                session, user_id=people[role.value].id, consultation_id=ours.id, role=role, by="test"
            )
        for role in grants.GRANTABLE:
            user = people[role.value]
            assert grants.may(session, user, ours.id, role)
            assert not grants.may(session, user, theirs.id, role)
            assert [c.slug for c in grants.consultations_for(session, user, role)] == ["ours"]
            other = Role.ANALYST if role is not Role.ANALYST else Role.COORDINATOR
            assert not grants.may(session, user, ours.id, other)
            assert grants.consultations_for(session, user, other) == []
            assert grants.may(session, people["admin"], theirs.id, role)
        assert [c.slug for c in grants.consultations_for(session, people["admin"], Role.ANALYST)] == [
            "ours",
            "theirs",
        ]
        assert [(g.username, g.slug, g.role) for g in grants.grants_on(session, ours.id)] == [
            ("analyst-1", "ours", Role.ANALYST),
            ("coordinator-1", "ours", Role.COORDINATOR),
            ("interviewer-1", "ours", Role.INTERVIEWER),
        ]
        assert grants.grants_on(session, theirs.id) == []
        analyst_grants = grants.grants_of(session, people["analyst"].id)
        assert [(g.slug, g.granted_by) for g in analyst_grants] == [("ours", "test")]
        assert len(grants.all_grants(session)) == 3


def test_revoke_removes_the_right_and_says_whether_there_was_one(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        people, ours, _ = _setup(session)
        for role in grants.GRANTABLE:
            user = people[role.value]
            grants.grant(session, user_id=user.id, consultation_id=ours.id, role=role, by="test")
            assert not grants.grant(session, user_id=user.id, consultation_id=ours.id, role=role, by="test")
            assert grants.revoke(session, user_id=user.id, consultation_id=ours.id, role=role, by="test")
            assert not grants.may(session, user, ours.id, role)
            assert not grants.revoke(session, user_id=user.id, consultation_id=ours.id, role=role, by="test")
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "grant").order_by(AuditEntry.id)
        ).all()
        assert [(a.action, a.details["role"]) for a in audit] == [
            ("grant", "analyst"), ("revoke", "analyst"),
            ("grant", "coordinator"), ("revoke", "coordinator"),
            ("grant", "interviewer"), ("revoke", "interviewer"),
        ]  # fmt: skip
        assert all(a.actor == "test" and a.details["consultation"] == "ours" for a in audit)


def test_a_grant_applies_only_while_the_account_holds_the_role(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        people, ours, _ = _setup(session)
        analyst = people["analyst"]
        grants.grant(session, user_id=analyst.id, consultation_id=ours.id, role=Role.ANALYST, by="test")
        UserService(session).set_role(analyst.username, Role.COORDINATOR, actor="test")
        assert not grants.may(session, analyst, ours.id, Role.ANALYST)
        assert not grants.may(session, analyst, ours.id, Role.COORDINATOR)
        UserService(session).set_role(analyst.username, Role.ANALYST, actor="test")
        assert grants.may(session, analyst, ours.id, Role.ANALYST)
        analyst.active = False
        assert not grants.may(session, analyst, ours.id, Role.ANALYST)
        assert grants.consultations_for(session, analyst, Role.ANALYST) == []


def test_bad_grants_are_refused_with_the_field_named(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        people, ours, _ = _setup(session)
        with pytest.raises(StoreError, match=r"^role: .*global"):
            grants.grant(
                session, user_id=people["admin"].id, consultation_id=ours.id, role=Role.ADMIN, by="test"
            )
        with pytest.raises(StoreError, match=r"^role: 'coordinator-1' is coordinator, not analyst"):
            grants.grant(
                session, user_id=people["coordinator"].id, consultation_id=ours.id, role=Role.ANALYST, by="t"
            )
        with pytest.raises(NotFoundError, match=r"^user: "):
            grants.grant(session, user_id=999_999, consultation_id=ours.id, role=Role.ANALYST, by="test")
        with pytest.raises(NotFoundError, match=r"^consultation: "):
            grants.grant(
                session, user_id=people["analyst"].id, consultation_id=999_999, role=Role.ANALYST, by="t"
            )
        assert grants.all_grants(session) == []
