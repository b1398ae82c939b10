"""Browsers get error pages in their language that pass axe; API clients keep JSON; HEAD works where GET does;
/schema loads nothing from elsewhere and has the strict CSP."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from litestar import get
from litestar.handlers import HTTPRouteHandler
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.settings import Settings, load_settings
from tests.conftest import free_port
from tests.web.conftest import axe, store_consultation

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@get("/boom", include_in_schema=False)
async def boom() -> str:
    """A page that fails, to see the 500 page a real fault gives."""
    raise RuntimeError("deliberate failure for the test")


def test_browser_error_pages_are_html_in_the_readers_language(client: TestClient) -> None:
    cases = [("GET", "/no/such/page", {"accept-language": "nl-BE,nl;q=0.9"}, 404, "Pagina niet gevonden."),
             ("GET", "/c/x/start", {"accept-language": "fr"}, 405, "Cette page ne peut pas"),
             ("GET", "/no/such/page?lang=en", {"accept-language": "fr"}, 404, "Page not found.")]  # fmt: skip
    for method, path, headers, status, words in cases:
        reply = client.request(method, path, headers={**BROWSER, **headers})
        assert reply.status_code == status
        assert reply.headers["content-type"].startswith("text/html")
        assert words in reply.text
        assert '<html lang="' in reply.text


def test_api_clients_keep_json_errors(client: TestClient) -> None:
    for path in ("/no/such/page", "/api/consultations/none/questionnaire"):
        reply = client.get(path, headers={"accept": "application/json"})
        assert reply.status_code == 404 and reply.json()["status_code"] == 404
    api = client.get("/api/consultations/none/questionnaire", headers=BROWSER)
    assert api.headers["content-type"].startswith("application/json")


def test_a_fault_is_an_html_page_with_a_reference_and_json_for_programs(settings: Settings) -> None:
    app = create_app(settings)
    app.register(boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom", headers={**BROWSER, "accept-language": "en"})
        assert page.status_code == 500 and "Something went wrong on our side" in page.text
        assert re.search(r"Reference [0-9a-f]{12}", page.text)
        assert "RuntimeError" not in page.text and "deliberate" not in page.text
        assert client.get("/boom").json()["status_code"] == 500


def test_head_is_answered_wherever_get_is(client: TestClient, version: object) -> None:
    """Generated from the route table: every GET route without parameters, plus pages with a slug."""
    paths = [route.path for route in client.app.routes
             if "{" not in route.path and any(isinstance(h, HTTPRouteHandler) and "GET" in h.http_methods
                                               for h in getattr(route, "route_handlers", []))]  # fmt: skip
    paths += [
        "/c/brussels-futures",
        "/api/consultations/brussels-futures/questionnaire",
        "/static/web/site.css",
    ]
    assert len(paths) > 8
    for path in paths:
        got = client.get(path, follow_redirects=False)
        head = client.head(path, follow_redirects=False)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
    assert client.head("/c/brussels-futures/start").status_code == 405  # POST only: no GET to answer


def test_schema_page_loads_nothing_from_other_hosts_under_the_strict_csp(client: TestClient) -> None:
    page = client.get("/schema")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text), "a third-party asset"
    assert "/api/consultations/{slug}/responses" in page.text
    assert client.get("/schema/openapi.json").json()["openapi"].startswith("3.")


@pytest.fixture
def served(database_url: str, tmp_path: object, sessions: sessionmaker[Session]) -> Iterator[str]:
    """The real app under uvicorn, with the failing page added, for Chromium."""
    settings = load_settings({"DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path),
                              "SECRET_KEY": "test-secret-key-0123456789", "SURVEY_MAX_BODY_BYTES": "2048"})  # fmt: skip
    store_consultation(sessions)
    app = create_app(settings)
    app.register(boom)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.browser
def test_error_pages_pass_axe_in_chromium(browser, served: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    found = {}
    for name, path, status in [("404", "/no/such/page", 404), ("405", "/c/brussels-futures/start", 405),
                               ("500", "/boom", 500)]:  # fmt: skip
        reply = page.goto(served + path)
        assert reply is not None and reply.status == status
        found[name] = axe(page)
        assert page.locator("html").get_attribute("lang") == "nl"
    # 413: a browser posting more than the server takes (a form, as a person would)
    page.goto(served + "/c/brussels-futures")
    with page.expect_navigation() as navigation:
        page.evaluate("""() => { const f = document.createElement('form'); f.method = 'post';
            f.action = '/c/brussels-futures/start'; const t = document.createElement('textarea'); t.name = 'x';
            t.value = 'y'.repeat(10000); f.appendChild(t); document.body.appendChild(f); f.submit(); }""")
    assert navigation.value is not None and navigation.value.status == 413
    assert "te groot" in page.content()
    found["413"] = axe(page)
    context.close()
    assert {name: [v["id"] for v in violations] for name, violations in found.items()} == {
        "404": [], "405": [], "500": [], "413": []}  # fmt: skip
