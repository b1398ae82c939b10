"""Small builders shared by tests: the demo form stored in a fresh consultation."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from survey.demo.form import FORM_XLSX
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import QuestionnaireVersion
from survey.store.services.consultations import ConsultationService


@lru_cache(maxsize=1)
def demo_questionnaire() -> Questionnaire:
    return load_xlsform(FORM_XLSX).questionnaire


def store_demo_form(sessions: sessionmaker[Session], slug: str = "demo") -> QuestionnaireVersion:
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create(slug, {"en": "Demo"}, actor="test")
        return service.add_version(
            consultation, demo_questionnaire(), source_name="demo.xlsx", actor="test"
        ).version


def valid_answers(**overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "sex": "F",
        "age_group": "25-34",
        "municipality": "ixelles",
        "education": "high",
        "nationality_group": "belgian",
        "years_in_brussels": 7,
        "merge_municipalities": "disagree",
        "merge_why_not": ["identity", "other"],
        "merge_why_not_other": "Local <b>pride</b> & history",
        "level_police": "region",
        "level_social_aid": "municipality",
        "level_housing": "region",
        "level_mobility": "region",
        "trust_municipality": 6,
        "trust_region": 5,
        "trust_federal": 3,
        "simpler_institutions": "agree",
        "more_participation": "strongly_agree",
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}
