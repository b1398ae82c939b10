"""Staff accounts in the console: create, change role, disable, reset links, assignments, devices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.app import create_app
from survey.console.people_texts import TEXTS as PEOPLE_TEXTS
from survey.console.quotas_text import TEXTS as QUOTA_TEXTS
from survey.console.targets_text import TEXTS as TARGET_TEXTS
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import AuditEntry, Device, Role, StaffSession, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_devices import register_device
from tests.console.conftest import PASSWORD, csrf, make_user, sign_in
from tests.console.conftest import post as console_post

LINK = re.compile(r'id="reset-link" readonly value="https?://[^/]+(/console/reset/[^"]+)"')


def post(
    client: TestClient, path: str, data: dict[str, str] | None = None, *, token_from: str = "/console/people"
) -> Any:
    """A console form post whose token comes from the people page."""
    return console_post(client, path, data, token_from=token_from)


@pytest.fixture
def anonymous_second(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """Another browser, signed in as nobody (the person whose account changes)."""
    with TestClient(create_app(settings)) as other:
        yield other


def test_every_people_text_has_french_dutch_and_english() -> None:
    missing = {k: sorted({"fr", "nl", "en"} - {lang for lang, v in by.items() if v.strip()})
               for k, by in (PEOPLE_TEXTS | QUOTA_TEXTS | TARGET_TEXTS).items()}  # fmt: skip
    assert {k: v for k, v in missing.items() if v} == {}


def _id(sessions: sessionmaker[Session], name: str) -> int:
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == name))
        assert user is not None
        return user.id


def test_admin_creates_an_account_and_bad_input_names_the_field(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    made = post(client, "/console/people", {"username": "ana", "display_name": "Ana <b>",
                                            "role": "analyst", "password": "long enough"})  # fmt: skip
    assert made.status_code == 303
    listing = client.get("/console/people?lang=en")
    assert "ana" in listing.text and "Ana &lt;b&gt;" in listing.text and "<b>" not in listing.text
    short = post(
        client, "/console/people?lang=nl", {"username": "bob", "role": "analyst", "password": "short"}
    )
    assert short.status_code == 400 and "Wachtwoord: minstens 8 tekens." in short.text
    taken = post(
        client, "/console/people?lang=en", {"username": "ana", "role": "analyst", "password": "long enough"}
    )
    assert taken.status_code == 400 and "&#39;ana&#39; is already taken" in taken.text
    for name in ("x" * 81, "two words"):
        long = post(
            client,
            "/console/people?lang=en",
            {"username": name, "role": "analyst", "password": "long enough"},
        )
        assert (
            long.status_code == 400 and "Username: required, at most 80 characters, no spaces." in long.text
        )
    bad_role = post(
        client, "/console/people?lang=fr", {"username": "x", "role": "root", "password": "long enough"}
    )
    assert bad_role.status_code == 400 and "Rôle : choisissez" in bad_role.text
    with sessions() as session:
        assert session.scalars(select(User.username).order_by(User.username)).all() == ["ana", "organiser"]
        created = session.scalar(select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.entity == "user",
                                                          AuditEntry.actor == "organiser"))  # fmt: skip
        assert created is not None


def test_role_change_and_disabling_end_the_accounts_sessions(
    client: TestClient, anonymous_second: TestClient, sessions: sessionmaker[Session]
) -> None:
    make_user(sessions, "boss2", Role.ADMIN)
    assert sign_in(anonymous_second, "boss2") == 303
    assert anonymous_second.get("/console/people").status_code == 200
    uid = _id(sessions, "boss2")
    assert post(client, f"/console/people/{uid}/role", {"role": "analyst"}).status_code == 303
    assert anonymous_second.get("/console/people", follow_redirects=False).status_code == 303  # signed out
    with sessions() as session:
        assert session.scalars(select(StaffSession).where(StaffSession.user_id == uid)).all() == []
        assert session.get(User, uid).role == "analyst"
    assert post(client, f"/console/people/{uid}/active", {"active": "0"}).status_code == 303
    assert sign_in(anonymous_second, "boss2") == 401
    no_link = post(client, f"/console/people/{uid}/reset?lang=nl")
    assert no_link.status_code == 400 and "Dit account is uitgeschakeld" in no_link.text
    me = _id(sessions, "organiser")
    refused = post(client, f"/console/people/{me}/active?lang=en", {"active": "0"})
    assert refused.status_code == 400 and "your own account" in refused.text
    assert (
        client.post(f"/console/people/{uid}/role", data={"role": "admin", "csrf_token": "x"}).status_code
        == 403
    )
    assert post(client, "/console/people/999999/role", {"role": "admin"}).status_code == 404


def test_a_reset_link_from_the_console_works_once(
    client: TestClient, anonymous_second: TestClient, sessions: sessionmaker[Session]
) -> None:
    uid = make_user(sessions, "ivan", Role.ADMIN)
    shown = post(client, f"/console/people/{uid}/reset")
    assert shown.status_code == 200
    path = LINK.search(shown.text)
    assert path is not None
    link = path.group(1)
    form = anonymous_second.get(link + "?lang=en")
    assert form.status_code == 200 and "Account: ivan" in form.text
    token = csrf(anonymous_second, link)
    differ = anonymous_second.post(link + "?lang=en", data={"csrf_token": token, "password": "brand new pw",
                                                            "again": "other pw!!"})  # fmt: skip
    assert differ.status_code == 400 and "The two passwords differ." in differ.text
    done = anonymous_second.post(
        link, data={"csrf_token": token, "password": "brand new pw", "again": "brand new pw"}
    )
    assert done.status_code == 200 and 'id="reset-done"' in done.text
    assert sign_in(anonymous_second, "ivan", "brand new pw") == 303
    again = anonymous_second.get(link + "?lang=fr")
    assert again.status_code == 400 and "pas valable : il a expiré" in again.text
    assert anonymous_second.get("/console/reset/garbage%C3%A9.x").status_code == 400
    assert sign_in(anonymous_second, "ivan", PASSWORD) == 401


def test_assignments_and_device_revocation_are_audited(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    uid = make_user(sessions, "field1", Role.INTERVIEWER)
    with transaction(sessions) as session:
        ConsultationService(session).create("north", {"en": "North"}, actor="test")
        device, _ = register_device(session, session.get(User, uid), "Tablet A")
        device_id = device.id
    page = f"/console/people/{uid}"
    assert post(client, f"{page}/assign", {"consultation": "north"}, token_from=page).status_code == 303
    assert (
        "North (north)" in client.get(page + "?lang=en").text.split('id="assignments"')[1].split("</ul>")[0]
    )
    assert post(client, f"{page}/assign", {"consultation": "nowhere"}, token_from=page).status_code == 404
    assert post(client, f"{page}/devices/{device_id}/revoke", token_from=page).status_code == 303
    assert (
        post(client, f"{page}/assign", {"consultation": "north", "remove": "1"}, token_from=page).status_code
        == 303
    )
    other = make_user(sessions, "field2", Role.INTERVIEWER)
    wrong = post(client, f"/console/people/{other}/devices/{device_id}/revoke?lang=en")
    assert wrong.status_code == 400 and "does not belong" in wrong.text
    with sessions() as session:
        assert session.get(Device, device_id).revoked_at is not None
        actions = [
            a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.actor == "organiser"))
        ]
        assert actions == ["assign", "revoke", "unassign"]


def test_people_pages_are_for_admins_only(anonymous: TestClient, sessions: sessionmaker[Session]) -> None:
    make_user(sessions, "coord", Role.COORDINATOR)
    assert sign_in(anonymous, "coord") in (303, 403)
    assert anonymous.get("/console/people", follow_redirects=False).status_code in (303, 403)
