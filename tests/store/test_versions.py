"""Questionnaire versions: recognised by content hash, immutable once answered (enforced by the database)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from survey.store.db import transaction
from survey.store.errors import ImmutableError
from survey.store.models import Mode, QuestionnaireVersion
from survey.store.services.consultations import ConsultationService
from survey.store.services.responses import ResponseService, Submission
from tests.factories import demo_questionnaire, store_demo_form, valid_answers


def test_identical_form_is_recognised_and_a_changed_one_is_a_new_version(sessions) -> None:
    version = store_demo_form(sessions)
    changed = replace(demo_questionnaire(), version="2022.2")
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.get("demo")
        again = service.add_version(consultation, demo_questionnaire(), source_name="again.xlsx", actor="t")
        second = service.add_version(consultation, changed, source_name="v2.xlsx", actor="t")
        assert not again.created and again.version.id == version.id
        assert second.created and second.version.number == 2
        assert service.current_version(consultation).id == second.version.id
    assert version.content_hash == demo_questionnaire().content_hash


def test_unanswered_version_may_still_be_corrected(sessions) -> None:
    version = store_demo_form(sessions)
    with transaction(sessions) as session:
        stored = session.get(QuestionnaireVersion, version.id)
        ConsultationService(session).replace_content(stored, replace(demo_questionnaire(), version="fixed"))
    with sessions() as session:
        assert session.get(QuestionnaireVersion, version.id).form_version == "2022.1"  # column untouched
        assert session.get(QuestionnaireVersion, version.id).content["version"] == "fixed"


def test_answered_version_cannot_change_or_disappear(sessions) -> None:
    version = store_demo_form(sessions)
    with transaction(sessions) as session:
        ResponseService(session).submit(
            Submission(
                uuid=str(uuid.uuid4()),
                version=version,
                mode=Mode.ONLINE,
                language="fr",
                answers=valid_answers(),
            )
        )
    with pytest.raises(ImmutableError, match="already has responses"), transaction(sessions) as session:
        stored = session.get(QuestionnaireVersion, version.id)
        ConsultationService(session).replace_content(stored, replace(demo_questionnaire(), version="sneaky"))
    for statement in (
        update(QuestionnaireVersion)
        .where(QuestionnaireVersion.id == version.id)
        .values(content_hash="0" * 64),
        delete(QuestionnaireVersion).where(QuestionnaireVersion.id == version.id),
    ):
        with pytest.raises(DBAPIError, match="immutable"), transaction(sessions) as session:
            session.execute(statement)
    with sessions() as session:
        kept = session.get(QuestionnaireVersion, version.id)
        assert kept.content_hash == demo_questionnaire().content_hash
        assert session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 1
