"""Tablets and the lifecycle: a closed consultation is no longer offered, yet the interviews a
tablet still holds are received (nothing collected in the field is lost by closing)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Response
from survey.store.services.consultations import ConsultationService
from tests.field_app.conftest import FieldEnv, client, field_env, login  # noqa: F401  (fixtures)
from tests.field_app.test_api import auth, interview, sync


def test_closed_consultation_is_not_offered_but_still_synced(client, sessions: sessionmaker[Session],  # noqa: F811
                                                            field_env: FieldEnv) -> None:  # noqa: F811  # fmt: skip
    token = login(client)["token"]
    offered = client.get("/field/api/consultations", headers=auth(token)).json()
    assert [c["slug"] for c in offered] == [field_env.slug]
    held = interview(field_env)
    with transaction(sessions) as session:
        service = ConsultationService(session)
        service.close(service.get(field_env.slug), actor="test")
    assert client.get("/field/api/consultations", headers=auth(token)).json() == []
    results = sync(client, token, [held]).json()["results"]
    assert [r["status"] for r in results] == ["stored"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1
    with transaction(sessions) as session:
        service = ConsultationService(session)
        service.open(service.get(field_env.slug), actor="test")
    assert [c["slug"] for c in client.get("/field/api/consultations", headers=auth(token)).json()] == [
        field_env.slug
    ]
