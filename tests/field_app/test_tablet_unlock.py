"""On the tablet: a supervisor unlocks, without network, an interviewer who typed too many wrong
PINs (the code is checked against the hash the tablet got at sign-in; a rotated code replaces it at
the next sync), the interviewer chooses a new PIN twice and every stored interview stays; signing
out ends the tablet's token on the server, so a copy of it is refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from field_app.supervisor import set_code
from survey.store.db import transaction
from survey.store.services.consultations import ConsultationService
from tests.field_app.conftest import FieldEnv, Server, login_and_pin, new_tablet
from tests.field_app.test_pwa import do_interview, stored
from tests.field_app.waiting import until

pytestmark = pytest.mark.browser
# The signed-in interviewer's assignments as the tablet keeps them (with the supervisor-code hash).
ASSIGNED = "FieldDB.get('kv', 'session').then(s => FieldDB.get('kv', 'consultations:' + s.interviewer_id))"


def _set(sessions: sessionmaker[Session], slug: str, code: str) -> None:
    with transaction(sessions) as session:
        set_code(session, ConsultationService(session).get(slug), code, actor="test")


def _block(page: Any) -> None:
    page.click("#lock")
    for _ in range(5):
        page.fill("#pin", "0000")
        page.click("#unlock")
    expect(page.locator("#pin")).to_be_disabled()


def _records(page: Any) -> list[tuple[str, str, Any]]:
    rows = page.evaluate("() => FieldDB.all('interviews')")
    return sorted((r["uuid"], r["status"], r["answers"]) for r in rows)


def test_a_supervisor_unlocks_offline_and_a_rotated_code_replaces_the_old(
    server: Server,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,
    browser: Any,
) -> None:
    _set(sessions, field_env.slug, "1111 2222 3333")
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    do_interview(page, 4)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=M]")
    until(
        page, "() => FieldDB.all('interviews').then(a => a.some(r => r.status === 'draft' && r.answers.sex))"
    )
    page.click("#pause")
    before = _records(page)
    _block(page)
    page.click("#supervisor-unlock")
    page.fill("#supervisor-code", "1111 2222 4444")
    page.click("#supervisor-ok")
    expect(page.locator("#supervisor-error")).to_have_text("Wrong code. Wait a moment before trying again.")
    page.wait_for_timeout(2100)  # each wrong code costs a pause
    page.fill("#supervisor-code", "111122223333")  # typed without the spaces
    page.click("#supervisor-ok")
    page.fill("#pin-new", "1357")
    page.fill("#pin-again", "1375")
    page.click("#pin-save")
    expect(page.locator("#pin-error")).to_contain_text("The two PINs differ")
    page.fill("#pin-again", "1357")
    page.click("#pin-save")
    expect(page.locator("[data-start]").first).to_be_visible()
    assert _records(page) == before
    assert (
        page.evaluate(
            "() => FieldDB.get('kv', 'session').then(s => FieldDB.get('kv', 'pinFails:' + s.interviewer_id))"
        )
        is None
    )
    page.click("#lock")
    page.fill("#pin", "1357")
    page.click("#unlock")
    expect(page.locator("[data-start]").first).to_be_visible()

    # The coordinator rotates the code; the tablet takes the new one at its next sync.
    old = page.evaluate(f"() => {ASSIGNED}.then(c => c[0].supervisor.salt)")
    _set(sessions, field_env.slug, "5555 6666 7777")
    context.set_offline(False)
    page.click("#sync-now")
    expect(page.locator("#st-sent")).to_have_text("sent 1")
    until(page, f"() => {ASSIGNED}.then(c => c[0].supervisor.salt !== {old!r})")
    context.set_offline(True)
    _block(page)
    page.click("#supervisor-unlock")
    page.fill("#supervisor-code", "1111 2222 3333")
    page.click("#supervisor-ok")
    expect(page.locator("#supervisor-error")).to_contain_text("Wrong code")
    page.wait_for_timeout(2100)
    page.fill("#supervisor-code", "5555 6666 7777")
    page.click("#supervisor-ok")
    page.fill("#pin-new", "2468")
    page.fill("#pin-again", "2468")
    page.click("#pin-save")
    expect(page.locator("#st-unfinished")).to_have_text("1 unfinished")
    assert len(stored(sessions)) == 1
    context.close()


def test_without_a_code_on_the_tablet_the_supervisor_is_told_so_in_dutch(
    server: Server, browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    page.select_option("#ui-lang", "nl")
    _block(page)
    page.click("#supervisor-unlock")
    page.fill("#supervisor-code", "123456789")
    page.click("#supervisor-ok")
    expect(page.locator("#supervisor-error")).to_contain_text("Er is nog geen supervisorcode op deze tablet")
    page.click("#supervisor-cancel")
    expect(page.locator("#pin")).to_be_disabled()
    context.close()


def test_signing_out_ends_the_token_on_the_server(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    token = page.evaluate("() => FieldDB.get('kv', 'session').then(s => s.token)")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(server.url + "/field/api/consultations", headers=headers).status_code == 200
    context.set_offline(True)  # offline, the server cannot end the token: the tablet says so and stays
    page.click("#sign-out")
    page.click("#signout-yes")
    expect(page.locator("#banner")).to_contain_text("Signing out needs the network")
    expect(page.locator("[data-start]").first).to_be_visible()
    assert httpx.get(server.url + "/field/api/consultations", headers=headers).status_code == 200
    context.set_offline(False)
    page.click("#sign-out")
    page.click("#signout-yes")
    expect(page.locator("#login-submit")).to_be_visible()
    refused = httpx.get(server.url + "/field/api/consultations", headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "device_unknown"
    assert page.evaluate("() => FieldDB.get('kv', 'session')") is None
    context.close()
