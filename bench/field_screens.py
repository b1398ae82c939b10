"""Screenshots of every field screen, on a 10-inch tablet and a phone, with the small touch targets.

Usage: ``.venv/bin/python -m bench.field_screens [--out /tmp/field-shots] [--lang en]``

Loads the demo into a fresh SQLite store, serves the app and walks the field app in headless
Chromium with a touch screen (800x1280 and 390x844): sign-in and its errors, the PIN twice, the
start screen, a refusal's confirmation, quotas, each interview page, the error summary, the
review, the hand-over, the queue, an unfinished interview's discard, the lock screen (wrong PIN,
blocked, supervisor code, sign in again, another interviewer), a second interviewer's home,
sign-out, and the coordinators' pages. Each screen is saved as ``<device>-<screen>.png`` and
every visible control smaller than 44x44 CSS pixels is listed, so the pictures can be looked at
and the list must stay empty. Not a test: pictures are for eyes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from bench.walkthrough import CHROMIUM, serve
from field_app.supervisor import set_code
from survey.demo.load import SLUG, load_demo
from survey.store import migrate
from survey.store.db import make_engine, session_factory, transaction
from survey.store.services.consultations import ConsultationService

PASSWORD = "shots-pass-123"
DEVICES = {"tablet": (800, 1280), "phone": (390, 844)}
SMALL = """() => Array.from(document.querySelectorAll('button, input, select, textarea, a[href], summary'))
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
    .map((el) => el.id || el.getAttribute('data-choice') || el.outerHTML.slice(0, 60))"""


class Shooter:
    def __init__(self, page: Any, out: Path, device: str) -> None:
        self.page, self.out, self.device, self.small = page, out, device, {}

    def __call__(self, name: str, full: bool = False) -> None:
        self.page.wait_for_timeout(150)
        self.page.screenshot(path=str(self.out / f"{self.device}-{name}.png"), full_page=full)
        small = self.page.evaluate(SMALL)
        if small:
            self.small[name] = small


def tour(page: Any, url: str, shot: Shooter, lang: str) -> None:
    page.goto(url + "/field/")
    page.select_option("#ui-lang", lang)
    shot("login")
    page.fill("#login-user", "interviewer1")
    page.fill("#login-pass", "wrong-password")
    page.tap("#login-submit")
    page.wait_for_selector("#login-error:not(:empty)")
    page.wait_for_timeout(300)
    shot("login-error")
    page.fill("#login-pass", PASSWORD)
    page.tap("#login-submit")
    page.fill("#pin-new", "2468")
    page.fill("#pin-again", "2486")
    page.tap("#pin-save")
    shot("pin-differ")
    page.fill("#pin-again", "2468")
    page.tap("#pin-save")
    page.wait_for_selector("[data-start]")
    shot("home")
    shot("home-full", full=True)
    page.tap(f"[data-refusal={SLUG}]")
    shot("refusal-confirm")
    page.tap("#contact-confirm [data-cancel]")
    page.tap(f"[data-quotas={SLUG}]")
    page.wait_for_selector("#quotas-back")
    shot("quotas", full=True)
    page.tap("#quotas-back")

    page.context.set_offline(True)
    page.tap(f"[data-start={SLUG}]")
    page.wait_for_selector(".interview")
    shot("interview-1")
    page.tap("#next")
    page.wait_for_selector("#error-summary")
    shot("interview-errors")
    n = 1
    while page.locator("#next").count():
        for q in page.evaluate(
            "() => Array.from(document.querySelectorAll('[data-question]')).map(q => q.getAttribute('data-question'))"
        ):
            choice = page.locator(f"[data-q='{q}'][data-choice]")
            if choice.count():
                if page.locator(f"[data-q='{q}'][aria-checked=true]").count() == 0:
                    choice.first.tap()
            elif page.locator(f"input[data-q='{q}']").count():
                page.fill(f"[data-q='{q}']", "7")
        page.tap("#next")
        page.wait_for_timeout(200)
        if page.locator("#error-summary").count():
            continue
        n += 1
        shot(f"interview-{n}")
    page.tap("#handover")
    shot("handover")
    page.tap("#handback")
    shot("handback-pin")
    page.fill("#handback-pin", "2468")
    page.tap("#handback-ok")
    page.tap("#review")
    page.wait_for_selector("#review-screen")
    shot("review")
    shot("review-full", full=True)
    page.tap("#finish")
    page.wait_for_selector("[data-start]")
    page.tap(f"[data-start={SLUG}]")
    page.wait_for_selector(".interview")
    page.locator("[data-choice]").first.tap()
    page.tap("#pause")
    page.wait_for_selector("[data-discard]")
    shot("queue-offline", full=True)
    page.tap("[data-discard]")
    shot("discard-confirm")
    page.tap("#discard-confirm [data-confirm]")
    page.tap("#sign-out")
    shot("signout-refused")

    page.tap("#lock")
    shot("lock")
    page.fill("#pin", "0000")
    page.tap("#unlock")
    shot("lock-wrong")
    for _ in range(4):
        page.fill("#pin", "0000")
        page.tap("#unlock")
    page.wait_for_selector("#supervisor-unlock")
    shot("lock-blocked")
    page.tap("#supervisor-unlock")
    shot("supervisor")
    page.fill("#supervisor-code", "1111 2222 3333")
    page.tap("#supervisor-ok")
    page.wait_for_selector("#pin-new")
    page.fill("#pin-new", "2468")
    page.fill("#pin-again", "2468")
    page.tap("#pin-save")
    page.wait_for_selector("[data-start]")
    page.context.set_offline(False)
    page.tap("#lock")
    page.tap("#forgot-pin")
    shot("login-again")
    page.tap("#login-cancel")
    page.tap("#add-user")
    shot("login-add")
    page.fill("#login-user", "interviewer2")
    page.fill("#login-pass", PASSWORD)
    page.tap("#login-submit")
    page.fill("#pin-new", "1357")
    page.fill("#pin-again", "1357")
    page.tap("#pin-save")
    page.wait_for_selector("[data-start]")
    shot("home-second-interviewer")
    page.tap("#switch-user")
    shot("lock-two-interviewers")
    page.tap("[data-user=interviewer1]")
    page.wait_for_selector("#lock-who:text-is('Interviewer: interviewer1')")
    page.fill("#pin", "2468")
    page.tap("#unlock")
    page.wait_for_selector("[data-start]")
    page.tap("#sync-now")
    page.wait_for_selector("#all-sent", timeout=20000)
    shot("all-sent", full=True)
    page.tap("#sign-out")
    shot("signout-confirm")


def coordinator(page: Any, url: str, shot: Shooter, lang: str) -> None:
    page.goto(f"{url}/field/coordinator/login?lang={lang}")
    shot("coordinator-login")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.tap()
    page.wait_for_load_state()
    shot("coordinator-tablets", full=True)
    link = page.locator("a[href*='/field/coordinator/devices/']").first
    link.tap()
    page.wait_for_load_state()
    shot("coordinator-device", full=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/field-shots"), help="folder for the pictures")
    parser.add_argument("--lang", default="en", choices=["fr", "nl", "en"], help="the interviewer's language")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/shots.sqlite3"
        migrate.upgrade(database_url)
        factory = session_factory(make_engine(database_url))
        load_demo(factory, password=PASSWORD)
        with transaction(factory) as session:
            set_code(session, ConsultationService(session).get(SLUG), "1111 2222 3333", actor="shots")
        url, server = serve(database_url, tmp)
        small: dict[str, dict[str, list[str]]] = {}
        try:
            with sync_playwright() as p:
                for device, (width, height) in DEVICES.items():
                    with tempfile.TemporaryDirectory() as profile:
                        context = p.chromium.launch_persistent_context(
                            profile, executable_path=CHROMIUM, headless=True, has_touch=True, is_mobile=True,
                            viewport={"width": width, "height": height}, args=["--no-sandbox"],
                        )  # fmt: skip
                        page = context.pages[0] if context.pages else context.new_page()
                        shot = Shooter(page, args.out, device)
                        tour(page, url, shot, args.lang)
                        coordinator(page, url, shot, args.lang)
                        small[device] = shot.small
                        context.close()
        finally:
            server.should_exit = True
    print(f"screenshots in {args.out}")
    for device, found in small.items():
        for name, items in found.items():
            print(f"{device}-{name}: smaller than 44 px: {', '.join(items)}")
    if not any(small.values()):
        print("no visible control smaller than 44 x 44 px")


if __name__ == "__main__":
    main()
