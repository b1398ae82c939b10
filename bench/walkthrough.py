"""Timed walk-through of one field interview of the demo questionnaire on a 10-inch tablet.

Usage: ``.venv/bin/python -m bench.walkthrough [--runs 3] [--viewport 800x1280] [--shots DIR]``

Loads the demo (``survey demo``'s data) into a fresh SQLite store, serves the app, and drives the
field app in headless Chromium with a touch screen, as an interviewer would: sign in, choose a PIN,
start an interview and answer every question shown (the first choice of each list, a plausible
number, a short text where one is required), page by page, then review and finish. Every tap and
every key typed is counted; the time is the interview's alone (from "Start interview" to the start
screen after "Finish"), so that sign-in does not hide it. Prints one row per run and the minimum:
what the interviewer must do at least (one tap per answer, one per page, two to finish) next to
what the app asked for.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import sync_playwright

from survey.app import create_app
from survey.demo.load import SLUG, load_demo
from survey.settings import load_settings
from survey.store import migrate
from survey.store.db import make_engine, session_factory

PASSWORD = "walk-pass-123"
CHROMIUM = "/usr/bin/chromium"
NUMBERS = ("12", "35", "3", "1")  # tried in turn when the constraint says nothing readable
LOWER = re.compile(r"\.\s*>=?\s*(-?\d+)")
UPPER = re.compile(r"\.\s*<=?\s*(-?\d+)")


PLAUSIBLE: dict[str, str] = {}


@dataclass
class Count:
    """What the interviewer did: taps, keys, and how many answers and pages that took."""

    taps: int = 0
    keys: int = 0
    answers: int = 0
    pages: int = 0
    questions: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def tap(self, page: Any, selector: str) -> None:
        page.tap(selector)
        self.taps += 1
        self.log.append("tap " + selector)

    def type(self, page: Any, selector: str, text: str) -> None:
        self.tap(page, selector)  # focusing the field is a tap too
        page.keyboard.type(text)
        self.keys += len(text)
        self.log.append(f"type {text!r}")


def serve(database_url: str, data_dir: str) -> tuple[str, Any]:
    """The app under uvicorn on a free port, in a thread (as the tests' Server does)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = load_settings(
        {
            "DATABASE_URL": database_url,
            "SURVEY_DATA_DIR": data_dir,
            "SECRET_KEY": "walkthrough-secret-0123456789",
        }
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            sys.exit("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def unanswered(page: Any) -> list[dict[str, Any]]:
    """The questions shown on this page that have no answer yet, in order, with how to answer them."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-question]')).map((q) => {
                const name = q.getAttribute('data-question');
                const choices = Array.from(q.querySelectorAll('[data-choice]'));
                const field = q.querySelector('input.answer, textarea.answer, select.answer');
                const done = choices.some((c) => c.getAttribute('aria-checked') === 'true')
                    || (field && field.value !== '');
                return { name, done, choices: choices.map((c) => c.getAttribute('data-choice')),
                         input: field ? (field.getAttribute('inputmode') || field.type || field.tagName) : null,
                         required: q.hasAttribute('data-required') || !!q.querySelector('[aria-required=true]') };
            }).filter((q) => !q.done)"""
        )
    )


def plausible_numbers(page: Any) -> dict[str, str]:
    """A number each constraint allows, as an interviewer reads it from the question ("0 to 10")."""
    constraints = page.evaluate(
        """() => FieldDB.all('versions').then((docs) => Object.fromEntries(docs.flatMap((d) =>
              d.questionnaire.pages.flatMap((p) => p.questions.map((q) => [q.name, q.constraint || ''])))))"""
    )
    chosen = {}
    for name, constraint in constraints.items():
        low, high = LOWER.search(constraint), UPPER.search(constraint)
        if low or high:
            lo = int(low.group(1)) if low else 0
            hi = int(high.group(1)) if high else lo + 50
            chosen[name] = str(min(max(lo, 7), hi))
    return chosen


def answer_page(page: Any, count: Count, tries: dict[str, int]) -> None:
    """Answer every question on the page (questions may appear as others are answered)."""
    seen: set[str] = set()
    while True:
        todo = [q for q in unanswered(page) if q["name"] not in seen]
        if not todo:
            return
        q = todo[0]
        seen.add(q["name"])
        name = q["name"]
        if q["choices"]:
            count.tap(page, f"[data-q='{name}'][data-choice='{q['choices'][0]}']")
        elif q["input"] in {"numeric", "decimal", "number"}:
            number = PLAUSIBLE.get(name) or NUMBERS[tries.get(name, 0) % len(NUMBERS)]
            count.type(page, f"[data-q='{name}']", number)
        elif q["input"] in {"date"}:
            page.fill(f"[data-q='{name}']", "1990-05-01")  # a date picker: counted as two taps
            count.taps += 2
        else:
            continue  # free text: optional in the demo, left empty (typed only when required)
        count.answers += 1
        count.questions.append(name)


