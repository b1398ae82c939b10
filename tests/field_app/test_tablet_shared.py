"""Two interviewers sharing one tablet (one browser profile), offline and online: each signs in with
their own account, has their own PIN and sees only their own interviews, queue and counts; switching
needs the other's PIN; each one's items reach the server with their own device token; signing one
out leaves the other's work alone."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Device, FieldManifestEntry, Response, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import PASSWORD, FieldEnv, Server, login_and_pin, new_tablet
from tests.field_app.test_pwa import do_interview
from tests.field_app.waiting import until

pytestmark = pytest.mark.browser


def _owners(page: Any) -> dict[str, int]:
    return {r["uuid"]: r["owner"] for r in page.evaluate("() => FieldDB.all('interviews')")}


def _switch(page: Any, name: str, pin: str) -> None:
    page.click("#switch-user")
    page.click(f"[data-user={name}]")
    expect(page.locator("#lock-who")).to_have_text(f"Interviewer: {name}")
    page.fill("#pin", pin)
    page.click("#unlock")
    expect(page.locator("[data-start]").first).to_be_visible()


def test_two_interviewers_share_a_tablet_without_seeing_or_sending_each_others_work(
    server: Server,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,
    browser: Any,
) -> None:
    with transaction(sessions) as session:
        int2 = session.scalars(select(User).where(User.username == "int2")).one()
        assign(session, int2, ConsultationService(session).get(field_env.slug), actor="test")
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)  # int1, PIN 2468

    # A second interviewer signs in from the lock screen, with a PIN of their own.
    page.click("#switch-user")
    page.click("#add-user")
    page.fill("#login-user", "int2")
    page.fill("#login-pass", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#pin-who")).to_have_text("Interviewer: int2")
    page.fill("#pin-new", "1357")
    page.fill("#pin-again", "1357")
    page.click("#pin-save")
    expect(page.locator("[data-start]").first).to_be_visible()

    context.set_offline(True)
    do_interview(page, 4)  # int2's
    expect(page.locator("#st-pending")).to_have_text("1 to send")

    # Switching needs the other's PIN: int2's PIN does not open int1's work.
    page.click("#switch-user")
    page.click("[data-user=int1]")
    page.fill("#pin", "1357")
    page.click("#unlock")
    expect(page.locator("#lock-error")).to_contain_text("4 tries left")
    page.fill("#pin", "2468")
    page.click("#unlock")
    expect(page.locator("[data-start]").first).to_be_visible()
    expect(page.locator("#st-pending")).to_have_text("0 to send")
    expect(page.locator("#queue li")).to_have_count(0)
    do_interview(page, 5)
    do_interview(page, 6)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    until(
        page, "() => FieldDB.all('interviews').then(a => a.some(r => r.status === 'draft' && r.answers.sex))"
    )
    page.click("#pause")
    expect(page.locator("#st-pending")).to_have_text("2 to send")
    expect(page.locator("#st-unfinished")).to_have_text("1 unfinished")
    expect(page.locator("#queue li")).to_have_count(2)

    _switch(page, "int2", "1357")
    expect(page.locator("#queue li")).to_have_count(1)
    expect(page.locator("#st-pending")).to_have_text("1 to send")
    expect(page.locator("#st-unfinished")).to_have_text("0 unfinished")
    expect(page.locator("#unfinished")).to_have_count(0)  # int1's unfinished interview is not listed

    # Online: each interviewer's items go with their own device token.
    context.set_offline(False)
    page.click("#sync-now")
    until(page, "() => FieldDB.all('interviews').then(a => a.filter(r => r.status === 'sent').length === 3)")
    owners = _owners(page)
    with sessions() as session:
        ids = {u.username: u.id for u in session.scalars(select(User))}
        stored = {r.uuid: (r.interviewer_id, r.device_id) for r in session.scalars(select(Response))}
        devices = {d.user_id: d.id for d in session.scalars(select(Device))}
        manifests = {
            device_id: {e.uuid for e in session.scalars(select(FieldManifestEntry).where(FieldManifestEntry.device_id == device_id))}
            for device_id in devices.values()
        }  # fmt: skip
    assert sorted(owners.values()) == sorted([ids["int1"], ids["int1"], ids["int1"], ids["int2"]])
    assert len(stored) == 3
    for uuid, (interviewer_id, device_id) in stored.items():
        assert owners[uuid] == interviewer_id and devices[interviewer_id] == device_id
    for user_id, device_id in devices.items():
        assert manifests[device_id] == {u for u, o in owners.items() if o == user_id and u in stored}

    # int2 signs out (all of theirs is sent); int1's unfinished work stays, behind int1's PIN.
    token2 = page.evaluate("() => FieldDB.get('kv', 'session').then(s => s.token)")
    page.click("#sign-out")
    page.click("#signout-yes")
    expect(page.locator("#lock-who")).to_have_text("Interviewer: int1")
    expect(page.locator("[data-user=int2]")).to_have_count(0)
    assert (
        httpx.get(
            server.url + "/field/api/consultations", headers={"Authorization": f"Bearer {token2}"}
        ).status_code
        == 401
    )
    page.fill("#pin", "2468")
    page.click("#unlock")
    expect(page.locator("#st-unfinished")).to_have_text("1 unfinished")
    expect(page.locator("#queue li")).to_have_count(2)
    assert sorted(_owners(page).values()) == [ids["int1"]] * 3
    page.click("#sign-out")  # int1 still holds an unfinished interview: refused
    expect(page.locator("#banner")).to_contain_text("1 interview(s) or contact(s) are not on the server yet")
    context.close()


def test_an_older_tablets_data_moves_to_its_interviewer_on_start(server: Server, browser: Any) -> None:
    """A tablet that held one interviewer's session under the keys of the previous version keeps
    its PIN, assignments and interviews, now as that interviewer's own."""
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    do_interview(page, 4)
    page.evaluate(
        """async () => {  // back to the single-interviewer layout
            const s = await FieldDB.get('kv', 'session'), id = s.interviewer_id;
            for (const name of ['pin', 'consultations']) {
                await FieldDB.put('kv', await FieldDB.get('kv', name + ':' + id), name);
                await FieldDB.del('kv', name + ':' + id);
            }
            await FieldDB.del('kv', 'sessions');
            const [rec] = await FieldDB.all('interviews');
            await FieldDB.settle([{ uuid: rec.uuid, client_hash: rec.client_hash, fields: { owner: undefined } }]);
        }"""
    )
    assert page.evaluate("() => FieldDB.all('interviews').then(a => a[0].owner)") is None
    page.reload()
    page.fill("#pin", "2468")
    page.click("#unlock")
    expect(page.locator("#st-pending")).to_have_text("1 to send")
    expect(page.locator("[data-start]").first).to_be_visible()
    assert page.evaluate("() => FieldDB.all('interviews').then(a => a[0].owner)") == page.evaluate(
        "() => FieldDB.get('kv', 'session').then(s => s.interviewer_id)"
    )
    context.close()
