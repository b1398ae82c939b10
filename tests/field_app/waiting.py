"""Waiting in the page for something the IndexedDB (asynchronous) says.

``page.wait_for_function`` takes a returned Promise itself as a truthy value and returns at once,
so ``wait_for_function("() => FieldDB.all(...).then(...)")`` checks nothing. ``until`` keeps the
last value the promise resolved to and waits for that to be truthy.
"""

from __future__ import annotations

from typing import Any

# Every 100 ms instead of Playwright's default, every animation frame: a frame-by-frame wait keeps
# Chromium drawing frames and querying IndexedDB 60 times a second. The conditions waited for stay
# true once reached (a record saved, a count sent), so a coarser check cannot miss one.
POLL_MS = 100


def until(page: Any, predicate: str, arg: Any = None, timeout: float = 30000) -> None:
    """Wait until the async JavaScript ``predicate`` (a function of ``arg``) resolves truthy."""
    page.evaluate("() => { window.__until = undefined; }")
    page.wait_for_function(
        f"(arg) => {{ ({predicate})(arg).then((v) => {{ window.__until = v; }}); return window.__until; }}",
        arg=arg,
        timeout=timeout,
        polling=POLL_MS,
    )
