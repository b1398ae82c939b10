"""Real Chromium: people, reset link and audit pages, used with the keyboard, axe-clean in FR/NL/EN."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Role, User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_devices import register_device
from tests.conftest import LiveServer
from tests.console.conftest import axe, make_user, shot


def test_people_and_audit_pages_in_chromium(
    console_page: Any, server: LiveServer, sessions: sessionmaker[Session], browser: Any
) -> None:
    page, base = console_page, server.url
    uid = make_user(sessions, "field1", Role.INTERVIEWER)
    with transaction(sessions) as session:
        ConsultationService(session).create(
            "north", {"en": "North", "fr": "Nord", "nl": "Noord"}, actor="test"
        )
        register_device(session, session.get(User, uid), "Tablet A")
    page.goto(f"{base}/console/people?lang=en")
    page.focus("#username")  # the create form, by keyboard only
    page.keyboard.type("ana")
    page.keyboard.press("Tab")
    page.keyboard.type("Ana Lyst")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # admin -> analyst
    page.keyboard.press("Tab")
    page.keyboard.type("long enough pw")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/console/people")
    assert page.locator("#people td a", has_text="ana").count() == 1
    for lang in ("fr", "nl", "en"):
        page.goto(f"{base}/console/people?lang={lang}")
        assert axe(page) == []
    shot(page, "b-people")
    page.click("#people a:text-is('field1')")
    page.select_option("#assign-to", "north")
    page.click("form[action$='/assign'] button:text-is('Assign')")
    assert page.locator("#assignments").inner_text().startswith("North (north)")
    page.click("#devices button")
    assert "revoked" in page.locator("#devices").inner_text()
    page.click("form[action$='/reset'] button")
    link = page.input_value("#reset-link")
    assert axe(page) == []
    shot(page, "b-people-detail")
    for lang in ("fr", "nl", "en"):
        page.goto(f"{base}/console/people/{uid}?lang={lang}")
        assert axe(page) == [], lang

    other = browser.new_context()
    holder = other.new_page()
    holder.goto(link + "?lang=nl")
    assert axe(holder) == []
    shot(holder, "b-reset")
    holder.fill("#password", "the new password")
    holder.fill("#again", "the new password")
    holder.click("form button[type=submit]")
    assert holder.locator("#reset-done").is_visible()
    holder.goto(link + "?lang=nl")
    assert holder.locator("#reset-invalid").is_visible()
    shot(holder, "b-reset-used")
    other.close()

    page.goto(f"{base}/console/people?lang=fr")
    page.click("#people a:text-is('ana')")
    page.select_option("#grant-to", "north")
    page.click("form[action$='/grants'] button:text-is('Accorder')")
    assert page.locator("#grants").inner_text().startswith("north (organiser")
    assert axe(page) == []
    shot(page, "b-people-grants")

    page.goto(f"{base}/console/audit?lang=nl")
    page.select_option("#action", "assign")
    page.click("#audit-filter button")
    rows = page.locator("#audit tbody tr")
    assert rows.count() == 1 and "north" in rows.inner_text()
    page.goto(f"{base}/console/audit?action=create&lang=en")
    assert "user field1" in page.inner_text("#audit")
    for lang in ("fr", "nl", "en"):
        page.goto(f"{base}/console/audit?lang={lang}")
        assert axe(page) == []
    shot(page, "b-audit")
