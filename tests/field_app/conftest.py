"""Field app fixtures: a small three-language form, an assigned interviewer, an admin, an API client."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy.orm import Session, sessionmaker

import survey.store.models  # noqa: F401  (every mapped table, field and snapshot ones included)
from survey.questionnaire.model import Questionnaire
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.grants import grant
from survey.store.services.users import UserService
from tests.app_pool import lent_app
from tests.chromium import CHROMIUM, launch_args
from tests.conftest import free_port
from tests.field_app.waiting import wait_for

PASSWORD = "field-pass-123"
SLUG = "field-test"


def _q(name: str, type_: str, labels: tuple[str, str, str], **extra: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "name": name, "type": type_, "labels": dict(zip(("fr", "nl", "en"), labels, strict=True)),
        "easy_labels": {}, "hints": {}, "required": False, "required_messages": {}, "constraint": None,
        "constraint_messages": {}, "relevant": None, "choice_list": None, "choice_filter": None,
        "appearance": None, "page": "",
    }  # fmt: skip
    question.update(extra)
    return question


def _choice(name: str, fr: str, nl: str, en: str) -> dict[str, Any]:
    return {"name": name, "labels": {"fr": fr, "nl": nl, "en": en}, "easy_labels": {}, "filters": {}}


FORM: dict[str, Any] = {
    "form_id": "field_test", "title": {"fr": "Test terrain", "nl": "Veldtest", "en": "Field test"},
    "version": "1", "default_language": "fr", "languages": ["fr", "nl", "en"], "easy_languages": ["en"],
    "pages": [
        {"name": "about", "labels": {"en": "About you"}, "relevant": None, "questions": [
            _q("sex", "select_one", ("Vous êtes", "U bent", "You are"), required=True, choice_list="sex",
               easy_labels={"en": "Man or woman?"}),
            _q("age", "integer", ("Âge", "Leeftijd", "Age"), required=True,
               constraint=". >= 16 and . <= 120", constraint_messages={"en": "Between 16 and 120"}),
        ]},
        {"name": "vote", "labels": {"en": "Voting"}, "relevant": None, "questions": [
            _q("votes", "select_one", ("Vote?", "Stemt u?", "Do you vote?"), required=True, choice_list="yesno",
               relevant="${age} >= 18"),
            _q("comment", "text", ("Commentaire", "Opmerking", "Comment")),
        ]},
    ],
    "choices": {
        "sex": [_choice("F", "Femme", "Vrouw", "Woman"), _choice("M", "Homme", "Man", "Man")],
        "yesno": [_choice("yes", "Oui", "Ja", "Yes"), _choice("no", "Non", "Nee", "No")],
    },
}  # fmt: skip


@dataclass(frozen=True)
class FieldEnv:
    """What the tests need to name: the consultation, its version and the staff accounts."""

    slug: str
    version_id: int
    interviewer: str
    admin: str


@pytest.fixture
def field_env(sessions: sessionmaker[Session]) -> FieldEnv:
    with transaction(sessions) as session:
        users = UserService(session)
        interviewer = users.create("int1", PASSWORD, Role.INTERVIEWER, actor="test")
        users.create("int2", PASSWORD, Role.INTERVIEWER, actor="test")
        users.create("boss", PASSWORD, Role.ADMIN, actor="test")
        analyst = users.create("ana", PASSWORD, Role.ANALYST, actor="test")
        coordinator = users.create("coord", PASSWORD, Role.COORDINATOR, actor="test")
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, FORM["title"], actor="test")
        version = consultations.add_version(
            consultation, Questionnaire.from_dict(FORM), source_name="test", actor="test"
        ).version
        assign(session, interviewer, consultation, actor="test")
        for member in (analyst, coordinator):
            grant(
                session, user_id=member.id, consultation_id=consultation.id, role=Role(member.role), by="test"
            )
        return FieldEnv(SLUG, version.id, "int1", "boss")


@pytest.fixture
def client(settings: Settings, field_env: FieldEnv) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with lent_app(settings) as app, TestClient(app=app) as test_client:
        yield test_client


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def login(client: TestClient, username: str = "int1") -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.post(
        "/field/api/login", json={"username": username, "password": PASSWORD, "device_label": "t"}
    )
    assert response.status_code == 200, response.text
    return response.json()


class Server:
    """The app under uvicorn on a fixed port that can be stopped and started again (real offline).

    Each start borrows an app from the pool (tests/app_pool.py) instead of building one with
    ``create_app`` (~0.3 CPU-s each, once or twice per test here): the pool gives it a new state
    (engine, services) made from these settings, as ``create_app`` would, and a stop returns it.
    """

    def __init__(self, settings: Settings, port: int) -> None:
        self.settings, self.port, self.url = settings, port, f"http://127.0.0.1:{port}"
        self.server: Any = None
        self.thread: threading.Thread | None = None
        self._app = ExitStack()

    def start(self) -> None:
        import uvicorn

        app = self._app.enter_context(lent_app(self.settings))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)
            self.server = None
            self._app.close()


@pytest.fixture
def server(settings: Settings, field_env: FieldEnv) -> Iterator[Server]:
    instance = Server(settings, free_port())
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def playwright_instance(playwright_session: Any) -> Any:
    return playwright_session


def open_profile(playwright: Any, profile: Path) -> Any:
    """A tablet whose browser profile lives in ``profile``: closing and opening it again is a restart."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=launch_args(playwright), headless=True
    )


def new_tablet(browser: Any, **options: Any) -> Any:
    """A tablet that is never restarted: a fresh context of the run's browser (service worker, IndexedDB
    and offline mode work there as in a profile), about a second cheaper than starting Chromium.
    ``options`` are Playwright's context options (viewport, touch, CSP bypass for axe-core)."""
    return browser.new_context(**options)


def login_and_pin(page: Any, url: str, *, service_worker: bool = True, open_app: bool = True) -> None:
    """Sign in as int1 and set the PIN; then, unless the context blocks it, wait for the service worker.

    ``open_app=False`` when the page shows the app's login screen already (just loaded or reloaded
    by the test): loading it again would cost a navigation (~0.2-0.5 CPU-s of Chromium) for nothing.
    """
    if open_app:
        page.goto(url + "/field/")
    page.fill("#login-user", "int1")
    page.fill("#login-pass", PASSWORD)
    page.click("#login-submit")
    page.fill("#pin-new", "2468")
    page.fill("#pin-again", "2468")
    page.click("#pin-save")
    page.wait_for_selector("[data-start]")
    if service_worker:
        wait_for_service_worker(page)


def wait_for_service_worker(page: Any) -> None:
    """Until the service worker controls the page, so that going offline afterwards is safe.

    The worker calls ``clients.claim()`` when it activates, but on a busy machine that can lose a
    race with the page's own start-up and leave it uncontrolled; a page loaded after activation is
    always controlled, so the fallback is a reload (and the PIN again), as an interviewer would do.
    """
    page.evaluate(
        "() => { window.__swReady = false; navigator.serviceWorker.ready.then(() => { window.__swReady = true; }); }"
    )
    wait_for(page, "() => window.__swReady === true", timeout=30000)
    try:
        wait_for(page, "() => navigator.serviceWorker.controller !== null", timeout=5000)
    except PlaywrightTimeoutError:
        page.reload()
        unlock(page)
        wait_for(page, "() => navigator.serviceWorker.controller !== null", timeout=15000)


def unlock(page: Any) -> None:
    page.fill("#pin", "2468")
    page.click("#unlock")
    page.wait_for_selector("[data-start]")