def fix_errors(page: Any, count: Count, tries: dict[str, int]) -> bool:
    """After a refused "Next": answer again what the summary names. False if nothing is named."""
    names = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-question].has-error, [data-question][aria-invalid=true],"
        " [data-question] .error:not(:empty)')).map((e) => (e.closest('[data-question]') || e)"
        ".getAttribute('data-question'))"
    )
    if not names:
        return False
    for name in dict.fromkeys(names):
        tries[name] = tries.get(name, 0) + 1
        selector = f"[data-q='{name}']"
        kind = page.evaluate(f"() => document.querySelector(\"{selector}\")?.tagName || ''")
        if kind in {"INPUT", "TEXTAREA"}:
            page.fill(selector, "")
            count.taps += 1  # selecting what was typed, to replace it
            text = "ok" if kind == "TEXTAREA" else NUMBERS[tries[name] % len(NUMBERS)]
            count.type(page, selector, text)
    return True


def one_interview(page: Any, count: Count, shots: Path | None) -> float:
    """From "Start interview" to the start screen after "Finish"; returns the seconds it took."""
    PLAUSIBLE.update(plausible_numbers(page))
    started = time.perf_counter()
    count.tap(page, f"[data-start='{SLUG}']")
    page.wait_for_selector(".interview")
    tries: dict[str, int] = {}
    for _ in range(60):  # pages (a refused "Next" stays on its page)
        answer_page(page, count, tries)
        if shots:
            page.screenshot(path=str(shots / f"walk-page-{count.pages}.png"))
        last = page.locator("#review").count() > 0
        before = page.evaluate(
            "() => document.querySelector('.interview h2, .interview .pagepos')?.textContent"
        )
        count.tap(page, "#review" if last else "#next")
        page.wait_for_timeout(50)
        if last and page.locator("#review-screen").count():
            break
        after = page.evaluate(
            "() => document.querySelector('.interview h2, .interview .pagepos')?.textContent"
        )
        if page.locator("#error-summary").count() and page.locator("#error-summary").is_visible():
            if not fix_errors(page, count, tries) and before == after:
                sys.exit(f"stuck on a page: {page.locator('#error-summary').inner_text()}")
            continue
        count.pages += 1
    count.pages += 1
    count.tap(page, "#finish")
    page.wait_for_selector("[data-start]")
    return time.perf_counter() - started


def run(url: str, viewport: tuple[int, int], shots: Path | None, index: int) -> tuple[Count, float]:
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, has_touch=True, is_mobile=True,
            viewport={"width": viewport[0], "height": viewport[1]}, args=["--no-sandbox"],
        )  # fmt: skip
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url + "/field/")
        page.fill("#login-user", f"interviewer{index % 3 + 1}")
        page.fill("#login-pass", PASSWORD)
        page.tap("#login-submit")
        page.fill("#pin-new", "2468")
        page.fill("#pin-again", "2468")
        page.tap("#pin-save")
        page.wait_for_selector("[data-start]")
        count = Count()
        seconds = one_interview(page, count, shots)
        context.close()
    return count, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="interviews to time (each on a fresh tablet profile)"
    )
    parser.add_argument("--viewport", default="800x1280", help="WIDTHxHEIGHT in CSS pixels (phone: 390x844)")
    parser.add_argument("--shots", type=Path, help="keep a screenshot of each page here")
    parser.add_argument("--verbose", action="store_true", help="print every tap and key of the first run")
    args = parser.parse_args()
    width, height = (int(v) for v in args.viewport.split("x"))
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/walk.sqlite3"
        migrate.upgrade(database_url)
        print("loading the demo …", file=sys.stderr)
        load_demo(session_factory(make_engine(database_url)), password=PASSWORD)
        url, server = serve(database_url, tmp)
        rows = []
        try:
            for i in range(args.runs):
                count, seconds = run(url, (width, height), args.shots if i == 0 else None, i)
                rows.append((count, seconds))
                print(f"run {i + 1}: {count.taps} taps, {count.keys} keys, {seconds:.1f} s "
                      f"({count.answers} answers on {count.pages} pages)")  # fmt: skip
        finally:
            server.should_exit = True
    count = rows[0][0]
    nexts = sum(1 for line in count.log if line == "tap #next")
    least = count.answers + nexts + 3  # a tap per answer, Next per page, start + review + finish
    print(f"\nviewport {width}x{height}, touch; median {statistics.median(s for _, s in rows):.1f} s "
          f"(automated: the time is the app's, not a person's reading)")  # fmt: skip
    keyboards = sum(1 for line in count.log if line.startswith("type"))
    print(f"taps {count.taps} (least possible {least}: {count.answers} answers + {nexts} Next + start,"
          f" review, finish), keys {count.keys}, keyboard opened {keyboards} time(s)")  # fmt: skip
    print("questions answered: " + ", ".join(count.questions))
    if args.verbose:
        print("\n".join(count.log))


if __name__ == "__main__":
    main()
