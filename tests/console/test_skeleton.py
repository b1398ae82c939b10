"""The console's frame: texts in three languages, sign-in, the guard, CSRF and no-store."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.console.texts import TEXTS
from survey.store.models import Role
from tests.conftest import LiveServer
from tests.console.conftest import axe, csrf, make_user, post, shot, sign_in


def test_every_text_has_french_dutch_and_english() -> None:
    missing = {
        key: sorted({"fr", "nl", "en"} - {k for k, v in by.items() if v.strip()}) for key, by in TEXTS.items()
    }
    assert {k: v for k, v in missing.items() if v} == {}


def test_anonymous_visitor_is_sent_to_sign_in(anonymous: TestClient) -> None:
    answer = anonymous.get("/console/c/x?lang=nl", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console/c/x%3Flang%3Dnl"


def test_admin_signs_in_and_sees_the_console_no_store(client: TestClient) -> None:
    page = client.get("/console?lang=nl")
    assert page.status_code == 200
    assert "Raadplegingen" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert client.get("/console").text.count('lang="nl"') >= 1  # the choice is remembered


def test_wrong_password_and_forged_form_are_refused(anonymous: TestClient, admin: str) -> None:
    assert sign_in(anonymous, admin, "not-the-password") == 401
    answer = anonymous.post(
        "/console/login", data={"username": admin, "password": "x", "csrf_token": "forged"}
    )
    assert answer.status_code == 403


def test_analyst_has_no_console(anonymous: TestClient, sessions: sessionmaker[Session]) -> None:
    make_user(sessions, "ana", Role.ANALYST)
    assert sign_in(anonymous, "ana") == 403


def test_sign_out_needs_csrf_and_ends_the_session(client: TestClient) -> None:
    assert client.post("/console/logout", data={"csrf_token": "forged"}).status_code == 403
    assert post(client, "/console/logout").status_code == 303
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_console(anonymous: TestClient, admin: str) -> None:
    token = csrf(anonymous, "/console/login")
    answer = anonymous.post(
        "/console/login",
        data={
            "username": admin,
            "password": "organiser-pass-123",
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/console"


def test_layout_in_chromium_is_axe_clean_in_each_language(console_page: Any, server: LiveServer) -> None:
    for lang in ("fr", "nl", "en"):
        console_page.goto(f"{server.url}/console?lang={lang}")
        assert console_page.get_attribute("html", "lang") == lang
        assert axe(console_page) == []
    console_page.goto(f"{server.url}/console/login")
    assert axe(console_page) == []
    shot(console_page, "login-signed-in")
