"""How the tests start Debian's Chromium: the binary, its switches, and the browser UI it is spared.

Chromium's headless mode runs the whole browser with a hidden window for each context. In version
156 every such window builds its omnibox (address bar) popup out of two WebUI pages,
``chrome://omnibox-popup.top-chrome/`` and its AI-mode twin, rendered in a renderer process of their
own and updated on every navigation. Nobody sees them in a headless test, yet they cost more than the
page under test: a new context and page took 0.58 CPU-s with them and 0.14 without, a navigation
0.16 against 0.08 (``bench/browser_costs.py``, measured on this machine). Turning their features off
leaves the page, the renderer that draws it and the protocol Playwright drives untouched.

Chromium keeps only the last ``--disable-features`` on its command line, and Playwright passes its own
list (features that make tests flaky, or call Google). A second switch would silently drop that list,
so the switch passed here is Playwright's list with ours added, read from the command line Playwright
gave a first browser (``tests/web/test_browser_setup.py`` checks both halves).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# --disable-site-isolation-trials: every test page is on 127.0.0.1, one site, yet Chromium gave new
# contexts and navigations more renderer processes (104 against 78 for tests/web/test_browser.py);
# without them that file takes about 9 % less CPU (55 s against 60 s). No test is about process isolation.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-site-isolation-trials",
]  # fmt: skip
# The omnibox popup's WebUI pages (plain, AI mode, and the full-WebUI variant where a build enables it).
HIDDEN_UI_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")
DISABLE_FEATURES = "--disable-features="


def browser_command_lines() -> dict[int, list[str]]:
    """The command lines of the Chromium browser processes below this one (renderers and helpers left out).

    Read from /proc: Playwright does not expose the browser's process, and Chromium answers the DevTools
    ``Browser.getBrowserCommandLine`` only when started with ``--enable-automation``.
    """
    parents: dict[int, int] = {}
    argvs: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat[stat.rfind(")") + 2 :].split()[1])
        argvs[pid] = [part.decode(errors="replace") for part in argv if part]
    own = os.getpid()
    found: dict[int, list[str]] = {}
    for pid, argv in argvs.items():
        if "--remote-debugging-pipe" not in argv or any(a.startswith("--type=") for a in argv):
            continue
        ancestor = parents.get(pid)
        while ancestor and ancestor != own:
            ancestor = parents.get(ancestor)
        if ancestor == own:
            found[pid] = argv
    return found


def disabled_features(argv: list[str]) -> list[str]:
    """The features a browser started with ``argv`` turns off: Chromium reads the last switch only."""
    switches = [a.removeprefix(DISABLE_FEATURES) for a in argv if a.startswith(DISABLE_FEATURES)]
    return [name for name in switches[-1].split(",") if name] if switches else []


def playwright_disabled_features(playwright: Any) -> list[str]:
    """The features Playwright itself turns off, read from a browser it started with its own switches."""
    before = set(browser_command_lines())
    probe = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        started = [argv for pid, argv in browser_command_lines().items() if pid not in before]
    finally:
        probe.close()
    if not started:  # a launcher script that does not exec shows up too, with the same switches
        raise RuntimeError("the Chromium just started is not a process below this one")
    return disabled_features(started[-1])


_merged: list[str] = []


def launch_args(playwright: Any) -> list[str]:
    """The switches for every Chromium the tests start: ours, then one merged ``--disable-features``.

    Worked out once per process, at the cost of one extra browser start.
    """
    if not _merged:
        theirs = playwright_disabled_features(playwright)
        _merged.extend(theirs + [name for name in HIDDEN_UI_FEATURES if name not in theirs])
    return [*CHROMIUM_ARGS, DISABLE_FEATURES + ",".join(_merged)]
