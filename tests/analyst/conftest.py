"""Fixtures for the analyst workbench: the demo loaded once per run and backend, copied for each module.

Why: loading the 1,151 demo responses takes ~10 s, copying the loaded database a few milliseconds;
each module gets its own copy, so what one module writes (snapshots, target versions, corrections)
never reaches another (tests/demo_template.py shares the loaded template between xdist workers).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

import survey.store.models  # noqa: F401  (every mapped table, field and snapshot ones included)
from survey.analyst import snapshots
from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.settings import Settings, load_settings
from survey.store.db import make_engine, session_factory
from survey.store.models import ResultSnapshot
from tests.app_pool import lent_app
from tests.conftest import drop_database
from tests.demo_template import DEMO_PASSWORD, copy_demo, shared_folder

PASSWORD = DEMO_PASSWORD
SLUG = "brussels-futures"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def _demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this run's demo templates are recorded (one per backend, shared by all workers)."""
    return shared_folder(tmp_path_factory)


@pytest.fixture(scope="module")
def demo_url(
    database_url: str, _demo_templates: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """This module's own copy of the demo database (the backend is the run's ``database_url``).

    A name of its own: a module-scoped fixture overriding the parametrised ``database_url`` is kept
    by pytest for the whole run, so modules would share one copy and see each other's writes.
    """
    url = copy_demo(database_url, _demo_templates, "demo", tmp_path_factory.mktemp("demo_copy"))
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def demo(demo_url: str) -> Iterator[sessionmaker[Session]]:
    """The demo consultation, targets and staff, in this module's copy of the demo database."""
    engine = make_engine(demo_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def demo_settings(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(
        {
            "DATABASE_URL": demo_url,
            "SURVEY_DATA_DIR": str(tmp_path_factory.mktemp("data")),
            "SECRET_KEY": "test-secret-key-0123456789",
        }
    )


@pytest.fixture
def client(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[TestClient]:
    with lent_app(demo_settings) as app, TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, username: str = "analyst", password: str = PASSWORD) -> int:
    page = client.get("/analyst/login")
    token = CSRF.search(page.text)
    assert token is not None
    response = client.post(
        "/analyst/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    return response.status_code


@pytest.fixture
def analyst(client: TestClient) -> TestClient:
    """The demo's analyst, signed in."""
    assert login(client) == 303
    return client


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of a page's ``?format=csv`` table (written with a BOM for Excel)."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def csrf(client: TestClient, path: str = "/analyst/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


TARGETS_GOOD = Path(__file__).parent / "targets_good.csv"


def publish_default_snapshot(session: Session) -> ResultSnapshot:
    """The demo's default weighting frozen and published: what a public page or a report reads."""
    context = load_context(session, SLUG)
    analysis = run_analysis(context, WeightingSpec())
    return snapshots.create_snapshot(session, context, analysis, actor="test", actor_id=None, publish=True)
