"""On the tablet, in real Chromium: when the tablet's own storage (IndexedDB) refuses, the interviewer is
told in the banner instead of facing a blank screen or a tap that does nothing, and nothing opens that
should stay locked. The browser's storage is made to fail as a full disk or a private window makes it
fail; the app's code runs unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.field_app.conftest import Server, login_and_pin, new_tablet

pytestmark = pytest.mark.browser

STORAGE_FAILED = "The tablet's storage did not answer"
# What a private window (or a browser that blocked storage) does when the app opens its database.
NO_DATABASE = (
    "IDBFactory.prototype.open = function () { throw new DOMException('blocked', 'InvalidStateError'); };"
)
# What a full disk does to every write from now on.
DISK_FULL = """() => {
  IDBObjectStore.prototype.put = function () { throw new DOMException('disk full', 'QuotaExceededError'); };
}"""
# A write from a stale copy of a draft: refused with an Error carrying the stored record.
STALE_WRITE = """() => {
  const rec = { uuid: crypto.randomUUID(), owner: 0, kind: 'interview', status: 'draft', answers: {} };
  return FieldDB.add(rec)
    .then(() => FieldDB.update(Object.assign({}, rec, { rev: 7 })))
    .then(() => 'written', (e) => [e instanceof Error, e.name, 'clash' in e && e.clash.uuid === rec.uuid]);
}"""


def test_a_tablet_without_its_database_says_so_at_start(server: Server, browser: Any) -> None:
    context = new_tablet(browser)
    context.add_init_script(NO_DATABASE)
    page = context.new_page()
    page.goto(server.url + "/field/")
    expect(page.locator("#banner")).to_contain_text(STORAGE_FAILED)
    expect(page.locator("#banner")).to_contain_text("InvalidStateError")
    context.close()


def test_a_wrong_pin_that_cannot_be_counted_is_told_and_keeps_the_tablet_locked(
    server: Server, browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    assert page.evaluate(STALE_WRITE) == [True, "ClashError", True]
    page.click("#lock")
    page.evaluate(DISK_FULL)
    page.fill("#pin", "0000")
    page.click("#unlock")
    expect(page.locator("#banner")).to_contain_text(STORAGE_FAILED)
    expect(page.locator("#banner")).to_contain_text("QuotaExceededError")
    expect(page.locator("#pin")).to_be_visible()  # still the lock screen
    assert page.locator("[data-start]").count() == 0
    context.close()
