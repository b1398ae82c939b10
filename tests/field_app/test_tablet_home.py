"""The field app's start screen: refusals and not-at-home confirmed, recorded once and undoable
until sent; unfinished interviews described, counted and discardable; a paper number is never
dropped; a corrected interview says so and is not offered for correction again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import FieldReceipt, Response
from tests.field_app.conftest import Server, login_and_pin, new_tablet
from tests.field_app.test_pwa import do_interview

pytestmark = pytest.mark.browser


def records(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.FieldDB.all('interviews')"))


def tablet(browser: Any, url: str) -> tuple[Any, Any]:
    context = new_tablet(browser)
    page = context.new_page()
    login_and_pin(page, url)
    return context, page


def test_refusal_is_confirmed_recorded_once_undoable_and_noted_after(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context, page = tablet(browser, server.url)
    context.set_offline(True)  # no periodic sync sends the refusal before the undo
    page.click("[data-refusal]")
    assert records(page) == []  # nothing before the confirmation
    page.click("#contact-confirm [data-cancel]")
    expect(page.locator("#contact-confirm")).to_have_count(0)
    page.click("[data-refusal]")
    page.fill("#contact-note-confirm", "said no at the door")  # the note, written after the tap
    page.dblclick("#contact-confirm [data-confirm]")
    expect(page.locator("#banner")).to_contain_text("You can undo it in the queue")
    [refusal] = records(page)
    assert (refusal["outcome"], refusal["note"], refusal["status"]) == (
        "refusal",
        "said no at the door",
        "pending",
    )
    page.click(f"[data-undo='{refusal['uuid']}']")
    expect(page.locator("#banner")).to_contain_text("Taken back: refusal")
    assert records(page) == []

    page.fill("#contact-note", "nobody, came back twice")  # the note, written before the tap
    page.click("[data-notathome]")
    expect(page.locator("#contact-note-confirm")).to_have_value("nobody, came back twice")
    page.click("#contact-confirm [data-confirm]")
    context.set_offline(False)
    page.click("#sync-now")
    expect(page.locator("#all-sent")).to_be_visible()
    [absent] = records(page)
    expect(page.locator(f"[data-undo='{absent['uuid']}']")).to_have_count(0)  # sent: no undo any more
    with sessions() as session:
        got = [
            (r.outcome, r.note)
            for r in session.scalars(select(FieldReceipt).where(FieldReceipt.kind == "contact"))
        ]
    assert got == [("not_at_home", "nobody, came back twice")]
    context.close()


def test_unfinished_interviews_are_described_counted_and_discarded_with_confirmation(
    server: Server, browser: Any
) -> None:
    context, page = tablet(browser, server.url)
    context.set_offline(True)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    page.fill("[data-q=age]", "45")
    page.click("#pause")
    expect(page.locator("#st-unfinished")).to_have_text("1 unfinished")
    expect(page.locator("#st-pending")).to_have_text("0 to send")
    [draft] = records(page)
    item = page.locator(f"[data-draft='{draft['uuid']}']")
    expect(item).to_contain_text("Field test · EN · 2 answer(s) · Woman · 45")
    page.click(f"[data-discard='{draft['uuid']}']")
    expect(item.locator(".confirm")).to_contain_text("Discard this unfinished interview for good?")
    item.locator("[data-cancel]").click()
    assert len(records(page)) == 1
    page.click(f"[data-discard='{draft['uuid']}']")
    item.locator("[data-confirm]").click()
    expect(page.locator("#banner")).to_have_text("Unfinished interview discarded.")
    expect(page.locator("#st-unfinished")).to_have_text("0 unfinished")
    assert records(page) == []
    context.close()


def test_a_paper_number_alone_makes_a_paper_entry(server: Server, browser: Any) -> None:
    context, page = tablet(browser, server.url)
    assert page.locator("#paper").count() == 0  # one control, not a checkbox and a field
    page.fill("#paper-no", "P-12")
    do_interview(page, 3)
    expect(page.locator("#paper-no")).to_have_value("")  # the next interview needs its own number
    [paper] = records(page)
    assert (paper["mode"], paper["paper_form_number"]) == ("paper", "P-12")
    expect(page.locator(f"[data-uuid='{paper['uuid']}']")).to_contain_text("paper P-12")
    context.close()


def test_a_corrected_interview_is_marked_and_not_corrected_twice(
    server: Server, sessions: sessionmaker[Session], browser: Any
) -> None:
    context, page = tablet(browser, server.url)
    do_interview(page, 4)
    expect(page.locator("#st-sent")).to_have_text("sent 1")
    [original] = records(page)
    row = page.locator(f"[data-uuid='{original['uuid']}']")
    row.locator("[data-correct]").click()
    page.click("#pause")  # a correction under way already withdraws the offer
    expect(row.locator("[data-corrected]")).to_have_text("correction in progress")
    expect(row.locator("[data-correct]")).to_have_count(0)
    page.click("[data-resume]")
    page.click("[data-q=sex][data-choice=M]")
    page.click("#next")
    page.click("#review")
    page.click("#finish")
    expect(page.locator("#st-sent")).to_have_text("sent 2")
    expect(row.locator("[data-corrected]")).to_have_text("corrected")
    expect(row.locator("[data-correct]")).to_have_count(0)
    fix = next(r for r in records(page) if r.get("replaces_uuid"))
    expect(page.locator(f"[data-uuid='{fix['uuid']}']")).to_contain_text(
        f"correction of {original['uuid'][:8]}"
    )
    with sessions() as session:
        assert (
            session.scalar(select(Response.replaces_uuid).where(Response.uuid == fix["uuid"]))
            == original["uuid"]
        )
    context.close()


def test_the_tablet_reports_its_unfinished_count_with_the_manifest(server: Server, browser: Any) -> None:
    context, page = tablet(browser, server.url)
    page.click("[data-start]")
    page.click("[data-q=sex][data-choice=F]")
    page.click("#pause")
    with page.expect_request("**/field/api/sync") as sent:
        page.click("#sync-now")
    body = sent.value.post_data_json
    assert (body["unfinished"], body["manifest"]) == (1, [])
    context.close()
