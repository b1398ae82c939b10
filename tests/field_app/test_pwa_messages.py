"""Server refusals on the tablet in the interviewer's language, in real Chromium.

The server's English ``detail`` must not be the message an interviewer reads: the tablet maps the
stable ``code`` to its own texts and keeps the detail as a secondary line (banner) or a title
(queue) for support.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.services.field_devices import revoke_device
from tests.field_app.conftest import PASSWORD, SLUG, FieldEnv, Server, login_and_pin, new_tablet, unlock
from tests.field_app.test_pwa import do_interview, stored

pytestmark = pytest.mark.browser


def dutch_tablet(browser: Any, url: str) -> tuple[Any, Any]:
    """A tablet whose interviewer chose Dutch before logging in."""
    context = new_tablet(browser)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url + "/field/")
    page.select_option("#ui-lang", "nl")
    login_and_pin(page, url, open_app=False)
    return context, page


def records(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.FieldDB.all('interviews')"))


def test_revoked_tablet_says_so_in_dutch_and_keeps_its_interview(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context, page = dutch_tablet(browser, server.url)
    device_id = page.evaluate("() => window.FieldDB.get('kv', 'session').then((s) => s.device_id)")
    with transaction(sessions) as session:
        revoke_device(session, device_id, actor="test")
    do_interview(page, 3)
    page.click("#sync-now")
    banner = page.locator("#banner")
    expect(banner).to_contain_text(
        "Synchronisatie geweigerd: deze tablet werd door een beheerder ingetrokken"
    )
    expect(banner).to_contain_text("de interviews blijven op de tablet")
    raw = banner.locator(".raw")
    expect(raw).to_contain_text("revoked by an administrator")  # the server's words, for support
    assert raw.get_attribute("lang") == "en"
    expect(page.locator("#st-pending")).to_have_text("1 te verzenden")
    assert [r["status"] for r in records(page)] == ["pending"]
    assert stored(sessions) == {}

    page.reload()  # the refusal is remembered with its code, and said again in the chosen language
    unlock(page)
    expect(banner).to_contain_text("deze tablet werd door een beheerder ingetrokken")
    expect(page.locator("#st-pending")).to_have_text("1 te verzenden")
    page.select_option("#ui-lang", "fr")
    expect(banner).to_contain_text("Synchronisation refusée : cette tablette a été révoquée")
    expect(raw).to_contain_text("revoked by an administrator")
    assert [r["status"] for r in records(page)] == ["pending"]
    context.close()


def test_refused_items_are_explained_in_the_interviewers_language(
    server: Server, field_env: FieldEnv, browser: Any
) -> None:
    context, page = dutch_tablet(browser, server.url)
    context.set_offline(True)
    do_interview(page, 4)
    do_interview(page, 5)
    invalid, taken = sorted(r["uuid"] for r in records(page))
    # Another tablet already sent one of these UUIDs with other answers: a conflict.
    other = httpx.post(
        f"{server.url}/field/api/login", json={"username": "int1", "password": PASSWORD}
    ).json()
    item = {"uuid": taken, "consultation": SLUG, "version_id": field_env.version_id, "language": "en",
            "answers": {"sex": "M", "age": 70, "votes": "no"}}  # fmt: skip
    first = httpx.post(f"{server.url}/field/api/sync", json={"items": [item]},
                       headers={"Authorization": "Bearer " + other["token"]})  # fmt: skip
    assert first.json()["results"][0]["status"] == "stored"

    def out_of_range(route: Any) -> None:
        """The real server judges an answer the tablet's checks would not let through."""
        body = json.loads(route.request.post_data or "{}")
        for sent in body.get("items", []):
            if sent["uuid"] == invalid:
                sent["answers"]["age"] = 200
        route.continue_(post_data=json.dumps(body))

    page.route("**/field/api/sync", out_of_range)
    context.set_offline(False)
    page.click("#sync-now")
    expect(page.locator("#st-rejected")).to_have_text("geweigerd 2")
    bad = page.locator(f"[data-uuid='{invalid}'] .reason")
    expect(bad).to_have_attribute("data-code", "invalid_answers")
    expect(bad).to_have_text("antwoorden geweigerd: Leeftijd – Dit antwoord wordt niet aanvaard.")
    assert "age" in str(bad.get_attribute("title"))  # the raw detail stays available
    clash = page.locator(f"[data-uuid='{taken}'] .reason")
    expect(clash).to_have_attribute("data-code", "different_content")
    expect(clash).to_have_text("al ontvangen met andere inhoud")
    assert "different content" in str(clash.get_attribute("title"))

    page.select_option("#ui-lang", "en")
    expect(bad).to_have_text("answers refused: Age – This answer is not accepted.")
    expect(clash).to_have_text("already received with different content")
    assert {r["status"] for r in records(page)} == {"rejected"}  # kept on the tablet for review
    context.close()
