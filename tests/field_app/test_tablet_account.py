"""Ways into and out of a field tablet that never lose an interview: the PIN typed twice, the
password after too many wrong PINs (online), and a sign-out refused while anything is unsent."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from tests.field_app.conftest import PASSWORD, Server, login_and_pin, new_tablet
from tests.field_app.test_pwa import do_interview, stored
from tests.field_app.waiting import until

pytestmark = pytest.mark.browser


def records(page: Any) -> list[dict[str, Any]]:
    return sorted(page.evaluate("() => window.FieldDB.all('interviews')"), key=lambda r: r["uuid"])


def test_the_pin_is_typed_twice(server: Server, browser: Any) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    page.goto(server.url + "/field/")
    page.fill("#login-user", "int1")
    page.fill("#login-pass", PASSWORD)
    page.click("#login-submit")
    page.fill("#pin-new", "2468")
    page.fill("#pin-again", "2486")
    page.click("#pin-save")
    expect(page.locator("#pin-error")).to_have_text("The two PINs differ: type the same PIN twice.")
    assert (
        page.evaluate(
            "() => FieldDB.get('kv', 'session').then(s => FieldDB.get('kv', 'pin:' + s.interviewer_id))"
        )
        is None
    )
    page.fill("#pin-again", "2468")
    page.click("#pin-save")
    expect(page.locator("[data-start]")).to_be_visible()
    context.close()


def test_too_many_wrong_pins_need_the_password_and_keep_every_interview(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    do_interview(page, 4)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    until(
        page, "() => FieldDB.all('interviews').then(a => a.some(r => r.status === 'draft' && r.answers.sex))"
    )
    page.click("#pause")
    before = records(page)
    page.click("#lock")
    for left in (4, 3, 2, 1):
        page.fill("#pin", "0000")
        page.click("#unlock")
        expect(page.locator("#lock-error")).to_contain_text(f"{left} tries left")
    page.fill("#pin", "0000")
    page.click("#unlock")
    expect(page.locator("#lock-error")).to_contain_text("5 wrong PINs")
    expect(page.locator("#pin")).to_be_disabled()
    page.reload()  # the count is kept on the tablet
    expect(page.locator("#pin")).to_be_disabled()
    page.click("#forgot-pin")
    expect(page.locator("#login-user")).to_have_value("int1")
    assert page.get_attribute("#login-user", "readonly") is not None
    page.fill("#login-pass", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("The first login needs the network.")
    context.set_offline(False)
    page.fill("#login-pass", "wrong-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("Wrong username or password")
    page.fill("#login-pass", PASSWORD)
    page.click("#login-submit")
    page.fill("#pin-new", "1357")
    page.fill("#pin-again", "1357")
    page.click("#pin-save")
    expect(page.locator("[data-start]")).to_be_visible()
    after = records(page)  # the same records (the finished one may have been sent meanwhile)
    assert [(r["uuid"], r["answers"]) for r in after] == [(r["uuid"], r["answers"]) for r in before]
    page.click("#sync-now")
    expect(page.locator("#st-sent")).to_have_text("sent 1")
    expect(page.locator("#st-unfinished")).to_have_text("1 unfinished")
    assert len(stored(sessions)) == 1
    page.click("#lock")
    page.fill("#pin", "1357")
    page.click("#unlock")
    expect(page.locator("[data-start]")).to_be_visible()
    context.close()


def test_sign_out_is_refused_while_anything_is_unsent(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    do_interview(page, 5)
    page.click("#sign-out")
    expect(page.locator("#banner")).to_contain_text("1 interview(s) or contact(s) are not on the server yet")
    expect(page.locator("#signout-confirm")).to_have_count(0)
    expect(page.locator("#all-sent")).to_have_count(0)
    context.set_offline(False)
    page.click("#sync-now")
    expect(page.locator("#all-sent")).to_have_text("Everything is sent: it is safe to close the app.")
    page.click("#sign-out")
    expect(page.locator("#signout-no")).to_be_visible()
    # a sync redraws the home screen: the question must outlive the redraw
    page.evaluate("() => { document.getElementById('all-sent').dataset.before = '1'; }")
    page.click("#sync-now")
    expect(page.locator("#all-sent:not([data-before])")).to_be_visible()
    expect(page.locator("#signout-no")).to_be_visible()
    page.click("#signout-no")
    expect(page.locator("#signout-confirm")).to_have_count(0)
    expect(page.locator("[data-start]")).to_be_visible()
    page.click("#sign-out")
    page.click("#signout-yes")
    expect(page.locator("#login-submit")).to_be_visible()
    assert records(page) == []
    assert page.evaluate("() => FieldDB.get('kv', 'session')") is None
    assert len(stored(sessions)) == 1
    context.close()


def test_quick_repeated_wrong_pins_are_all_counted(server: Server, browser: Any) -> None:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, server.url)
    page.click("#lock")
    page.wait_for_selector("#pin")
    page.evaluate(  # five submissions before the first check has finished
        """() => { const pin = document.getElementById('pin');
                   for (let i = 0; i < 5; i++) { pin.value = '0000'; pin.form.requestSubmit(); } }"""
    )
    expect(page.locator("#lock-error")).to_contain_text("5 wrong PINs")
    expect(page.locator("#pin")).to_be_disabled()
    assert (
        page.evaluate(
            "() => FieldDB.get('kv', 'session').then(s => FieldDB.get('kv', 'pinFails:' + s.interviewer_id))"
        )
        == 5
    )
    context.close()
