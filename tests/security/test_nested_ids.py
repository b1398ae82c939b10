"""Every id nested under a consultation's slug, in the path or the body, must belong to that consultation.

The cases are generated from the app's route table: each route with ``{slug}`` and another path
parameter, and each JSON body that names a questionnaire version, is tried with consultation A in
the path and an object of consultation B. A new route with a kind of nested id this file does not
know fails the test until a case is added for it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from litestar.handlers import HTTPRouteHandler
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.openrosa.app_users import create_app_user
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import (
    Attachment,
    Consultation,
    Mode,
    Response,
    ResponseStatus,
    ResultSnapshot,
    Role,
    TargetSet,
    WeightingScheme,
)
from survey.store.services.field_assignments import assign
from survey.store.services.progress import ProgressService
from survey.store.services.responses import ResponseService, Submission
from survey.store.services.users import UserService
from tests.factories import valid_answers
from tests.web.conftest import store_consultation

A, B = "consultation-a", "consultation-b"
PASSWORD = "nested-pass-123"
PARAM = re.compile(r"\{(\w+):\w+\}")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    """Consultation B's objects, reached through consultation A's URLs."""

    version_a: int
    version_b: int
    token_b: str
    snapshot_b: int
    app_key_b: str  # an ODK Collect app user's key of B
    app_device_b: int
    scheme_b: str  # a weighting scheme's name, which only B has
    attachment_b: int  # a photo sent with one of B's complete responses


def _world(sessions: sessionmaker[Session]) -> World:
    version_a = store_consultation(sessions, A).id
    version_b = store_consultation(sessions, B)
    with transaction(sessions) as session:
        _, token = ProgressService(session).start(session.merge(version_b), "en", False)
        UserService(session).create("boss", PASSWORD, Role.ADMIN, actor="test")
        targets = TargetSet(consultation_id=version_b.consultation_id, version=1)
        session.add(targets)
        session.flush()
        snapshot = ResultSnapshot(consultation_id=version_b.consultation_id, questionnaire_version_id=version_b.id,
                                  target_set_id=targets.id, data_hash="0" * 64, method="rake",
                                  software_version="test", content={})  # fmt: skip
        session.add(snapshot)
        session.flush()
        snapshot_id = snapshot.id
        session.add(WeightingScheme(consultation_id=version_b.consultation_id, name="only-in-b",
                                    target_set_id=targets.id, method="rake", settings={}))  # fmt: skip
        consultation_b = session.get(Consultation, version_b.consultation_id)
        assert consultation_b is not None
        collector = UserService(session).create("collector", PASSWORD, Role.INTERVIEWER, actor="test")
        assign(session, collector, consultation_b, actor="test")
        device, key = create_app_user(session, consultation_b, collector, "B's phone", actor="test")
        device_id = device.id
        sent = str(uuid.uuid4())
        ResponseService(session).submit(
            Submission(uuid=sent, version=session.merge(version_b), mode=Mode.ONLINE, language="en",
                       answers=valid_answers())
        )  # fmt: skip
        photo = Attachment(response_uuid=sent, consultation_id=version_b.consultation_id, question="photo",
                           filename="b.png", media_type="image/png", size=8, sha256="0" * 64,
                           content=b"\x89PNG\r\n\x1a\n")  # fmt: skip
        session.add(photo)
        session.flush()
        attachment_id = photo.id
    return World(version_a, version_b.id, token, snapshot_id, key, device_id, "only-in-b", attachment_id)


def _signed_in(client: TestClient) -> str:
    """Sign the admin in; the workbench's CSRF token for later posts."""
    page = client.get("/analyst/login")
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    client.post("/analyst/login", data={"csrf_token": token, "username": "boss", "password": PASSWORD})
    return TOKEN.search(client.get("/analyst/").text).group(1)  # type: ignore[union-attr]


def _citizen_token(client: TestClient) -> str:
    return TOKEN.search(client.get(f"/c/{A}").text).group(1)  # type: ignore[union-attr]


# Path parameter -> the value naming B's object of that kind.
PATH_VALUES: dict[str, Callable[[World], str]] = {
    "token": lambda w: w.token_b,
    "snapshot_id": lambda w: str(w.snapshot_b),
    "number": lambda _w: "1",  # a page number, the same in every consultation; the token is what is B's
    "device_id": lambda w: str(w.app_device_b),
    "page": lambda _w: "1",  # a page of a questionnaire preview: the version number is what is B's
    "name": lambda w: w.scheme_b,  # a weighting scheme: names are per consultation, so B's is not A's
    "attachment_id": lambda w: str(w.attachment_b),
}
# Where a parameter name means something else under a path prefix: an OpenRosa ``token`` is an app
# user's key, not a citizen's resume token.
PREFIXED_VALUES: dict[tuple[str, str], Callable[[World], str]] = {
    ("/openrosa/", "token"): lambda w: w.app_key_b,
    ("/openrosa/", "name"): lambda _w: "places.csv",  # a media file of a form, named alike anywhere
}


