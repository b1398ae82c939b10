"""What the screenshots of every field screen showed (bench/field_screens.py): the start screen
wrote "null" where a section was left out, and nothing said whose counts the status bar shows on a
tablet two interviewers share."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.field_app.conftest import Server, login_and_pin
from tests.field_app.test_tablet_flow import device, small_targets

pytestmark = pytest.mark.browser


def stray_text(page: Any) -> list[str]:
    """Text written straight into the view, outside any element (a left-out section as "null")."""
    return list(
        page.evaluate(
            """() => Array.from(document.getElementById('view').childNodes)
                .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()).map((n) => n.textContent)"""
        )
    )


@pytest.mark.parametrize("kind", ["phone"])
def test_screens_hold_no_stray_text_and_say_whose_they_are(kind: str, server: Server, browser: Any) -> None:
    context, page = device(browser, kind)
    login_and_pin(page, server.url)
    expect(page.locator("#unfinished")).to_have_count(0)  # a section left out...
    assert stray_text(page) == []  # ...leaves nothing behind
    expect(page.locator("#st-user")).to_have_text("Interviewer: int1")
    page.select_option("#ui-lang", "fr")
    expect(page.locator("#st-user")).to_have_text("Enquêteur : int1")
    page.click("#sign-out")  # the start screen's banner (here the sign-out question's answer)...
    page.click("#signout-no")
    page.evaluate("() => FieldUI.banner('an old message')")
    page.click("#switch-user")
    expect(page.locator("#add-user")).to_be_visible()
    expect(page.locator("#banner")).to_be_hidden()  # ...does not follow onto the lock screen
    assert stray_text(page) == [] and small_targets(page) == []
    page.click("#add-user")
    expect(page.locator("#login-cancel")).to_be_visible()
    assert small_targets(page) == []
    context.close()
