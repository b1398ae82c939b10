"""Roles, password hashing, audit trail and versioned population targets."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.store.db import transaction
from survey.store.errors import AuthError, StoreError, TargetsInvalidError
from survey.store.models import AuditEntry, Role, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.targets import TargetRow, TargetService
from survey.store.services.users import UserService, scrypt_n, verify_password
from tests.factories import demo_questionnaire, store_demo_form


def test_each_role_is_a_row_and_passwords_are_hashed(sessions) -> None:
    with transaction(sessions) as session:
        for role in Role:
            UserService(session).create(f"user_{role.value}", "correct horse", role, actor="test")
    with sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        assert {u.role for u in users.values()} == {"admin", "analyst", "coordinator", "interviewer"}
        stored = users["user_analyst"].password_hash
        assert "correct horse" not in stored and verify_password("correct horse", stored)
        assert not verify_password("wrong horse", stored)
        assert UserService(session).authenticate("user_admin", "correct horse").role == "admin"
        with pytest.raises(AuthError):
            UserService(session).authenticate("user_admin", "nope-nope")
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "user")).all()
        assert len(audit) == len(Role) and all(a.actor == "test" for a in audit)


def test_unknown_names_cost_the_same_scrypt_work_as_wrong_passwords(
    sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: each refusal runs scrypt once with the stored parameters."""
    with transaction(sessions) as session:
        UserService(session).create("known", "correct horse", Role.ANALYST, actor="test")
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(password: bytes, **kwargs: int) -> bytes:
        calls.append(kwargs["n"])
        return real(password, **kwargs)  # type: ignore[arg-type]

    with sessions() as session:
        service = UserService(session)
        with pytest.raises(AuthError):
            service.authenticate("nobody", "x")  # the decoy hash is made once per process, here
        monkeypatch.setattr(hashlib, "scrypt", counting)
        for name, password in (("known", "wrong horse"), ("nobody", "wrong horse"), ("nobody", "x")):
            with pytest.raises(AuthError, match="unknown user or wrong password"):
                service.authenticate(name, password)
            assert len(calls) == 1 and calls[0] == scrypt_n(), (name, calls)
            calls.clear()


def test_database_refuses_an_unknown_role(sessions) -> None:
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(User(username="x", password_hash="x", role="superuser"))
        session.flush()


def test_short_password_and_duplicate_username_are_refused(sessions) -> None:
    with transaction(sessions) as session:
        UserService(session).create("ana", "long-enough", Role.ANALYST, actor="t")
    with pytest.raises(StoreError, match="8 characters"), transaction(sessions) as session:
        UserService(session).create("bob", "short", Role.ANALYST, actor="t")
    with pytest.raises(StoreError, match="already taken"), transaction(sessions) as session:
        UserService(session).create("ana", "long-enough", Role.ANALYST, actor="t")


def test_targets_are_validated_against_the_questionnaire_and_versioned(sessions) -> None:
    store_demo_form(sessions)
    good = [
        TargetRow("sex", "F", 0.51, 2),
        TargetRow("sex", "M", 0.49, 3),
        TargetRow("sex:education", "F:low", 0.2, 4),
        TargetRow("sex:education", "F:medium", 0.3, 5),
        TargetRow("sex:education", "F:high", 0.01, 6),
        TargetRow("sex:education", "M:low", 0.2, 7),
        TargetRow("sex:education", "M:medium", 0.1, 8),
        TargetRow("sex:education", "M:high", 0.19, 9),
    ]
    bad = [
        TargetRow("sex", "F", 0.6, 2),
        TargetRow("sex", "X", 0.3, 3),
        TargetRow("colour", "red", 1.0, 4),
        TargetRow("age_group", "18-24", 1.5, 5),
        TargetRow("sex:sex", "F:F", 0.5, 6),
        TargetRow("sex:sex", "M:M", 0.5, 7),
        TargetRow("sex: ", "F:x", 1.0, 8),
        TargetRow("sex :sex", "F:F", 1.0, 9),
    ]
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get("demo")
        service = TargetService(session)
        first = service.add(consultation, good, demo_questionnaire(), actor="t", population=1000)
        second = service.add(consultation, good[:2], demo_questionnaire(), actor="t")
        assert (first.version, second.version) == (1, 2)
        assert service.latest(consultation).id == second.id
        assert len(service.rows(first)) == 8
        with pytest.raises(TargetsInvalidError) as caught:
            service.add(consultation, bad, demo_questionnaire(), actor="t")
    problems = "\n".join(caught.value.problems)
    assert "line 3, column 'category': category 'X' is not a choice of 'sex'" in problems
    assert "line 4, column 'variable': variable 'colour'" in problems
    assert "line 5, column 'share': share 1.5" in problems
    assert "variable 'sex': shares sum to 0.900000" in problems
    assert "line 6, column 'variable': crossed variable 'sex:sex' names the same question twice" in problems
    assert sum("'sex:sex'" in problem for problem in caught.value.problems) == 2  # lines 6 and 7, once each
    assert "line 8, column 'variable': 'sex: ' = 'F:x' has an empty part" in problems
    assert "line 9, column 'variable': crossed variable 'sex :sex' names the same question twice" in problems