def _value(path: str, name: str, world: World) -> str:
    if name == "slug":
        return A
    for (prefix, param), value in PREFIXED_VALUES.items():
        if param == name and path.startswith(prefix):
            return value(world)
    return PATH_VALUES[name](world)


def _url(path: str, world: World) -> str:
    return PARAM.sub(lambda m: _value(path, m.group(1), world), path)


# Routes whose JSON body names a questionnaire version: a body that puts B's version under A.
BODY_CASES: dict[str, Callable[[World], dict[str, Any]]] = {
    "/api/consultations/{slug:str}/responses": lambda w: {
        "uuid": str(uuid.uuid4()), "version_id": w.version_b, "language": "en", "answers": valid_answers()},
}  # fmt: skip
# Bodies that name the consultation themselves rather than in the path (checked by their own tests).
BODY_NAMES_ITS_CONSULTATION = {"/field/api/sync", "/field/api/admin/import"}
# Paths whose other parameters are ordinals or names counted within the slug's consultation (a
# version's number, a page of it, a media file of its current form), not ids: they cannot name B's
# objects at all.
ORDINALS_WITHIN_THE_CONSULTATION = {
    "/console/c/{slug:str}/preview/{number:int}",
    "/console/c/{slug:str}/preview/{number:int}/p/{page:int}",
    "/openrosa/{slug:str}/media/{name:str}",
    "/console/c/{slug:str}/preview/{number:int}/tablet",
}


def _names_a_version(kind: Any) -> bool:
    """Whether a body type holds a ``version_id`` anywhere (structs, lists of structs)."""
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        fields = msgspec.structs.fields(kind)
        return any(f.name == "version_id" or _names_a_version(f.type) for f in fields)
    return any(_names_a_version(arg) for arg in getattr(kind, "__args__", ()))


def _nested_routes(app: Any) -> list[tuple[str, str, HTTPRouteHandler]]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                params = PARAM.findall(route.path)
                body = handler.parsed_fn_signature.parameters.get("data")
                nested = "slug" in params and len(params) > 1
                versioned = body is not None and _names_a_version(body.annotation)
                if nested or versioned:
                    found.append((method, route.path, handler))
    return found


def test_the_cases_cover_every_nested_route(client: TestClient) -> None:
    routes = _nested_routes(client.app)
    assert routes, "the route table has nested routes"
    for method, path, handler in routes:
        unknown = [p for p in PARAM.findall(path) if p != "slug" and p not in PATH_VALUES]
        assert not unknown, f"{method} {path}: add a case for {unknown}"
        if handler.parsed_fn_signature.parameters.get("data") is not None and "{slug" in path:
            body = handler.parsed_fn_signature.parameters["data"].annotation
            if _names_a_version(body):
                assert path in BODY_CASES, f"{method} {path}: add a body case"


def _state(sessions: sessionmaker[Session], world: World) -> tuple[Any, ...]:
    with sessions() as session:
        snapshot = session.get(ResultSnapshot, world.snapshot_b)
        assert snapshot is not None
        responses = session.scalar(select(func.count(Response.id)))
        in_progress = session.scalar(
            select(func.count(Response.id)).where(Response.status == ResponseStatus.IN_PROGRESS.value)
        )
        schemes = session.scalar(select(func.count(WeightingScheme.id)))
        return snapshot.published_at, responses, in_progress, schemes


@pytest.mark.usefixtures("_no_rate_limit")
def test_another_consultations_objects_cannot_be_reached_through_a_slug(
    client: TestClient, sessions: sessionmaker[Session], settings: Settings
) -> None:
    world = _world(sessions)
    staff_token = _signed_in(client)
    before = _state(sessions, world)
    tried = 0
    for method, path, _handler in _nested_routes(client.app):
        if path in BODY_NAMES_ITS_CONSULTATION or path in ORDINALS_WITHIN_THE_CONSULTATION:
            continue
        url = _url(path, world)
        if path in BODY_CASES:
            reply = client.request(method, url, json=BODY_CASES[path](world))
        elif method == "POST":
            staff = url.startswith(("/analyst", "/field/coordinator", "/console"))
            token = staff_token if staff else _citizen_token(client)
            reply = client.request(method, url, data={"csrf_token": token}, follow_redirects=False)
        else:
            reply = client.request(method, url, follow_redirects=False)
        assert reply.status_code == 404, f"{method} {url}: {reply.status_code} {reply.text[:200]}"
        tried += 1
    assert tried >= 5
    assert _state(sessions, world) == before
