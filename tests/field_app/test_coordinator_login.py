"""Coordinators sign in with a form in their language; the staff session, its limits and sign-out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar.testing import TestClient
from markupsafe import escape

from field_app.coordinator_login import LIMITER_KEY, safe_next
from survey.http import staff_session
from survey.http.login_throttle import MAX_PER_ACCOUNT
from tests.field_app.conftest import PASSWORD, FieldEnv, Server, basic, login
from tests.web.conftest import axe_source

BROWSER = {"Accept": "text/html,application/xhtml+xml", "Accept-Language": "fr-BE,fr;q=0.9"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _form(client: TestClient, url: str = "/field/coordinator/login", **headers: str) -> str:  # type: ignore[type-arg]
    page = client.get(url, headers={**BROWSER, **headers})
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found, page.text
    return found[1]


def _sign_in(client: TestClient, username: str, password: str = PASSWORD, next_url: str = "") -> Any:  # type: ignore[type-arg]
    token = _form(client)
    return client.post(
        "/field/coordinator/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_url},
        headers=BROWSER,
        follow_redirects=False,
    )


def test_a_browser_without_a_session_is_sent_to_the_form_and_back(client, field_env: FieldEnv) -> None:
    device_id = login(client)["device_id"]
    asked = f"/field/coordinator/devices/{device_id}?lang=nl"
    bounce = client.get(asked, headers=BROWSER, follow_redirects=False)
    assert bounce.status_code == 303
    location = urlsplit(bounce.headers["location"])
    assert location.path == "/field/coordinator/login" and parse_qs(location.query)["next"] == [asked]
    assert "www-authenticate" not in bounce.headers  # no browser password prompt

    form = client.get(bounce.headers["location"], headers=BROWSER)
    assert '<html lang="fr">' in form.text and "Connexion des coordinateurs" in form.text
    assert '<label for="username">Nom d&#39;utilisateur</label>' in form.text
    assert f'name="next" value="{asked}"' in form.text
    assert "form-action 'self'" in form.headers["content-security-policy"]

    signed = _sign_in(client, "coord", next_url=asked)
    assert signed.status_code == 303 and signed.headers["location"] == asked
    assert staff_session.SESSION_COOKIE in client.cookies
    page = client.get(asked, headers=BROWSER)
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert "Aangemeld: coord" in page.text and 'action="/field/coordinator/logout?lang=nl"' in page.text


def test_scripts_still_get_401_with_basic_offered(client, field_env: FieldEnv) -> None:
    refused = client.get("/field/coordinator", headers={"Accept": "application/json"})
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")


def test_wrong_password_and_wrong_role_are_refused_in_the_readers_language(
    client, field_env: FieldEnv
) -> None:
    wrong = _sign_in(client, "coord", "not-the-password")
    assert (
        wrong.status_code == 401 and escape("Nom d'utilisateur inconnu ou mot de passe erroné.") in wrong.text
    )
    assert 'value="coord"' in wrong.text and 'role="alert"' in wrong.text
    assert staff_session.SESSION_COOKIE not in client.cookies

    interviewer = _sign_in(client, "int1")
    assert (
        interviewer.status_code == 403
        and escape("n'a pas accès aux pages des coordinateurs") in interviewer.text
    )
    assert staff_session.SESSION_COOKIE not in client.cookies

    hostile = _sign_in(client, '"><script>alert(1)</script>')
    assert hostile.status_code == 401 and "<script>alert(1)</script>" not in hostile.text


def test_forged_or_missing_csrf_token_signs_no_one_in(client, field_env: FieldEnv) -> None:
    _form(client)
    for token in ("forged", ""):
        response = client.post(
            "/field/coordinator/login",
            data={"username": "coord", "password": PASSWORD, "csrf_token": token},
            headers=BROWSER,
            follow_redirects=False,
        )
        assert response.status_code == 403 and "Le formulaire a expiré" in response.text
    assert staff_session.SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/field/coordinator/devices/3?lang=nl", True),
        ("/field/coordinator", True),
        ("https://evil.example/field/coordinator", False),
        ("//evil.example/field/coordinator", False),
        ("/analyst", False),
        ("/field/coordinatorX", False),
        ("/field/coordinator/login?next=https://evil.example", False),
        ("/field/coordinator\\@evil.example", False),
        ("/field/coordinator/../../analyst", False),
        ("/field/coordinator/%2e%2e/login", False),
        ("/field/coordinator/./devices/3", False),
        ("", False),
    ],
)
def test_only_coordinator_pages_are_followed_after_sign_in(asked: str, kept: bool) -> None:
    assert safe_next(asked) == (asked if kept else "/field/coordinator")


def test_basic_credentials_on_the_pages_count_against_the_same_limit(client, field_env: FieldEnv) -> None:
    for _ in range(MAX_PER_ACCOUNT):
        assert client.get("/field/coordinator", headers=basic("coord", "wrong")).status_code == 401
    assert client.get("/field/coordinator", headers=basic("coord")).status_code == 429
    assert _sign_in(client, "coord").status_code == 429  # the form and Basic share one count


def test_odd_tokens_and_cookies_get_a_4xx_never_a_500(client, field_env: FieldEnv) -> None:
    _form(client)
    for token in ("é", "\u2603" * 40):
        refused = client.post(
            "/field/coordinator/login",
            data={"username": "coord", "password": PASSWORD, "csrf_token": token},
            headers=BROWSER,
        )
        assert refused.status_code == 403
    odd_cookie = {**BROWSER, "Cookie": f"{staff_session.SESSION_COOKIE}=eyJ1aWQiOjF9.é".encode()}
    bounced = client.get("/field/coordinator", headers=odd_cookie, follow_redirects=False)
    assert bounced.status_code == 303


def test_failed_attempts_are_throttled_even_for_the_right_password(client, field_env: FieldEnv) -> None:
    for _ in range(MAX_PER_ACCOUNT):
        assert _sign_in(client, "coord", "wrong").status_code == 401
    locked = _sign_in(client, "coord")
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "Trop de tentatives" in locked.text
    assert staff_session.SESSION_COOKIE not in client.cookies
    assert client.app.state[LIMITER_KEY].counts("coord", "testclient") == (MAX_PER_ACCOUNT, MAX_PER_ACCOUNT)


def test_sign_out_ends_the_session(client, field_env: FieldEnv) -> None:
    assert _sign_in(client, "coord").status_code == 303
    page = client.get("/field/coordinator", headers=BROWSER)
    token = TOKEN.search(page.text)
    assert token
    out = client.post(
        "/field/coordinator/logout?lang=fr",
        data={"csrf_token": token[1]},
        headers=BROWSER,
        follow_redirects=False,
    )
    assert out.status_code == 303 and out.headers["location"].startswith("/field/coordinator/login")
    assert client.get("/field/coordinator", headers=BROWSER, follow_redirects=False).status_code == 303


def test_one_staff_session_each_area_checks_its_own_roles(client, field_env: FieldEnv) -> None:
    assert _sign_in(client, "boss").status_code == 303  # an admin: coordinator pages and workbench
    assert client.get("/field/coordinator", headers=BROWSER).status_code == 200
    assert client.get("/analyst/", headers=BROWSER).status_code == 200

    client.cookies.clear()
    assert _sign_in(client, "coord").status_code == 303
    assert client.get("/analyst/", headers=BROWSER, follow_redirects=False).status_code == 403

    client.cookies.clear()
    analyst = client.post(
        "/analyst/login",
        data={"username": "ana", "password": PASSWORD, "csrf_token": _form(client, "/analyst/login")},
        follow_redirects=False,
    )
    assert analyst.status_code == 303
    bounce = client.get("/field/coordinator", headers=BROWSER, follow_redirects=False)
    assert bounce.status_code == 303 and "refused=1" in bounce.headers["location"]
    explained = client.get(bounce.headers["location"], headers={**BROWSER, "Accept-Language": "en"})
    assert explained.status_code == 403
    assert "The account “ana” has no access to the coordinator pages" in explained.text
    french = client.get(bounce.headers["location"], headers=BROWSER)
    assert "n&#39;a pas accès" in french.text and "&amp;" not in french.text  # escaped once, not twice


@pytest.mark.browser
def test_sign_in_with_the_keyboard_in_chromium_and_axe(server: Server, browser: Any, tmp_path: Path) -> None:
    registered = httpx.post(
        server.url + "/field/api/login",
        json={"username": "int1", "password": PASSWORD, "device_label": "tablet 7"},
    )
    assert registered.status_code == 200, registered.text
    context = browser.new_context(locale="nl-BE", bypass_csp=True, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(server.url + "/field/coordinator")
        assert page.url.startswith(server.url + "/field/coordinator/login")
        assert page.get_attribute("html", "lang") == "nl"
        page.add_script_tag(content=axe_source())
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        assert violations == [], [v["id"] for v in violations]
        page.focus("#username")
        page.keyboard.type("coord")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(server.url + "/field/coordinator")
        assert "Reconciliatie van het veldwerk" in page.text_content("h1")
        assert page.locator("table").count() == 1  # the tablet registered above: the wide table is there
        page.add_script_tag(content=axe_source())
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        assert violations == [], [v["id"] for v in violations]
        # the wide table scrolls in its own region; the page itself stays phone-wide
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
        page.screenshot(path=str(tmp_path / "coordinator-signed-in.png"), full_page=True)
        page.click("text=Afmelden")
        page.wait_for_url(re.compile(r".*/field/coordinator/login.*"))
        page.goto(server.url + "/field/coordinator")
        assert "/field/coordinator/login" in page.url
    finally:
        context.close()
