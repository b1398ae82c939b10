"""A request that a dependency refuses gives its database connection back before the client hears.

Why: Litestar cleans a generator dependency up only after every dependency resolved. A refused
HTTP Basic login (401), a role refused (403) or a tablet outside the coordinator's grants (404)
raised while the request's session already held a pooled connection, and that connection stayed
out until the garbage collector found the session, in whatever thread it ran. The collector's
clean-up and the abandoned generator's then both checked the same SQLite connection in, and two
requests ran on it at once: an xdist worker died with a segmentation fault in ``cursor.execute``
(see ``survey.http.deps.RequestSession``).
"""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.http.deps import RequestSession
from tests.field_app.conftest import FieldEnv, basic, login

REFUSED = (
    ("int1", "field-pass-123", 403),  # an interviewer: role refused after the password was checked
    ("coord", "wrong-password", 401),  # the user was read, the password refused
    ("nobody", "wrong-password", 401),
)


def _lent(client: TestClient[Any]) -> int:
    return int(client.app.state.engine.pool.checkedout())


def test_a_request_refused_by_a_dependency_holds_no_connection_once_answered(
    client: TestClient[Any], field_env: FieldEnv
) -> None:
    device_id = login(client)["device_id"]
    for url in (
        "/field/coordinator",
        f"/field/coordinator/devices/{device_id}",
        "/field/coordinator/devices/999",
    ):
        for username, password, status in REFUSED:
            response = client.get(url, headers=basic(username, password))
            assert response.status_code == status, (url, username)
            assert _lent(client) == 0, (url, username)
        assert client.get(url, headers=basic("coord")).status_code == (404 if url.endswith("/999") else 200)
        assert _lent(client) == 0, url


def test_a_refused_head_request_holds_no_connection_either(
    client: TestClient[Any], field_env: FieldEnv
) -> None:
    """HEAD is answered as GET on a copy of the request's scope (survey.http.head): the session is
    found all the same."""
    assert client.head("/field/coordinator", headers=basic("int1")).status_code == 403
    assert _lent(client) == 0


def test_a_request_session_is_finished_once(sessions: sessionmaker[Session]) -> None:
    """The dependency's clean-up and the end of the request may both try: the second does nothing."""
    held = RequestSession(sessions())
    held.session.connection()  # a connection is out, as after a query
    held.finish(False)
    assert held.finished
    held.session = None  # type: ignore[assignment]  # a second close would raise on None
    held.finish(False)
