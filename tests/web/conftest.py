"""Fixtures for the citizen pages: the demo form in a consultation, a test client, axe-core."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


# The run asks only for violations: passes, incomplete and inapplicable results are not serialised.
# It first leaves out each node's CSS selector, which axe works out for every node it reports (about
# a fifth of a run on the analyst pages: 0.88 against 1.07 s on the results page, measured on this
# machine); only a page with violations is checked again, with selectors, to say where they are.
AXE_RUN = "axe.run(document, {resultTypes: ['violations'], selectors: false})"
AXE_RUN_WITH_SELECTORS = "axe.run(document, {resultTypes: ['violations']})"
# ``window.axe`` alone could be an element whose id is "axe" (named access on window).
AXE_LOADED = "typeof window.axe === 'object' && typeof window.axe.run === 'function'"


def axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the document as it stands now: each rule id with its nodes' selectors.

    axe-core is evaluated into the page once per document, not added as a ``<script>`` element:
    the 500 kB inline script tag cost Chromium about 0.03 to 0.1 CPU-s more per check than evaluating
    the same source (measured on this machine), and a check run again on the same document finds
    axe already there. ``axe.run`` reads ``document`` when it is called, so it sees the page as it
    is then (``test_axe_reports_violations_of_the_page_as_it_stands`` in tests/web/test_browser.py).
    Evaluation through the DevTools protocol is not subject to the page's CSP, so the pages are
    checked under their own policy: no ``bypass_csp`` context is needed (an inline tag needed one).
    """
    if not page.evaluate(AXE_LOADED):
        page.evaluate(axe_source())
    if not page.evaluate(AXE_RUN)["violations"]:
        return []
    result = page.evaluate(AXE_RUN_WITH_SELECTORS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@pytest.fixture(scope="module")
def shared_contexts(browser: Any) -> Iterator[dict[str, list[Any]]]:
    """Browser contexts kept for a module, by their options; ``fresh_page`` hands out their pages.

    Why: a new context cost Chromium about 0.7 CPU-s more than a new page in a kept one (measured
    on this machine), and most browser tests opened one or two only to get a page with some options.
    """
    kept: dict[str, list[Any]] = {}
    yield kept
    for contexts in kept.values():
        for context in contexts:
            context.close()


@pytest.fixture
def fresh_page(browser: Any, shared_contexts: dict[str, list[Any]]) -> Iterator[Callable[..., Any]]:
    """``fresh_page(**options)``: a new page in a kept context with those options, as a new visitor.

    The context's cookies are cleared first (``cookies`` from a ``storage_state`` are then added), so
    the page starts with nothing from an earlier test: its local storage belongs to the origin, and
    each live server has a port, an origin, of its own. Two pages open at once in one test never
    share a context (a second one is made). The test's pages are closed when it ends.
    """
    opened: list[Any] = []

    def open_page(cookies: list[Any] | None = None, **options: Any) -> Any:
        contexts = shared_contexts.setdefault(json.dumps(options, sort_keys=True), [])
        free = [c for c in contexts if not c.pages]
        if free:
            context = free[0]
        else:
            context = browser.new_context(**options)
            contexts.append(context)
        context.clear_cookies()
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        if not page.is_closed():
            page.close()
