"""schemathesis against the OpenAPI document of the public, field and analyst APIs, on SQLite and PostgreSQL.

Every operation in ``/schema/openapi.json`` gets generated requests (valid and invalid bodies, odd
path values, the documented examples), signed in as the route needs: a tablet's bearer token on the
field API, an admin's Basic credentials on its admin part, an analyst's session on the analyst API.
Each answer must be no server error, carry a documented status and content type, and match the
documented response schema (date-times with their time zone on both backends). Bounded: a fixed
number of examples per operation, so the whole run stays within a couple of minutes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.http import staff_session
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Role
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.users import UserService
from tests.web.conftest import SLUG, store_consultation

PASSWORD = "fuzz-pass-1234"
# What the issue asks of every answer. Not asked: that every schema-valid body is accepted (the
# server rightly refuses more than a schema can say: answers the questionnaire forbids, text the input
# policy refuses) or that every schema-violating one is refused (Litestar reads 0 and 1 as booleans).
# Examples from the document and generated cases; the exhaustive boundary enumeration ("coverage"
# phase) alone takes minutes on this API and is left to a manual `st run`.
CONFIG = SchemathesisConfig.from_str("[phases.coverage]\nenabled = false\n")
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
EXAMPLES = 15
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Credentials:
    bearer: str
    basic: str
    session_cookie: str


@pytest.fixture
def fuzz_app(settings: Settings, sessions: sessionmaker[Session]) -> Any:
    store_consultation(sessions)
    with transaction(sessions) as session:
        users = UserService(session)
        users.create("fuzz-admin", PASSWORD, Role.ADMIN, actor="test")
        analyst = users.create("fuzz-analyst", PASSWORD, Role.ANALYST, actor="test")
        interviewer = users.create("fuzz-int", PASSWORD, Role.INTERVIEWER, actor="test")
        consultation = ConsultationService(session).get(SLUG)
        assign(session, interviewer, consultation, actor="test")
        # the analyst API is fuzzed past its grant check, on the consultation the analyst works on
        grants.grant(
            session, user_id=analyst.id, consultation_id=consultation.id, role=Role.ANALYST, by="test"
        )
    return create_app(settings)


@pytest.fixture
def fuzz_client(fuzz_app: Any) -> Iterator[TestClient]:
    with TestClient(fuzz_app) as client:
        yield client


@pytest.fixture
def credentials(fuzz_client: TestClient) -> Credentials:
    client = fuzz_client
    bearer = client.post("/field/api/login", json={"username": "fuzz-int", "password": PASSWORD}).json()[
        "token"
    ]
    page = client.get("/analyst/login")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    client.post(
        "/analyst/login", data={"csrf_token": token, "username": "fuzz-analyst", "password": PASSWORD}
    )
    cookie = str(client.cookies[staff_session.SESSION_COOKIE])
    client.cookies.clear()
    basic = base64.b64encode(f"fuzz-admin:{PASSWORD}".encode()).decode()
    return Credentials(bearer, basic, cookie)


@pytest.fixture
def api_schema(fuzz_client: TestClient) -> Any:
    """The document as clients read it; requests then go through the app's own test client."""
    document = fuzz_client.get("/schema/openapi.json").json()
    return schemathesis.openapi.from_dict(document, config=CONFIG)


schema = schemathesis.pytest.from_fixture("api_schema")


def _headers(path: str, credentials: Credentials) -> dict[str, str]:
    if path.startswith("/field/api/admin"):
        return {"authorization": f"Basic {credentials.basic}"}
    if path.startswith("/field/api"):
        return {"authorization": f"Bearer {credentials.bearer}"}
    if path.startswith("/analyst/api"):
        return {"cookie": f"{staff_session.SESSION_COOKIE}={credentials.session_cookie}"}
    return {}


@pytest.mark.usefixtures("_no_rate_limit")
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_as_documented(case: Any, credentials: Credentials, fuzz_client: TestClient) -> None:
    headers = {**(case.headers or {}), **_headers(case.path, credentials)}
    sent = case.as_transport_kwargs(base_url=str(fuzz_client.base_url), headers=headers)
    body = {"json": sent["json"]} if "json" in sent else {"content": sent.get("data")}
    response = fuzz_client.request(sent["method"], sent["url"], headers=sent.get("headers"),
                                   params=sent.get("params"), follow_redirects=False, **body)  # fmt: skip
    case.validate_response(response, checks=CHECKS, headers=headers)
