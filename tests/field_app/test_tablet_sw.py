"""The service worker answers only the app's own page with the shell: a coordinator page opened on a
tablet that has the app installed is the server's, and the shell kept for offline starts stays the
app (it used to be overwritten by the coordinator page's HTML, and the app no longer opened offline)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.field_app.conftest import Server, login_and_pin, new_tablet, unlock

pytestmark = pytest.mark.browser


def test_coordinator_pages_pass_the_service_worker_and_do_not_replace_the_shell(
    server: Server, browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    page.goto(server.url + "/field/coordinator/login?lang=en")
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("#view")).to_have_count(0)
    page.wait_for_timeout(500)  # time for a background refresh to have stored something, if it did
    cached = page.evaluate(
        """() => caches.keys().then((keys) => Promise.all(keys.map((k) => caches.open(k)
               .then((c) => c.match('/field/')).then((r) => r ? r.text() : ''))))"""
    )
    assert any('id="view"' in html for html in cached) and not any("csrf_token" in html for html in cached)
    context.set_offline(True)
    page.goto(server.url + "/field/")
    unlock(page)
    expect(page.locator("[data-start]").first).to_be_visible()
    context.close()
