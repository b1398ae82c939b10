"""The audit log page: filters by who, action, consultation and dates; paged; bad dates named."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitations import InvitationService


def _history(sessions: sessionmaker[Session], n: int = 3) -> None:
    with transaction(sessions) as session:
        service = ConsultationService(session)
        one = service.create("one", {"en": "One"}, actor="alice")
        two = service.create("two", {"en": "Two"}, actor="bob")
        for _ in range(n):
            InvitationService(session).set_required(one, True, actor="alice")
        InvitationService(session).set_required(two, False, actor="bob")


def test_the_log_filters_and_pages(client: TestClient, sessions: sessionmaker[Session]) -> None:
    _history(sessions, n=60)
    page = client.get("/console/audit?lang=en")
    # 2 consultations, 61 access changes and the admin account of the fixture: 64 entries
    assert page.status_code == 200 and page.text.count("<tr><td>") == 50 and 'rel="next"' in page.text
    second = client.get("/console/audit?page=2&lang=en").text
    assert second.count("<tr><td>") == 14 and 'rel="prev"' in second and 'rel="next"' not in second
    bob = client.get("/console/audit?actor=bob").text
    assert bob.count("<tr><td>") == 2 and "alice" not in bob.split('id="audit"')[1]
    two = client.get("/console/audit?consultation=two&action=open_link").text
    assert two.count("<tr><td>") == 1
    assert client.get("/console/audit?since=2000-01-01&until=2000-01-02").text.count("<tr><td>") == 0


def test_bad_filter_values_are_named_not_500(client: TestClient, sessions: sessionmaker[Session]) -> None:
    _history(sessions, n=1)
    bad = client.get("/console/audit?since=yesterday&lang=en")
    assert bad.status_code == 400 and "From: a date as YYYY-MM-DD." in bad.text
    unknown = client.get("/console/audit?consultation=ghost&lang=nl")
    assert unknown.status_code == 400 and "Raadpleging: onbekend" in unknown.text
    assert client.get("/console/audit?page=-4&page=x").status_code == 200
    assert client.get("/console/audit?actor=%00").status_code == 400  # the app refuses NUL everywhere
