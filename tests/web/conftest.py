"""Fixtures for the citizen pages: the demo form in a consultation, a test client, axe-core."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.http import ratelimit
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import QuestionnaireVersion
from survey.store.services.consultations import ConsultationService
from tests.app_pool import lent_app
from tests.factories import demo_questionnaire

SLUG = "brussels-futures"
ROOT = Path(__file__).resolve().parents[2]


def store_consultation(sessions: sessionmaker[Session], slug: str = SLUG) -> QuestionnaireVersion:
    """The demo questionnaire in an open consultation with organiser, purpose and contact."""
    questionnaire = demo_questionnaire()
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create(
            slug, questionnaire.title, actor="test", organiser="Brussels (test)", contact="privacy@example.org",
            description={"fr": "Objectif FR", "nl": "Doel NL", "en": "Purpose EN"},
        )  # fmt: skip
        return service.add_version(consultation, questionnaire, source_name="demo.xlsx", actor="test").version


@pytest.fixture(autouse=True)
def _no_rate_limit() -> Iterator[None]:
    """Tests post far more than a person would; the limiter has its own tests."""
    saved = ratelimit.FORMS.limit, ratelimit.API.limit
    ratelimit.FORMS.limit = ratelimit.API.limit = 0
    yield
    ratelimit.FORMS.limit, ratelimit.API.limit = saved


@pytest.fixture
def version(sessions: sessionmaker[Session]) -> QuestionnaireVersion:
    return store_consultation(sessions)


@pytest.fixture
def client(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with lent_app(settings) as app, TestClient(app) as test_client:
        yield test_client


def axe_source() -> str:
    """axe-core from AXE_PATH or the repository's node_modules; a missing copy fails the test.

    The accessibility checks are part of the bar, so they never turn into a skip: ``scripts/test.sh``
    installs axe-core, and a bare ``pytest`` says how to.
    """
    path = Path(os.environ.get("AXE_PATH") or ROOT / "node_modules" / "axe-core" / "axe.min.js")
    if not path.exists():
        pytest.fail(f"axe-core not found at {path}: run scripts/test.sh or npm install --no-save axe-core@4")
    return path.read_text()
