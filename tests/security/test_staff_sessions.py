"""Staff sessions end on the server: sign-out, a new password or a new role; cookies and caching."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli.main import app as cli
from survey.http import csrf, staff_session
from survey.settings import Settings, load_settings
from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services.users import UserService
from tests.app_pool import lent_app
from tests.security.conftest import SLUG

PASSWORD = "session-pass-123"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _account(sessions: sessionmaker[Session], username: str = "ana", role: Role = Role.ANALYST) -> None:
    with transaction(sessions) as session:
        UserService(session).create(username, PASSWORD, role, actor="test")


def _token(client: TestClient, path: str = "/analyst/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, username: str = "ana") -> str:
    reply = client.post("/analyst/login", data={"csrf_token": _token(client), "username": username,
                                                "password": PASSWORD}, follow_redirects=False)  # fmt: skip
    assert reply.status_code == 303, reply.text
    return str(client.cookies[staff_session.SESSION_COOKIE])


def _opens_workbench(settings: Settings, cookie: str) -> bool:
    """Whether another browser holding a copy of the cookie gets the workbench (another app too: one
    from the pool, with its own state, as a new app has)."""
    with lent_app(settings) as app, TestClient(app) as other:
        other.cookies.set(staff_session.SESSION_COOKIE, cookie)
        return other.get("/analyst/", follow_redirects=False).status_code == 200


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(
    client: TestClient, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _account(sessions)
    cookie = _sign_in(client)
    assert _opens_workbench(settings, cookie)
    reply = client.post(
        "/analyst/logout", data={"csrf_token": _token(client, "/analyst/")}, follow_redirects=False
    )
    assert reply.status_code == 303
    assert not _opens_workbench(settings, cookie)


def test_coordinator_sign_out_ends_the_shared_session(
    client: TestClient, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _account(sessions, "boss", Role.ADMIN)
    cookie = _sign_in(client, "boss")
    token = _token(client, "/field/coordinator/login")
    client.post("/field/coordinator/logout", data={"csrf_token": token}, follow_redirects=False)
    assert not _opens_workbench(settings, cookie)


@pytest.mark.parametrize("change", [["password", "ana", "--password", "another-pass-456"],
                                    ["role", "ana", "--role", "admin"]])  # fmt: skip
def test_a_new_password_or_role_ends_every_session_of_the_account(
    client: TestClient, settings: Settings, sessions: sessionmaker[Session], change: list[str]
) -> None:
    _account(sessions)
    _account(sessions, "other")
    first, second = _sign_in(client), None
    with lent_app(settings) as app, TestClient(app) as elsewhere:
        second = _sign_in(elsewhere)
    bystander = _sign_in(client, "other")
    result = CliRunner().invoke(cli, ["user", *change, "--database-url", settings.database_url])
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    assert not _opens_workbench(settings, first)
    assert not _opens_workbench(settings, second)
    assert _opens_workbench(settings, bystander)


def test_a_cookie_signed_without_a_server_session_opens_nothing(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _account(sessions)
    with sessions() as session:
        user = UserService(session).named("ana")
    assert not _opens_workbench(settings, staff_session.sign_session(settings.secret_key, user))
    assert not _opens_workbench(
        settings, staff_session.sign_session(settings.secret_key, user, sid="guessed")
    )


@pytest.fixture
def https_client(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    with lent_app(settings) as app, TestClient(app, base_url="https://consult.example") as client:
        yield client


def test_staff_cookies_are_secure_over_https(
    https_client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _account(sessions)
    page = https_client.get("/analyst/login")
    assert "secure" in page.headers["set-cookie"].lower()
    reply = https_client.post("/analyst/login", data={"csrf_token": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
                                                      "username": "ana", "password": PASSWORD}, follow_redirects=False)  # fmt: skip
    cookie = next(
        c for c in reply.headers.get_list("set-cookie") if c.startswith(staff_session.SESSION_COOKIE)
    )
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()


def test_the_coordinator_pages_set_a_new_csrf_seed_secure_over_https(
    https_client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _account(sessions, "coord", Role.COORDINATOR)
    page = https_client.get("/field/coordinator/login")
    token = CSRF.search(page.text)
    assert token is not None
    signed_in = https_client.post("/field/coordinator/login", data={"csrf_token": token.group(1),
                                  "username": "coord", "password": PASSWORD}, follow_redirects=False)  # fmt: skip
    assert signed_in.status_code == 303, signed_in.text
    https_client.cookies.delete(csrf.COOKIE)  # the seed expired or was cleared
    devices = https_client.get("/field/coordinator/")
    assert devices.status_code == 200
    seed = next(c for c in devices.headers.get_list("set-cookie") if c.startswith(csrf.COOKIE))
    assert "secure" in seed.lower()


def test_staff_cookies_are_not_secure_over_plain_http(client: TestClient) -> None:
    assert "secure" not in client.get("/analyst/login").headers["set-cookie"].lower()


def test_staff_pages_and_saved_answers_are_not_stored_by_caches(
    client: TestClient, sessions: sessionmaker[Session], version: object
) -> None:
    _account(sessions)
    assert client.get("/analyst/login").headers["cache-control"] == "no-store"
    _sign_in(client)
    assert client.get("/analyst/").headers["cache-control"] == "no-store"
    assert client.get("/field/coordinator/login").headers["cache-control"] == "no-store"
    assert client.get(f"/c/{SLUG}").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/expressions.js").headers.get("cache-control", "")
    assert "strict-transport-security" not in client.get("/").headers


def test_production_sends_hsts(database_url: str, tmp_path: object, sessions: sessionmaker[Session]) -> None:
    settings = load_settings({"DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path),
                              "SECRET_KEY": "k" * 32, "SURVEY_ENV": "production"})  # fmt: skip
    with lent_app(settings) as app, TestClient(app) as client:
        assert client.get("/").headers["strict-transport-security"].startswith("max-age=31536000")
