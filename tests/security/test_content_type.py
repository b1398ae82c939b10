"""JSON APIs read only JSON (415 otherwise) and no CORS is granted unless origins are configured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from litestar.handlers import HTTPRouteHandler
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.http.body_type import declared_encoding
from survey.settings import ConfigurationError, Settings, load_settings
from survey.store.models import QuestionnaireVersion, Response
from tests.app_pool import lent_app
from tests.factories import valid_answers
from tests.security.conftest import SLUG

URL = f"/api/consultations/{SLUG}/responses"


def _body(version_id: int) -> dict[str, object]:
    return {"uuid": "0b8f6c3e-3f4b-4a7e-9d55-6c1d2f1e8a10", "version_id": version_id, "language": "nl",
            "answers": valid_answers()}  # fmt: skip


def _stored(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count(Response.id))) or 0)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
)
def test_a_json_body_sent_as_another_type_is_415_and_stores_nothing(
    client: TestClient, version: QuestionnaireVersion, sessions: sessionmaker[Session], content_type: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    reply = client.post(URL, content=json.dumps(_body(version.id)), headers=headers)
    assert reply.status_code == 415, reply.text
    assert "application/json" in reply.json()["detail"]
    assert _stored(sessions) == 0


def test_json_with_a_charset_or_a_plus_json_type_is_read(
    client: TestClient, version: QuestionnaireVersion, sessions: sessionmaker[Session]
) -> None:
    reply = client.post(
        URL,
        content=json.dumps(_body(version.id)),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert reply.status_code == 201, reply.text
    assert _stored(sessions) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/field/api/login"), ("POST", "/field/api/sync"), ("PUT", "/field/api/admin/assignments"),
     ("POST", "/field/api/admin/import"), ("PUT", f"/field/api/admin/consultations/{SLUG}/quotas")],
)  # fmt: skip
def test_every_field_api_body_is_json_only(client: TestClient, method: str, path: str) -> None:
    reply = client.request(method, path, content=b'{"username": "x", "password": "y"}',
                           headers={"content-type": "text/plain"})  # fmt: skip
    assert reply.status_code == 415, reply.text


def test_every_route_with_a_json_body_is_covered(settings: Settings) -> None:
    """The rule follows the route table: each JSON route of the app is one the check reads."""
    with lent_app(settings) as app:
        json_routes = {
            path
            for route in app.routes
            for handler in getattr(route, "route_handlers", [])
            if isinstance(handler, HTTPRouteHandler) and declared_encoding(handler) == "application/json"
            for path in [route.path]
        }
    assert {"/api/consultations/{slug:str}/responses", "/field/api/login", "/field/api/sync"} <= json_routes


def test_a_citizen_form_posted_as_json_is_415(client: TestClient, version: QuestionnaireVersion) -> None:
    reply = client.post(f"/c/{SLUG}/start", content=b"{}", headers={"content-type": "application/json"})
    assert reply.status_code == 415


def test_no_cors_by_default(client: TestClient, version: QuestionnaireVersion) -> None:
    preflight = client.options(URL, headers={"origin": "https://elsewhere.example",
                                             "access-control-request-method": "POST",
                                             "access-control-request-headers": "content-type"})  # fmt: skip
    assert "access-control-allow-origin" not in preflight.headers
    reply = client.get("/api/consultations", headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in reply.headers


def test_listed_origins_get_cors_and_others_do_not(
    database_url: str, tmp_path: Path, sessions: sessionmaker[Session], version: QuestionnaireVersion
) -> None:
    settings = load_settings({"DATABASE_URL": database_url, "SURVEY_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 32,
                              "SURVEY_CORS_ORIGINS": "https://partner.example, https://other.example/"})  # fmt: skip
    assert settings.cors_origins == ("https://partner.example", "https://other.example")
    with lent_app(settings) as app, TestClient(app) as client:
        asked = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
        allowed = client.options(URL, headers={"origin": "https://partner.example", **asked})
        assert allowed.headers.get("access-control-allow-origin") == "https://partner.example"
        assert "access-control-allow-credentials" not in allowed.headers
        refused = client.options(URL, headers={"origin": "https://evil.example", **asked})
        assert refused.headers.get("access-control-allow-origin") != "https://evil.example"


@pytest.mark.parametrize("value", ["*", "partner.example", "https://partner.example/path", "ftp://x"])
def test_a_malformed_cors_origin_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigurationError, match="SURVEY_CORS_ORIGINS"):
        load_settings({"SURVEY_CORS_ORIGINS": value, "SECRET_KEY": "k"})
