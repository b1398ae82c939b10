"""Fixtures for the console: an admin account, a client signed in as that admin (on SQLite and on
PostgreSQL, through the parametrised ``database_url``), a live server and a signed-in Chromium page.

Shared by every console test module; helpers (``csrf``, ``post``, ``axe``, ``shot``) are plain
functions so a test reads as what an organiser does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services.users import UserService
from tests.app_pool import lent_app
from tests.conftest import LiveServer
from tests.web.conftest import axe  # noqa: F401  (the console tests take it from here)

ADMIN = "organiser"
PASSWORD = "organiser-pass-123"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Screenshots are for a person to look at: written only when CONSOLE_SHOTS names a folder
# (e.g. CONSOLE_SHOTS=/tmp/console-shots). A full-page screenshot costs Chromium about 0.25 CPU-s
# and no assertion reads them; the suite took 46 of them a run.
SHOTS = os.environ.get("CONSOLE_SHOTS")


def make_user(sessions: sessionmaker[Session], username: str, role: Role, password: str = PASSWORD) -> int:
    """A staff account, stored; its id."""
    with transaction(sessions) as session:
        return UserService(session).create(username, password, role, actor="test").id


@pytest.fixture
def admin(sessions: sessionmaker[Session]) -> str:
    """An admin account (name ``ADMIN``, password ``PASSWORD``)."""
    make_user(sessions, ADMIN, Role.ADMIN)
    return ADMIN


def sign_in(client: TestClient, username: str = ADMIN, password: str = PASSWORD) -> int:
    """Sign in through the console's form; the status of the answer (303 when it worked)."""
    token = csrf(client, "/console/login")
    answer = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return answer.status_code


@pytest.fixture
def anonymous(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """A client of the whole app, signed in as nobody."""
    with lent_app(settings) as app, TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def anonymous_too(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """A second browser, signed in as nobody (for a second account beside ``client``)."""
    with lent_app(settings) as app, TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous: TestClient, admin: str) -> TestClient:
    """A client of the whole app, signed in to the console as an admin."""
    assert sign_in(anonymous) == 303
    return anonymous


def csrf(client: TestClient, path: str = "/console") -> str:
    """The CSRF token of the forms on ``path`` (the page also sets the browser's seed)."""
    found = CSRF.search(client.get(path).text)
    assert found is not None, f"no form token on {path}"
    return found.group(1)


def post(client: TestClient, path: str, data: dict[str, Any] | None = None, *,
         files: dict[str, Any] | None = None, token_from: str = "/console") -> Any:  # fmt: skip
    """POST a console form with a valid CSRF token, without following the redirect."""
    fields = {"csrf_token": csrf(client, token_from), **(data or {})}
    return client.post(path, data=fields, files=files, follow_redirects=False)


@pytest.fixture
def server(settings: Settings, sessions: sessionmaker[Session], admin: str) -> Iterator[LiveServer]:
    """The real app under uvicorn, with the admin account stored."""
    with LiveServer(settings) as live:
        yield live


def browser_sign_in(page: Any, base: str, username: str = ADMIN, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would (the console sends you there)."""
    page.goto(f"{base}/console")
    assert "/console/login" in page.url
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action^='/console/login'] button[type=submit]")
    page.wait_for_url(f"{base}/console")


@pytest.fixture
def console_page(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A Chromium page signed in as the admin, under the pages' own CSP (``axe`` needs no bypass)."""
    context = browser.new_context()
    page = context.new_page()
    browser_sign_in(page, server.url)
    yield page
    context.close()


def shot(page: Any, name: str) -> Path | None:
    """A full-page screenshot in ``$CONSOLE_SHOTS/name.png`` when that is set, to be looked at."""
    if not SHOTS:
        return None
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


LANGS = ("Français (fr)", "Nederlands (nl)", "English (en)")
EASY = ("FALC (fr)", "Makkelijk lezen (nl)", "Easy read (en)")


def write_form(path: Path, *, broken: bool = False, extra: str = "") -> Path:
    """A small trilingual XLSForm with easy-read labels, two pages (groups).

    ``broken``: the second question uses a choice list that does not exist (the report must name
    sheet 'survey', its row and column 'type'). ``extra`` adds a text question (a new version).
    """
    import openpyxl

    book = openpyxl.Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", *(f"label::{lang}" for lang in (*LANGS, *EASY)), "required"])
    survey.append(["begin group", "p1", "Vous", "U", "You", "", "", "", "", ""])
    survey.append(["select_one yes_no", "resident", "Habitez-vous Bruxelles ?", "Woont u in Brussel?",
                   "Do you live in Brussels?", "Vous habitez à Bruxelles ?", "Woont u in Brussel? (makkelijk)",
                   "You live in Brussels?", "yes"])  # fmt: skip
    survey.append(["end group", "", "", "", "", "", "", "", "", ""])
    survey.append(["begin group", "p2", "Avis", "Mening", "Opinion", "", "", "", "", ""])
    survey.append([f"select_one {'agree_list' if broken else 'yes_no'}", "merge", "Fusionner les communes ?",
                   "Gemeenten samenvoegen?", "Merge the municipalities?", "Mettre les communes ensemble ?",
                   "Gemeenten samen maken?", "Put the municipalities together?", "yes"])  # fmt: skip
    if extra:
        survey.append(["text", extra, "Commentaire", "Opmerking", "Comment", "", "", "", ""])
    survey.append(["end group", "", "", "", "", "", "", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{lang}" for lang in LANGS)])
    choices.append(["yes_no", "yes", "Oui", "Ja", "Yes"])
    choices.append(["yes_no", "no", "Non", "Nee", "No"])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "default_language", *(f"form_title::{lang}" for lang in LANGS)])
    settings.append(
        [
            "city_test",
            "1",
            "Français (fr)",
            "Avenir de la ville",
            "Toekomst van de stad",
            "Future of the city",
        ]
    )
    book.save(path)
    return path
