"""What each browser step costs in CPU: a new context, a navigation, an axe-core check.

Usage: ``.venv/bin/python -m bench.browser_costs [--chromium /usr/bin/chromium] [--repeat 10]``

Why: Chromium is about half of the test suite's CPU, so the cost of one step decides what a browser
test may afford. The figures are CPU seconds summed over the whole process tree below this script
(browser, renderers, GPU and network processes, Playwright's driver), read from /proc, so they hold
on a machine busy with other work, unlike wall time. The page is served by a small local HTTP server
(200 paragraphs and a form), so the figures describe the browser, not the app. Compare two binaries,
e.g. ``--chromium /usr/bin/chromium-headless-shell``. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.chromium import launch_args

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PAGE = (
    "<!doctype html><html lang=en><head><title>t</title></head><body><main><h1>Hello</h1>"
    + "".join(f"<p>paragraph {i} <a href='#'>link</a></p>" for i in range(200))
    + "<form><label for=a>A</label><input id=a><button>Go</button></form></main></body></html>"
).encode()


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *_: Any) -> None:
        return None


def tree_cpu(root: int) -> float:
    """CPU seconds of every live process below ``root``, with the children they have already reaped."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        parent[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = sum(int(x) for x in fields[11:15]) / tick
    total = 0.0
    for pid, seconds in cpu.items():
        ancestor = parent.get(pid)
        while ancestor and ancestor != root:
            ancestor = parent.get(ancestor)
        if ancestor == root:
            total += seconds
    return total


def measure(label: str, step: Callable[[int], Any], repeat: int) -> None:
    """CPU per step; what a step returns (a context) is closed only after the CPU is read.

    Why: a renderer that exits takes its CPU time with it (Chromium's zygote does not collect its
    children's times), so closing inside the step would leave the renderer's work uncounted.
    """
    before, start = tree_cpu(os.getpid()), time.monotonic()
    made = [step(i) for i in range(repeat)]
    wall = (time.monotonic() - start) / repeat
    time.sleep(0.3)  # the last step's work in other processes is counted
    print(f"{label:42s} CPU {(tree_cpu(os.getpid()) - before) / repeat:.3f} s   wall {wall:.3f} s")
    for thing in made:
        if thing is not None:
            thing.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--arg", action="append", default=[], help="one more Chromium switch (repeatable)")
    parser.add_argument(
        "--omnibox",
        action="store_true",
        help="leave on the omnibox popup's WebUI pages (the tests turn them off)",
    )
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    axe = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
    print(f"{options.chromium} {' '.join(options.arg)}, CPU per step over the whole process tree")
    if not options.omnibox:
        print("with the switches the tests use (tests/chromium.py: no omnibox popup pages)")
    with sync_playwright() as playwright:
        switches = ARGS if options.omnibox else launch_args(playwright)
        browser = playwright.chromium.launch(executable_path=options.chromium, args=switches + options.arg)
        warm = browser.new_context()
        warm.new_page().goto(url)
        warm.close()

        def context_and_page(i: int) -> Any:
            context = browser.new_context()
            context.new_page()
            return context

        def context_page_navigation(i: int) -> Any:
            context = browser.new_context()
            context.new_page().goto(f"{url}/{i}")
            return context

        measure("new context and page", context_and_page, options.repeat)
        measure("new context, page and a navigation", context_page_navigation, options.repeat)
        page = browser.new_context().new_page()
        page.goto(url)

        def navigation(i: int) -> None:
            page.goto(f"{url}/{i}")

        measure("a navigation", navigation, options.repeat)

        def navigation_and_axe(i: int) -> None:
            page.goto(f"{url}/{i}")
            page.evaluate(axe)
            page.evaluate("axe.run(document, {resultTypes: ['violations']})")

        measure("a navigation and an axe-core check", navigation_and_axe, max(1, options.repeat // 2))
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
