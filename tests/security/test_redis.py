"""With REDIS_URL, several servers share rate limits, sign-in throttles and staff sessions (a real Redis).

``scripts/test.sh`` starts a Redis server on 127.0.0.1:6379 when none runs; these tests use database
15 of it and empty it before and after each test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.http import shared_counts, staff_session
from survey.http.login_throttle import MAX_PER_ACCOUNT
from survey.http.ratelimit import RateLimiter
from survey.http.shared_counts import REQUESTS
from survey.settings import Settings, load_settings
from survey.store.db import transaction
from survey.store.models import Role, StaffSession
from survey.store.services.users import UserService

REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "redis-pass-1234"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def store() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("no Redis on 127.0.0.1:6379: run scripts/test.sh, or start redis-server")
    client.flushdb()
    yield client
    client.flushdb()
    shared_counts.use_remote(None)
    client.close()


@pytest.fixture
def redis_settings(database_url: str, tmp_path: Path, store: redis.Redis) -> Settings:
    return load_settings({"DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path),
                          "SECRET_KEY": "shared-secret-key-0123456789", "REDIS_URL": REDIS_URL})  # fmt: skip


def _servers(settings: Settings) -> tuple[TestClient, TestClient]:
    """Two apps as two servers behind a proxy: nothing shared but the database and Redis."""
    return TestClient(create_app(settings)), TestClient(create_app(settings))


def _login(client: TestClient, username: str, password: str) -> int:
    token = CSRF.search(client.get("/analyst/login").text).group(1)  # type: ignore[union-attr]
    reply = client.post("/analyst/login", data={"csrf_token": token, "username": username, "password": password},
                        follow_redirects=False)  # fmt: skip
    return reply.status_code


def test_sign_in_throttles_count_across_servers(
    redis_settings: Settings, sessions: sessionmaker[Session], store: redis.Redis
) -> None:
    with transaction(sessions) as session:
        UserService(session).create("ana", PASSWORD, Role.ANALYST, actor="test")
    one, two = _servers(redis_settings)
    with one, two:
        for attempt in range(MAX_PER_ACCOUNT):
            assert _login(one if attempt % 2 else two, "ana", "wrong-password") == 401
        assert _login(one, "ana", PASSWORD) == 429
        assert _login(two, "ana", PASSWORD) == 429
    assert store.keys("survey:logins:*")


def test_staff_sessions_live_in_redis_and_sign_out_anywhere_ends_them(
    redis_settings: Settings, sessions: sessionmaker[Session], store: redis.Redis
) -> None:
    with transaction(sessions) as session:
        UserService(session).create("ana", PASSWORD, Role.ANALYST, actor="test")
    one, two = _servers(redis_settings)
    with one, two:
        assert _login(one, "ana", PASSWORD) == 303
        cookie = one.cookies[staff_session.SESSION_COOKIE]
        two.cookies.set(staff_session.SESSION_COOKIE, cookie)
        assert two.get("/analyst/", follow_redirects=False).status_code == 200
        assert len(store.keys("survey:session:*")) == 1
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(StaffSession)) == 0
        token = CSRF.search(two.get("/analyst/").text).group(1)  # type: ignore[union-attr]
        two.post("/analyst/logout", data={"csrf_token": token}, follow_redirects=False)
        assert store.keys("survey:session:*") == []
        assert one.get("/analyst/", follow_redirects=False).status_code == 303


def test_rate_limits_count_across_servers_under_keyed_hashes(
    redis_settings: Settings, sessions: sessionmaker[Session], store: redis.Redis
) -> None:
    with TestClient(create_app(redis_settings)):
        first, second = (RateLimiter(3, "api", lambda: shared_counts.table(REQUESTS)) for _ in range(2))
        assert first.hit("203.0.113.9") and second.hit("203.0.113.9") and first.hit("203.0.113.9")
        assert not second.hit("203.0.113.9")
        assert second.hit("198.51.100.7")
    dump = b" ".join(
        key + b"=" + (store.get(key) or b"") for key in store.keys("*") if store.type(key) == b"string"
    )
    assert b"203.0.113" not in dump and b"198.51.100" not in dump and b"ana" not in dump


def test_without_redis_url_memory_stays_the_default(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.app.state.get("staff_sessions") is None
        assert isinstance(shared_counts.table(REQUESTS), shared_counts.SlotCounts)


def test_a_redis_that_does_not_answer_is_503_not_500(
    database_url: str, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    settings = load_settings({"DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path),
                              "SECRET_KEY": "shared-secret-key-0123456789", "REDIS_URL": "redis://127.0.0.1:9/0"})  # fmt: skip
    with transaction(sessions) as session:
        user = UserService(session).create("ana", PASSWORD, Role.ANALYST, actor="test")
    try:
        with TestClient(create_app(settings)) as client:
            cookie = staff_session.sign_session(settings.secret_key, user, sid="some-session")
            client.cookies.set(staff_session.SESSION_COOKIE, cookie)
            reply = client.get("/analyst/api/x/results")
            assert reply.status_code == 503, reply.text
            assert reply.headers["retry-after"] == "5"
    finally:
        shared_counts.use_remote(None)
