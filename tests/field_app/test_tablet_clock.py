"""A tablet whose clock says 1999: its interview is kept (the server stores the times as unknown and
says so per item), the record notes which times were ignored, and the interviewer is told to set the
tablet's date and time, in their language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Response
from tests.field_app.conftest import Server, login_and_pin, new_tablet
from tests.field_app.test_pwa import do_interview
from tests.field_app.waiting import until

pytestmark = pytest.mark.browser


def test_a_tablet_with_a_wrong_clock_keeps_its_interview_and_is_told(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    page.clock.install(time=dt.datetime(1999, 12, 31, 10, 0, tzinfo=dt.UTC))
    login_and_pin(page, server.url)
    do_interview(page, 4)
    page.click("#sync-now")
    until(page, "() => FieldDB.all('interviews').then(a => a.length === 1 && a[0].status === 'sent')")
    expect(page.locator("#banner")).to_contain_text("This tablet's clock is wrong")
    [rec] = page.evaluate("() => FieldDB.all('interviews')")
    assert rec["clock_wrong"] == ["started_at", "submitted_at"]
    with sessions() as session:
        [stored] = session.scalars(select(Response)).all()
        assert stored.uuid == rec["uuid"] and stored.started_at is None
        assert stored.submitted_at.year >= 2026
    page.select_option("#ui-lang", "nl")
    expect(page.locator("#banner")).to_contain_text("De klok van deze tablet staat verkeerd")
    context.close()
