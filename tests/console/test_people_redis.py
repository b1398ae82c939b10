"""With REDIS_URL, staff sessions live in Redis: the console's role change, disabling and reset link
end them there too, on every server (a real Redis, database 13, emptied before and after)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.settings import Settings, load_settings
from survey.store.models import Role
from tests.console.conftest import csrf, make_user, sign_in

REDIS_URL = "redis://127.0.0.1:6379/13"
LINK = re.compile(r'id="reset-link" readonly value="https?://[^/]+(/console/reset/[^"]+)"')


@pytest.fixture
def shared(database_url: str, tmp_path: Path) -> Iterator[Settings]:
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    client.flushdb()
    yield load_settings({"DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path),
                         "SECRET_KEY": "shared-secret-key-0123456789", "REDIS_URL": REDIS_URL})  # fmt: skip
    client.flushdb()
    client.close()


def _post(client: TestClient, path: str, data: dict[str, str] | None = None) -> int:
    fields = {"csrf_token": csrf(client, "/console/people"), **(data or {})}
    return client.post(path, data=fields, follow_redirects=False).status_code


def test_console_changes_end_the_accounts_redis_sessions_on_every_server(
    shared: Settings, sessions: sessionmaker[Session]
) -> None:
    make_user(sessions, "organiser", Role.ADMIN)
    other = make_user(sessions, "boss2", Role.ADMIN)
    with TestClient(create_app(shared)) as one, TestClient(create_app(shared)) as two:
        assert sign_in(one) == 303 and sign_in(two, "boss2") == 303
        assert two.get("/console/people").status_code == 200
        assert (
            _post(one, f"/console/people/{other}/role", {"role": "admin"}) == 303
        )  # same role: still ends them
        assert two.get("/console/people", follow_redirects=False).status_code == 303
        assert sign_in(two, "boss2") == 303
        page = one.post(f"/console/people/{other}/reset",
                        data={"csrf_token": csrf(one, "/console/people")}).text  # fmt: skip
        found = LINK.search(page)
        assert found is not None
        link = found.group(1)
        token = csrf(one, link)
        done = one.post(
            link, data={"csrf_token": token, "password": "fresh password", "again": "fresh password"}
        )
        assert done.status_code == 200 and 'id="reset-done"' in done.text
        assert two.get("/console/people", follow_redirects=False).status_code == 303
        assert sign_in(two, "boss2", "fresh password") == 303
        assert _post(one, f"/console/people/{other}/active", {"active": "0"}) == 303
        assert two.get("/console/people", follow_redirects=False).status_code == 303
