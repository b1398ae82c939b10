"""Grants in the console, and what they fence: a project lead granted one consultation cannot see or
change another through the invitation, target, quota or audit pages (404, worded as for none)."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import AuditEntry, Invitation, Role
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitations import InvitationService
from tests.console.conftest import csrf, make_user, post, sign_in
from tests.factories import store_demo_form


def test_admin_grants_and_withdraws_a_consultation(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    uid = make_user(sessions, "lead", Role.ANALYST)
    store_demo_form(sessions, "mine")
    page = f"/console/people/{uid}"
    assert post(client, f"{page}/grants", {"consultation": "mine"}, token_from=page).status_code == 303
    assert "mine" in client.get(page).text.split('id="grants"')[1].split("</ul>")[0]
    assert (
        post(client, f"{page}/grants", {"consultation": "mine", "remove": "1"}, token_from=page).status_code
        == 303
    )
    ivan = make_user(sessions, "ivan", Role.INTERVIEWER)
    refused = post(
        client, f"/console/people/{ivan}/grants?lang=en", {"consultation": "mine"}, token_from=page
    )
    assert refused.status_code == 400 and "by assignment" in refused.text
    with sessions() as session:
        assert grants.grants_of(session, uid) == []
        actions = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.entity == "grant"))]
        assert actions == ["grant", "revoke"]


def test_a_project_lead_reaches_only_the_granted_consultation(
    anonymous: TestClient, sessions: sessionmaker[Session]
) -> None:
    uid = make_user(sessions, "lead", Role.ANALYST)
    store_demo_form(sessions, "mine")
    store_demo_form(sessions, "theirs")
    with transaction(sessions) as session:
        service = ConsultationService(session)
        mine, theirs = service.get("mine"), service.get("theirs")
        grants.grant(session, user_id=uid, consultation_id=mine.id, role=Role.ANALYST, by="test")
        InvitationService(session).set_required(theirs, True, actor="someone")
        InvitationService(session).set_required(mine, True, actor="someone")
    assert sign_in(anonymous, "lead") == 303
    for section in ("invitations", "targets", "quotas"):
        assert anonymous.get(f"/console/c/mine/{section}").status_code == 200, section
        other = anonymous.get(f"/console/c/theirs/{section}")
        assert other.status_code == 404, section
    token = csrf(anonymous, "/console/c/mine/invitations")
    writes = [("/console/c/theirs/invitations/issue", {"count": "3"}),
              ("/console/c/theirs/invitations/access", {"required": "0"}),
              ("/console/c/theirs/quotas", {"variable_0": "sex", "category_0": "F", "target_0": "1"}),
              ("/console/c/theirs/targets/save", {"payload": "x", "signature": "y"})]  # fmt: skip
    for path, data in writes:
        answer = anonymous.post(path, data={"csrf_token": token, **data}, follow_redirects=False)
        assert answer.status_code == 404, path
    audit = anonymous.get("/console/audit")
    assert audit.status_code == 200 and "theirs" not in audit.text.split('id="audit"')[1]
    assert anonymous.get("/console/audit?consultation=theirs").status_code == 400
    assert anonymous.get("/console/people").status_code == 403
    with sessions() as session:
        assert session.scalars(select(Invitation)).all() == []
        assert session.scalar(select(AuditEntry).where(AuditEntry.actor == "lead")) is None
    assert post(anonymous, "/console/c/mine/invitations/issue", {"count": "2"},
                token_from="/console/c/mine/invitations").status_code == 303  # fmt: skip
