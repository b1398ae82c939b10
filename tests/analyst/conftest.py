"""Fixtures for the analyst workbench: the demo loaded once per backend, copied for each module.

Why: loading the 1,151 demo responses takes ~10 s, copying the loaded database a few milliseconds;
each module gets its own copy, so what one module writes (snapshots, target versions, corrections)
never reaches another.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import survey.analyst.models  # noqa: F401  (registers the snapshot table with Base.metadata)
from survey.app import create_app
from survey.demo.load import load_demo
from survey.settings import Settings, load_settings
from survey.store import migrate
from survey.store.db import make_engine, session_factory
from tests.conftest import copy_database, drop_database, new_database

PASSWORD = "demo-pass-123"
SLUG = "brussels-futures"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def _demo_templates() -> Iterator[dict[str, str]]:
    """Per backend, a database with the demo loaded once per run; modules work on copies of it."""
    made: dict[str, str] = {}
    yield made
    for url in made.values():
        drop_database(url)


@pytest.fixture(scope="module")
def demo_url(
    database_url: str, _demo_templates: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """This module's own copy of the demo database (the backend is the run's ``database_url``).

    A name of its own: a module-scoped fixture overriding the parametrised ``database_url`` is kept
    by pytest for the whole run, so modules would share one copy and see each other's writes.
    """
    backend = make_url(database_url).get_backend_name()
    if backend not in _demo_templates:
        template = new_database(database_url, "demo_tpl", tmp_path_factory.mktemp("demo"))
        migrate.upgrade(template)
        engine = make_engine(template)
        load_demo(session_factory(engine), password=PASSWORD)
        engine.dispose()
        _demo_templates[backend] = template
    url = copy_database(_demo_templates[backend], "demo", tmp_path_factory.mktemp("demo_copy"))
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
    with TestClient(create_app(demo_settings)) as test_client:
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


def csrf(client: TestClient, path: str = "/analyst/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


TARGETS_GOOD = Path(__file__).parent / "targets_good.csv"
