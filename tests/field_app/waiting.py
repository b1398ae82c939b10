"""Waiting in the page for something the IndexedDB (asynchronous) says.

``page.wait_for_function`` takes a returned Promise itself as a truthy value and returns at once,
so ``wait_for_function("() => FieldDB.all(...).then(...)")`` checks nothing. ``until`` keeps the
last value the promise resolved to and waits for that to be truthy.

Every wait here polls at an interval (``POLL_MS``) rather than Playwright's default, once per
animation frame: polling per frame keeps the renderer drawing 60 frames a second for as long as
the wait lasts (about 0.09 CPU-s per second waited, measured), an interval costs next to nothing.
"""

from __future__ import annotations

from typing import Any

POLL_MS = 50


def until(page: Any, predicate: str, arg: Any = None, timeout: float = 30000) -> None:
    """Wait until the async JavaScript ``predicate`` (a function of ``arg``) resolves truthy."""
    page.evaluate("() => { window.__until = undefined; }")
    page.wait_for_function(
        f"(arg) => {{ ({predicate})(arg).then((v) => {{ window.__until = v; }}); return window.__until; }}",
        arg=arg,
        timeout=timeout,
        polling=POLL_MS,
    )


def wait_for(page: Any, expression: str, timeout: float = 30000) -> None:
    """Wait until the synchronous JavaScript ``expression`` (a function) returns truthy."""
    page.wait_for_function(expression, timeout=timeout, polling=POLL_MS)
