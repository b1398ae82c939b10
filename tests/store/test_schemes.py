"""Weighting schemes in the store: what one may hold, that each keeps its targets version, the audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.errors import NotFoundError
from survey.store.models import AuditEntry, Consultation
from survey.store.services.consultations import ConsultationService
from survey.store.services.schemes import SchemeChoice, SchemeError, SchemeService, definition
from survey.store.services.targets import TargetRow, TargetService
from tests.factories import demo_questionnaire, store_demo_form

ROWS = [
    TargetRow("sex", "F", 0.52, 2),
    TargetRow("sex", "M", 0.48, 3),
    TargetRow("education", "low", 0.3, 4),
    TargetRow("education", "medium", 0.35, 5),
    TargetRow("education", "high", 0.35, 6),
]


def _consultation(session: Session, slug: str = "demo") -> Consultation:
    return ConsultationService(session).get(slug)


@pytest.fixture
def stored(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The demo form with one target set (version 1)."""
    store_demo_form(sessions)
    with transaction(sessions) as session:
        TargetService(session).add(
            _consultation(session), ROWS, demo_questionnaire(), actor="t", source="census"
        )
    return sessions


def test_a_scheme_keeps_its_targets_version_when_newer_targets_arrive(stored: sessionmaker[Session]) -> None:
    choice = SchemeChoice(method="logit", variables=("sex",), bounds=(0.5, 2.0), trim=None)
    with transaction(stored) as session:
        consultation = _consultation(session)
        first = TargetService(session).version(consultation, 1)
        SchemeService(session).add(consultation, "sex-logit", first, choice, actor="ana", actor_id=None)
    with transaction(stored) as session:
        consultation = _consultation(session)
        TargetService(session).add(consultation, ROWS[:2], demo_questionnaire(), actor="t", source="newer")
    with stored() as session:
        consultation = _consultation(session)
        service = SchemeService(session)
        scheme = service.get(consultation, "sex-logit")
        assert TargetService(session).latest(consultation).version == 2
        assert service.target_set(scheme).version == 1  # never silently moved to the newer upload
        assert SchemeChoice.of(scheme) == choice
        full = definition(scheme, service.target_set(scheme))
        assert full["name"] == "sex-logit" and full["method"] == "logit" and full["bounds"] == [0.5, 2.0]
        assert full["targets"]["version"] == 1 and full["targets"]["source"] == "census"
        assert full["targets"]["uploaded"][:4].isdigit()
        assert [s.name for s in service.all(consultation)] == ["sex-logit"]


def test_every_change_is_audited(stored: sessionmaker[Session]) -> None:
    with transaction(stored) as session:
        consultation = _consultation(session)
        service = SchemeService(session)
        service.add(
            consultation, "plain", TargetService(session).latest(consultation), SchemeChoice(), actor="ana"
        )
        service.remove(consultation, "plain", actor="ana")
    with stored() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "weighting_scheme").order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["add_scheme", "remove_scheme"]
        assert all(e.actor == "ana" and e.details["name"] == "plain" for e in entries)
        assert entries[0].details["targets"]["version"] == 1
        with pytest.raises(NotFoundError, match="no weighting scheme 'plain'"):
            SchemeService(session).get(_consultation(session), "plain")


@pytest.mark.parametrize(
    ("name", "choice", "code"),
    [
        ("bad name!", SchemeChoice(), "scheme_name"),
        ("", SchemeChoice(), "scheme_name"),
        ("x" * 61, SchemeChoice(), "scheme_name"),
        ("ok", SchemeChoice(method="magic"), "unknown_method"),
        ("ok", SchemeChoice(method="rake", bounds=(0.5, 2.0)), "bounds_ignored"),  # never silently dropped
        ("ok", SchemeChoice(method="poststratify", bounds=(0.5, 2.0)), "bounds_ignored"),
        ("ok", SchemeChoice(method="linear", bounds=(float("nan"), 2.0)), "bounds_pair"),
        ("ok", SchemeChoice(trim=(0.3, float("inf"))), "trim_pair"),
        ("ok", SchemeChoice(missing="guess"), "scheme_missing"),
        ("ok", SchemeChoice(variables=("colour",)), "no_targets_for"),
        ("ok", SchemeChoice(method="poststratify"), "one_margin"),  # two margins in the targets
    ],
)
def test_a_scheme_that_cannot_mean_what_it_says_is_refused(
    stored: sessionmaker[Session], name: str, choice: SchemeChoice, code: str
) -> None:
    with transaction(stored) as session:
        consultation = _consultation(session)
        with pytest.raises(SchemeError) as caught:
            SchemeService(session).add(consultation, name, TargetService(session).latest(consultation), choice,
                                       actor="t")  # fmt: skip
    assert caught.value.code == code


def test_names_are_per_consultation_and_unique_within_one(stored: sessionmaker[Session]) -> None:
    store_demo_form(stored, "other")
    with transaction(stored) as session:
        demo, other = _consultation(session), _consultation(session, "other")
        targets = TargetService(session)
        service = SchemeService(session)
        service.add(demo, "main", targets.latest(demo), SchemeChoice(), actor="t")
        with pytest.raises(SchemeError) as caught:
            service.add(demo, "main", targets.latest(demo), SchemeChoice(method="raking"), actor="t")
        assert caught.value.code == "scheme_taken"
        with pytest.raises(NotFoundError):  # another consultation's targets are not this one's
            service.add(other, "main", targets.latest(demo), SchemeChoice(), actor="t")
        mine = targets.add(other, ROWS, demo_questionnaire(), actor="t")
        service.add(other, "main", mine, SchemeChoice(), actor="t")
        assert [s.consultation_id for s in (service.get(demo, "main"), service.get(other, "main"))] == [
            demo.id,
            other.id,
        ]
