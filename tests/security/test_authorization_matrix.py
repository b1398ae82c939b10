"""The authorization matrix, generated from the app's own route table.

Every route the app serves must be classified below (a new route without a classification fails
``test_every_route_is_classified``). Every staff route is then called by every role (anonymous,
interviewer, coordinator, analyst, admin) on a consultation or tablet of its own and on another's,
with the credentials the route accepts, and the status class is checked:

- ``denied``: 401/403, or a redirect to a sign-in form (not signed in, or the wrong role);
- ``hidden``: 404 worded exactly like a consultation or tablet that does not exist (no grant there);
- ``passed``: the route's own answer (anything else below 500: the guard let the request through).

Admins pass everywhere. One app and one database per backend; sessions are made once per role.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.http import csrf, staff_session
from survey.http.session_store import id_hash
from survey.settings import load_settings
from survey.store import migrate
from survey.store.db import make_engine, session_factory, transaction
from survey.store.models import Role, StaffSession, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.field_devices import register_device
from survey.store.services.users import UserService
from tests.conftest import drop_database, new_database
from tests.factories import demo_questionnaire

PASSWORD = "matrix-pass-123"
SECRET = "matrix-secret-key-0123456789"
ROLES = ("anonymous", "interviewer", "coordinator", "analyst", "admin")
Scope = Literal["consultation", "device", "global"]
Auth = Literal["cookie", "basic"]


@dataclass(frozen=True)
class Staff:
    """A staff route: which roles it serves (admins always), what it is scoped to, how one signs in."""

    roles: frozenset[str]
    scope: Scope
    auth: tuple[Auth, ...]
    body: Any = None  # JSON body for the APIs; forms get a CSRF token of their own


ANALYST, COORDINATOR, ADMIN = frozenset({"analyst"}), frozenset({"coordinator"}), frozenset[str]()
LEADS = frozenset({"analyst", "coordinator"})
COOKIE: tuple[Auth, ...] = ("cookie",)
BASIC: tuple[Auth, ...] = ("basic",)
EITHER: tuple[Auth, ...] = ("cookie", "basic")

STAFF: dict[tuple[str, str], Staff] = {
    ("GET", "/analyst"): Staff(ANALYST, "global", COOKIE),
    ("GET", "/analyst/{slug:str}"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/weighting"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/results"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/breakdown"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/bias"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/comments"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/attachments"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/attachments/{attachment_id:int}"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/attachments.zip"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/api/{slug:str}/attachments"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/representativeness"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/targets"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/snapshots"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/snapshots/{snapshot_id:int}/publish"): Staff(
        ANALYST, "consultation", COOKIE
    ),
    ("GET", "/analyst/api/{slug:str}/results"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/api/{slug:str}/summary"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/api/{slug:str}/breakdown"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/snapshots/compare"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/snapshots/{snapshot_id:int}"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/analyst/{slug:str}/snapshots/{snapshot_id:int}/preview"): Staff(
        ANALYST, "consultation", COOKIE
    ),
    ("GET", "/analyst/{slug:str}/snapshots/{snapshot_id:int}/report"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/snapshots/{snapshot_id:int}/withdraw"): Staff(
        ANALYST, "consultation", COOKIE
    ),
    ("GET", "/analyst/api/{slug:str}/representativeness"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/schemes"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/schemes/{name:str}/remove"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/field/coordinator"): Staff(COORDINATOR, "global", EITHER),
    ("GET", "/field/coordinator/devices/{device_id:int}"): Staff(COORDINATOR, "device", EITHER),
    ("GET", "/field/coordinator/consultations/{slug:str}/collect"): Staff(
        COORDINATOR, "consultation", EITHER
    ),
    ("POST", "/field/coordinator/consultations/{slug:str}/collect"): Staff(
        COORDINATOR, "consultation", EITHER
    ),
    ("POST", "/field/coordinator/consultations/{slug:str}/collect/{device_id:int}/revoke"): Staff(
        COORDINATOR, "consultation", EITHER
    ),
    ("GET", "/field/api/admin/devices/{device_id:int}/reconciliation"): Staff(COORDINATOR, "device", EITHER),
    ("GET", "/field/api/admin/devices"): Staff(ADMIN, "global", BASIC),
    ("POST", "/field/api/admin/devices/{device_id:int}/revoke"): Staff(ADMIN, "device", BASIC),
    ("POST", "/field/api/admin/import"): Staff(
        ADMIN, "global", BASIC, {"device_id": 999_999, "interviewer_id": 999_999, "items": []}
    ),
    ("PUT", "/field/api/admin/assignments"): Staff(
        ADMIN, "global", BASIC, {"username": "nobody", "consultation": "own"}
    ),
    ("PUT", "/field/api/admin/consultations/{slug:str}/quotas"): Staff(ANALYST, "consultation", BASIC, []),
    ("GET", "/field/api/admin/consultations/{slug:str}/contacts"): Staff(ANALYST, "consultation", BASIC),
    ("GET", "/field/api/admin/consultations/{slug:str}/adaptive"): Staff(ANALYST, "consultation", BASIC),
    ("PUT", "/field/api/admin/consultations/{slug:str}/supervisor-code"): Staff(
        COORDINATOR, "consultation", BASIC, {"code": "matrix-code-2026"}
    ),
    ("PUT", "/field/api/admin/consultations/{slug:str}/adaptive"): Staff(
        ANALYST, "consultation", BASIC, {"cells": "sex", "budget": 10}
    ),
    ("DELETE", "/field/api/admin/consultations/{slug:str}/adaptive"): Staff(ANALYST, "consultation", BASIC),
    ("GET", "/analyst/{slug:str}/adaptive-quotas"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/analyst/{slug:str}/adaptive-quotas"): Staff(ANALYST, "consultation", COOKIE),
    # The console: a granted analyst leads a consultation, a granted coordinator sees it (survey/console/guards.py).
    ("GET", "/console"): Staff(LEADS, "global", COOKIE),
    ("GET", "/console/new"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/new"): Staff(ADMIN, "global", COOKIE),
    ("GET", "/console/c/{slug:str}"): Staff(LEADS, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/open"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/close"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/schedule"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/console/c/{slug:str}/questionnaire"): Staff(LEADS, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/questionnaire"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/console/c/{slug:str}/preview/{number:int}"): Staff(LEADS, "consultation", COOKIE),
    ("GET", "/console/c/{slug:str}/preview/{number:int}/p/{page:int}"): Staff(LEADS, "consultation", COOKIE),
    ("GET", "/console/c/{slug:str}/preview/{number:int}/tablet"): Staff(LEADS, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/preview/{number:int}/p/{page:int}"): Staff(LEADS, "consultation", COOKIE),
    ("GET", "/console/audit"): Staff(LEADS, "global", COOKIE),  # each sees the entries of their grants
    ("GET", "/console/people"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people"): Staff(ADMIN, "global", COOKIE),
    ("GET", "/console/people/{user_id:int}"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people/{user_id:int}/active"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people/{user_id:int}/assign"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people/{user_id:int}/devices/{device_id:int}/revoke"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people/{user_id:int}/reset"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people/{user_id:int}/role"): Staff(ADMIN, "global", COOKIE),
    ("POST", "/console/people/{user_id:int}/grants"): Staff(ADMIN, "global", COOKIE),
    ("GET", "/console/c/{slug:str}/invitations"): Staff(LEADS, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/invitations/access"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/invitations/download"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/invitations/issue"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/console/c/{slug:str}/targets"): Staff(LEADS, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/targets/derive"): Staff(ANALYST, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/targets/save"): Staff(ANALYST, "consultation", COOKIE),
    ("GET", "/console/c/{slug:str}/quotas"): Staff(LEADS, "consultation", COOKIE),
    ("POST", "/console/c/{slug:str}/quotas"): Staff(ANALYST, "consultation", COOKIE),
}

PUBLIC = {  # anyone: health, metrics, the API schema, static files, the sign-in forms
    ("GET", "/health"), ("GET", "/ready"), ("GET", "/metrics"),
    ("GET", "/schema"), ("GET", "/schema/openapi.json"), ("GET", "/schema/{path:str}"),
    ("GET", "/static/analyst/{file_path:path}"), ("HEAD", "/static/analyst/{file_path:path}"),
    ("GET", "/static/web/{file_path:path}"), ("HEAD", "/static/web/{file_path:path}"),
    ("GET", "/static/expressions.js"), ("GET", "/field"), ("GET", "/field/{name:str}"),
    ("GET", "/analyst/login"), ("POST", "/analyst/login"), ("POST", "/analyst/logout"),
    ("GET", "/field/coordinator/login"), ("POST", "/field/coordinator/login"),
    ("POST", "/field/coordinator/logout"),
    ("GET", "/console/login"), ("POST", "/console/login"), ("POST", "/console/logout"),
    ("GET", "/static/console/{file_path:path}"), ("HEAD", "/static/console/{file_path:path}"),
    ("GET", "/console/reset/{token:str}"), ("POST", "/console/reset/{token:str}"),  # the one-time link is the key
}  # fmt: skip

CITIZEN = {  # respondents, anonymous by design; published results
    ("GET", "/"), ("GET", "/c/{slug:str}"), ("POST", "/c/{slug:str}/start"),
    ("GET", "/c/{slug:str}/r/{token:str}"), ("GET", "/c/{slug:str}/r/{token:str}/saved"),
    ("GET", "/c/{slug:str}/r/{token:str}/thanks"), ("GET", "/c/{slug:str}/r/{token:str}/p/{number:int}"),
    ("POST", "/c/{slug:str}/r/{token:str}/p/{number:int}"),
    ("GET", "/api/consultations"), ("GET", "/api/consultations/{slug:str}/questionnaire"),
    ("POST", "/api/consultations/{slug:str}/responses"),
    ("GET", "/results/{slug:str}"), ("GET", "/results/{slug:str}/{snapshot_id:int}"),
}  # fmt: skip

FIELD_DEVICE = {  # tablets (Bearer device token), ODK Collect (interviewer's Basic, or an app user's key): assignments decide
    ("POST", "/field/api/login"), ("POST", "/field/api/logout"), ("GET", "/field/api/consultations"),
    ("POST", "/field/api/sync"), ("PUT", "/field/api/attachments/{uuid:str}/{question:str}"),
    ("GET", "/field/api/versions/{version_id:int}"), ("GET", "/field/api/consultations/{slug:str}/quotas"),
    ("GET", "/openrosa/{slug:str}/formList"), ("GET", "/openrosa/{slug:str}/form.xml"),
    ("GET", "/openrosa/{slug:str}/manifest"), ("GET", "/openrosa/{slug:str}/submission"),
    ("POST", "/openrosa/{slug:str}/submission"), ("GET", "/openrosa/{slug:str}/media/{name:str}"),
    # one server address for every consultation assigned to the interviewer (tests/openrosa/test_server_url.py)
    ("GET", "/openrosa/formList"), ("GET", "/openrosa/submission"), ("POST", "/openrosa/submission"),
    # ODK Collect app users: the key in the address is the credential (tests/openrosa/test_app_users.py)
    ("GET", "/openrosa/{slug:str}/key/{token:str}/formList"), ("GET", "/openrosa/{slug:str}/key/{token:str}/form.xml"),
    ("GET", "/openrosa/{slug:str}/key/{token:str}/manifest"),
    ("GET", "/openrosa/{slug:str}/key/{token:str}/submission"),
    ("POST", "/openrosa/{slug:str}/key/{token:str}/submission"),
    ("GET", "/openrosa/{slug:str}/key/{token:str}/media/{name:str}"),
    ("GET", "/openrosa/key/{token:str}/formList"), ("GET", "/openrosa/key/{token:str}/submission"),
    ("POST", "/openrosa/key/{token:str}/submission"),
}  # fmt: skip

AUTOMATIC = {"OPTIONS"}  # Litestar answers OPTIONS itself on every path


def route_table(app: Litestar) -> set[tuple[str, str]]:
    """Every (method, path template) the app serves, read from its routes and their handlers."""
    found = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            found |= {(method, route.path) for method in handler.http_methods if method not in AUTOMATIC}
    return found


@dataclass
class Env:
    """The app, its client and what the requests name: two consultations, two tablets, one user per role."""

    client: TestClient[Litestar]
    slugs: dict[str, str]
    devices: dict[str, int]
    cookies: dict[str, str]
    snapshot_id: int = 1


def _session_cookie(session: Session, user: User) -> str:
    """A staff session made the way the sign-in forms make it (a row on the server, a signed cookie)."""
    sid = secrets.token_urlsafe(24)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    session.add(StaffSession(id_hash=id_hash(sid), user_id=user.id, expires_at=expires))
    return staff_session.sign_session(SECRET, user, sid=sid)


def _populate(factory: sessionmaker[Session]) -> tuple[dict[str, int], dict[str, str]]:
    with transaction(factory) as session:
        service = ConsultationService(session)
        ours, theirs = (service.create(s, {"en": s}, actor="test") for s in ("own", "other"))
        for consultation in (ours, theirs):
            service.add_version(consultation, demo_questionnaire(), source_name="demo.xlsx", actor="test")
        users = UserService(session)
        people = {
            "admin": users.create("adm", PASSWORD, Role.ADMIN, actor="test"),
            "analyst": users.create("ana", PASSWORD, Role.ANALYST, actor="test"),
            "coordinator": users.create("coo", PASSWORD, Role.COORDINATOR, actor="test"),
            "interviewer": users.create("ivo", PASSWORD, Role.INTERVIEWER, actor="test"),
        }
        stranger = users.create("iva", PASSWORD, Role.INTERVIEWER, actor="test")
        for role in ("analyst", "coordinator"):
            grants.grant(
                session, user_id=people[role].id, consultation_id=ours.id, role=Role(role), by="test"
            )
        assign(session, people["interviewer"], ours, actor="test")  # the interviewer's grant
        assign(session, stranger, theirs, actor="test")
        devices = {
            "own": register_device(session, people["interviewer"], "own tablet")[0].id,
            "other": register_device(session, stranger, "other tablet")[0].id,
        }
        cookies = {role: _session_cookie(session, user) for role, user in people.items()}
    return devices, cookies


@pytest.fixture(scope="module")
def env(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    """One app on a database of its own per backend, shared by every request of the matrix."""
    url = new_database(database_url, "matrix", tmp_path_factory.mktemp("matrix"))
    migrate.upgrade(url)
    engine = make_engine(url)
    devices, cookies = _populate(session_factory(engine))
    engine.dispose()
    settings = load_settings(
        {"DATABASE_URL": url, "SURVEY_DATA_DIR": str(tmp_path_factory.mktemp("data")), "SECRET_KEY": SECRET}
    )
    with TestClient(create_app(settings)) as client:
        yield Env(client, {"own": "own", "other": "other"}, devices, cookies)
    drop_database(url)


def _path(template: str, env: Env, where: str) -> str:
    return (
        template.replace("{slug:str}", env.slugs[where])
        .replace("{device_id:int}", str(env.devices[where]))
        .replace("{snapshot_id:int}", str(env.snapshot_id))
        .replace("{number:int}", "1")  # the first questionnaire version, its first page
        .replace("{page:int}", "1")
        .replace("{user_id:int}", "1")  # the first account (people pages are the admin's alone)
        .replace("{name:str}", "no-such-scheme")  # a scheme name: the guard answers before the lookup
        .replace("{attachment_id:int}", "1")  # an attachment id: the guard answers before the lookup
    )


def _call(env: Env, method: str, path: str, rule: Staff, role: str, auth: Auth) -> tuple[int, str, str]:
    """One request as ``role``; returns status, body and Location."""
    client = env.client
    client.cookies.clear()
    headers = {"Accept": "application/json"}
    seed = "matrix-csrf-seed"
    cookie = [f"{csrf.COOKIE}={seed}"]
    username = {"admin": "adm", "analyst": "ana", "coordinator": "coo", "interviewer": "ivo"}.get(role)
    if username and auth == "basic":
        headers["Authorization"] = "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    elif username:
        cookie.append(f"{staff_session.SESSION_COOKIE}={env.cookies[role]}")
    headers["Cookie"] = "; ".join(cookie)
    kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
    if method in ("POST", "PUT"):
        if rule.body is not None or path.startswith("/field/api/"):
            kwargs["json"] = rule.body
        else:
            kwargs["data"] = {"csrf_token": csrf.token(SECRET, seed)}
    reply = client.request(method, path, **kwargs)
    return reply.status_code, reply.text, reply.headers.get("location", "")


def _verdict(status: int, body: str, location: str, env: Env, where: str) -> str:
    if status in (401, 403) or (status == 303 and "/login" in location):
        return "denied"
    hidden = (f"no consultation '{env.slugs[where]}'", f"no device {env.devices[where]}")
    if status == 404 and any(h in body for h in hidden):
        return "hidden"
    return "passed" if status < 500 else f"error {status}"


def _expected(rule: Staff, role: str, where: str) -> str:
    if role == "admin":
        return "passed"
    if role not in rule.roles:
        return "denied"
    return "passed" if rule.scope == "global" or where == "own" else "hidden"


def test_every_route_is_classified(env: Env) -> None:
    """A route added without a line in one of the tables above fails here; so does a stale line."""
    served = route_table(env.client.app)
    classified = set(STAFF) | PUBLIC | CITIZEN | FIELD_DEVICE
    assert len(served) > 40
    assert sorted(served - classified) == [], (
        "classify these routes in tests/security/test_authorization_matrix.py"
    )
    assert sorted(classified - served) == [], "these classified routes are no longer served"
    assert not set(STAFF) & (PUBLIC | CITIZEN | FIELD_DEVICE)


def test_every_staff_route_by_every_role_on_own_and_other(env: Env) -> None:
    """The matrix itself: every staff route × role × own/other consultation (or tablet) × credential."""
    wrong: list[str] = []
    checked = 0
    for (method, template), rule in sorted(STAFF.items()):
        places = ("own", "other") if rule.scope != "global" else ("own",)
        for where in places:
            path = _path(template, env, where)
            for role in ROLES:
                for auth in rule.auth if role != "anonymous" else rule.auth[:1]:
                    status, body, location = _call(env, method, path, rule, role, auth)
                    got, expected = _verdict(status, body, location, env, where), _expected(rule, role, where)
                    checked += 1
                    if got != expected:
                        wrong.append(
                            f"{method} {path} as {role} ({auth}): {status} {got}, expected {expected}"
                        )
    assert checked > 150
    assert wrong == [], "\n".join(wrong)


def test_lists_show_only_granted_consultations_and_tablets(env: Env) -> None:
    """The workbench's consultation list and the coordinators' tablet list hold only what is granted."""
    rule = STAFF[("GET", "/analyst")]
    _, page, _ = _call(env, "GET", "/analyst", rule, "analyst", "cookie")
    assert 'href="/analyst/own' in page and 'href="/analyst/other' not in page
    _, page, _ = _call(env, "GET", "/analyst", rule, "admin", "cookie")
    assert 'href="/analyst/own' in page and 'href="/analyst/other' in page
    rule = STAFF[("GET", "/field/coordinator")]
    own, other = (f"/field/coordinator/devices/{env.devices[w]}" for w in ("own", "other"))
    _, page, _ = _call(env, "GET", "/field/coordinator", rule, "coordinator", "cookie")
    assert own in page and other not in page
    _, page, _ = _call(env, "GET", "/field/coordinator", rule, "admin", "cookie")
    assert own in page and other in page


def test_removing_a_grant_closes_the_consultation_at_once(env: Env) -> None:
    """A revoked grant applies to the next request of an open session (nothing is cached in the cookie)."""
    rule = STAFF[("GET", "/analyst/{slug:str}")]
    assert _verdict(*_call(env, "GET", "/analyst/own", rule, "analyst", "cookie"), env, "own") == "passed"
    factory = env.client.app.state.session_factory
    with transaction(factory) as session:
        analyst = UserService(session).named("ana")
        own = ConsultationService(session).get("own")
        assert grants.revoke(
            session, user_id=analyst.id, consultation_id=own.id, role=Role.ANALYST, by="test"
        )
    try:
        assert _verdict(*_call(env, "GET", "/analyst/own", rule, "analyst", "cookie"), env, "own") == "hidden"
    finally:
        with transaction(factory) as session:
            grants.grant(session, user_id=analyst.id, consultation_id=own.id, role=Role.ANALYST, by="test")


def test_interviewers_act_on_their_assigned_consultations_only(env: Env) -> None:
    """The interviewer's grant is the assignment: the tablet API and ODK Collect serve the assigned
    consultation and answer 404 for another, as the staff routes do."""
    client = env.client
    client.cookies.clear()
    with transaction(client.app.state.session_factory) as session:  # the matrix revoked the first tablet
        token = register_device(session, UserService(session).named("ivo"), "second tablet")[1]
    bearer = {"Authorization": f"Bearer {token}"}
    basic = {"Authorization": "Basic " + base64.b64encode(f"ivo:{PASSWORD}".encode()).decode()}
    assert [c["slug"] for c in client.get("/field/api/consultations", headers=bearer).json()] == ["own"]
    assert client.get("/field/api/consultations/own/quotas", headers=bearer).status_code == 200
    refused = client.get("/field/api/consultations/other/quotas", headers=bearer)
    assert refused.status_code == 404 and refused.json()["code"] == "not_assigned", refused.text
    for leaf in ("formList", "form.xml", "manifest"):
        assert client.get(f"/openrosa/own/{leaf}", headers=basic).status_code == 200, leaf
        assert client.get(f"/openrosa/other/{leaf}", headers=basic).status_code == 404, leaf
    listed = client.get("/openrosa/formList", headers=basic).text  # the one address for every consultation
    assert "<formID>own." in listed and "<formID>other." not in listed
