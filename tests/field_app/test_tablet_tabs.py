"""One interview open in two tabs of the field app (one browser, one IndexedDB) never loses answers.

Two pages of one Chromium context share the tablet's database. With the app's coordination (a Web
Lock per open interview and change notices between tabs) the second tab cannot edit an interview
the first one has open unless the interviewer moves it there; without it (a tab of an older
browser or app version), every write is still checked against the stored revision and status
inside the IndexedDB transaction, so a stale tab's answers become a new, linked, unfinished
interview with a visible notice instead of overwriting a finished or sent one.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from tests.field_app.conftest import Server, login_and_pin, new_tablet, unlock
from tests.field_app.test_pwa import stored
from tests.field_app.waiting import until, wait_for

pytestmark = pytest.mark.browser

UNCOORDINATED = "delete Navigator.prototype.locks; delete window.BroadcastChannel;"


def records(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.FieldDB.all('interviews')"))


def wait_for_answer(page: Any, question: str, value: str) -> None:
    until(
        page,
        "([q, v]) => FieldDB.all('interviews').then(all => all.some(r => r.answers && String(r.answers[q]) === v))",
        [question, value],
    )


def switch_to(page: Any) -> Any:
    """The interviewer turns to this tab: it comes to the front, as a tab someone types in does.

    Why: a tab in the background is hidden, so Chromium runs no animation frames in it, and
    Playwright's checks before a click (is the element stable?) then wait about two seconds each.
    """
    page.bring_to_front()
    return page


def second_tab(context: Any, url: str, script: str | None = None) -> Any:
    page = context.new_page()
    if script:
        page.add_init_script(script)
    page.goto(url + "/field/")
    unlock(page)
    return page


def test_second_tab_cannot_edit_an_open_interview_until_it_takes_it_over(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    first = context.pages[0] if context.pages else context.new_page()
    login_and_pin(first, server.url)
    second = second_tab(context, server.url)
    switch_to(first).click("[data-start]")
    first.click("[data-q=sex][data-choice=F]")
    wait_for_answer(first, "sex", "F")

    switch_to(second).click("[data-resume]")  # listed there through the tabs' change notices
    expect(second.locator("#busy")).to_be_visible()
    assert second.locator("[data-q]").count() == 0
    second.click("#take-over")
    expect(second.locator("[data-q=sex][data-choice=F]")).to_have_attribute("aria-checked", "true")
    expect(first.locator("#banner")).to_contain_text("opened in another window")
    expect(first.locator("[data-start]")).to_be_visible()  # the first tab no longer edits it

    second.click("[data-q=sex][data-choice=M]")
    second.fill("[data-q=age]", "40")
    second.click("#next")
    second.click("[data-q=votes][data-choice=yes]")
    second.click("#review")
    second.click("#finish")
    wait_for(second, "() => document.getElementById('st-sent').textContent === 'sent 1'", timeout=20000)
    expect(first.locator("[data-resume]")).to_have_count(0)  # the first tab's list follows
    expect(first.locator("#st-sent")).to_have_text("sent 1")
    got = list(stored(sessions).values())
    assert [g["answers"]["sex"] for g in got] == ["M"]
    context.close()


@pytest.mark.parametrize("online", [True, False], ids=["online", "offline"])
def test_stale_tab_keeps_its_answers_as_a_linked_copy_and_never_reopens_a_finished_one(
    online: bool, server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context = new_tablet(browser)
    first = context.pages[0] if context.pages else context.new_page()
    login_and_pin(first, server.url)
    # A tab that neither locks nor announces (an older browser or app version).
    second = second_tab(context, server.url, UNCOORDINATED)
    if not online:
        context.set_offline(True)
    switch_to(first).select_option("#lang", "en")
    first.click("[data-start]")
    first.click("[data-q=sex][data-choice=F]")
    wait_for_answer(first, "sex", "F")
    original = records(first)[0]["uuid"]

    switch_to(second).reload()
    unlock(second)
    second.click("[data-resume]")
    second.click("[data-q=sex][data-choice=M]")
    second.fill("[data-q=age]", "17")
    second.click("#next")
    second.fill("[data-q=comment]", "from the second tab")
    second.click("#review")
    second.click("#finish")
    second.wait_for_selector("[data-start]")
    if online:
        wait_for(second, "() => document.getElementById('st-sent').textContent === 'sent 1'", timeout=20000)

    # The first tab still shows the draft and goes on answering: its write must not land.
    switch_to(first).fill("[data-q=age]", "45")
    expect(first.locator("#banner")).to_contain_text("changed in another window")
    expect(first.locator(".interview")).to_contain_text("copy after a clash")
    wait_for_answer(first, "age", "45")
    by_uuid = {r["uuid"]: r for r in records(first)}
    assert by_uuid[original]["status"] == ("sent" if online else "pending")
    assert by_uuid[original]["answers"]["sex"] == "M"
    copies = [r for r in by_uuid.values() if r.get("clash_of") == original]
    assert len(copies) == 1
    assert (copies[0]["status"], copies[0]["answers"]["sex"], copies[0]["answers"]["age"]) == (
        "draft",
        "F",
        "45",
    )

    # Finishing the stale screen's copy is a new interview; the original is never rewritten.
    first.click("#next")
    first.click("[data-q=votes][data-choice=no]")
    first.click("#pause")
    if not online:
        context.set_offline(False)
    first.click("#sync-now")
    wait_for(first, "() => document.getElementById('st-sent').textContent === 'sent 1'", timeout=20000)
    got = list(stored(sessions).values())
    assert [(g["answers"]["sex"], g["answers"]["comment"]) for g in got] == [("M", "from the second tab")]
    assert {r["uuid"]: r for r in records(first)}[original]["clean"]["age"] == 17
    context.close()


def test_a_finished_interview_refuses_an_edit_from_a_stale_copy(server: Server, browser: Any) -> None:
    context = new_tablet(browser)
    page = context.pages[0] if context.pages else context.new_page()
    login_and_pin(page, server.url)
    context.set_offline(True)
    outcome = page.evaluate(
        """async () => {
            const rec = {uuid: crypto.randomUUID(), kind: 'interview', status: 'draft', answers: {sex: 'F'}};
            await FieldDB.add(rec);
            const stale = JSON.parse(JSON.stringify(rec));
            await FieldDB.update(Object.assign({}, rec, {status: 'pending'}));
            const tries = [];
            for (const change of [{}, {status: 'draft'}]) {
              try { await FieldDB.update(Object.assign({}, stale, change, {answers: {sex: 'M'}})); tries.push('written'); }
              catch (e) { tries.push('clash' in e ? 'refused' : String(e)); }
            }
            try { await FieldDB.add(Object.assign({}, stale)); tries.push('written'); } catch (e) { tries.push('refused'); }
            const now = await FieldDB.get('interviews', rec.uuid);
            return {tries, status: now.status, sex: now.answers.sex};
        }"""
    )
    assert outcome == {"tries": ["refused", "refused", "refused"], "status": "pending", "sex": "F"}
    context.close()
