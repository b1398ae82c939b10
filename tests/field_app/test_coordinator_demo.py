"""The demo fills the coordinators' pages on the first run: an account, quotas and tablets (#24)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from survey.settings import load_settings
from survey.store.db import make_engine, session_factory
from survey.store.models import Response
from tests.app_pool import lent_app
from tests.conftest import drop_database
from tests.demo_template import DEMO_PASSWORD, copy_demo, shared_folder
from tests.field_app.conftest import basic

PASSWORD = DEMO_PASSWORD


@pytest.fixture
def demo_client(
    database_url: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app over a store holding exactly what ``survey demo`` loads: a copy of the run's demo
    template (tests/demo_template.py), instead of loading the 1,151 responses again here."""
    url = copy_demo(database_url, shared_folder(tmp_path_factory), "coord_demo", tmp_path)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1151
    engine.dispose()
    settings = load_settings(
        {
            "DATABASE_URL": url,
            "SURVEY_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "test-secret-key-0123456789",
        }
    )
    with lent_app(settings) as app, TestClient(app) as client:
        yield client
    drop_database(url)


def test_the_demo_coordinator_sees_tablets_and_quota_cells_in_words(demo_client: TestClient) -> None:
    page = demo_client.get("/field/coordinator?lang=en", headers=basic("coordinator", PASSWORD))
    assert page.status_code == 200, page.text
    html = page.text
    tablets = re.findall(r'<tr><th scope="row"><a href="/field/coordinator/devices/\d+[^"]*">.*?</tr>', html)
    assert len(tablets) == 3
    received = [int(n) for n in re.findall(r'</time></td><td class="n">(\d+)</td>', html)]
    assert len(received) == 3 and all(n > 0 for n in received)
    assert "1 unfinished interview(s) on the tablet" in tablets[-1]
    assert all("complete at last sync" in row for row in tablets[:-1])
    assert "Quotas: " in html and re.search(r'<th scope="row">Woman, 65 or older</th>.*? to go</td>', html)
    assert re.search(r'<th scope="row">Man, 25-34 years</th>.*?<strong class="ok">full</strong>', html)
    french = demo_client.get("/field/coordinator?lang=fr", headers=basic("coordinator", PASSWORD)).text
    assert '<th scope="row">Femme, 65 ans ou plus</th>' in french
