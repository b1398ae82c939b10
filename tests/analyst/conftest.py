"""Fixtures for the analyst workbench: the demo loaded once per module and backend.

Why module scope: loading the 1,151 demo responses takes ~10 s; every test in a module reads
the same data (tests that write add only snapshots and target versions, which others tolerate).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

import survey.analyst.models  # noqa: F401  (registers the snapshot table with Base.metadata)
from survey.app import create_app
from survey.demo.load import load_demo
from survey.settings import Settings, load_settings
from survey.store.db import make_engine, session_factory
from tests.conftest import _empty_tables

PASSWORD = "demo-pass-123"
SLUG = "brussels-futures"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def demo(database_url: str) -> Iterator[sessionmaker[Session]]:
    """The demo consultation, targets and staff in a database emptied after the module."""
    engine = make_engine(database_url)
    factory = session_factory(engine)
    load_demo(factory, password=PASSWORD)
    yield factory
    engine.dispose()
    _empty_tables(database_url)


@pytest.fixture(scope="module")
def demo_settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(
        {
            "DATABASE_URL": database_url,
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
