"""Waiting in the page for something the IndexedDB (asynchronous) says.

``page.wait_for_function`` takes a returned Promise itself as a truthy value and returns at once,
so ``wait_for_function("() => FieldDB.all(...).then(...)")`` checks nothing. ``until`` keeps the
last value the promise resolved to and waits for that to be truthy.
"""

from __future__ import annotations

from typing import Any


def until(page: Any, predicate: str, arg: Any = None, timeout: float = 30000) -> None:
    """Wait until the async JavaScript ``predicate`` (a function of ``arg``) resolves truthy."""
    page.evaluate("() => { window.__until = undefined; }")
    page.wait_for_function(
        f"(arg) => {{ ({predicate})(arg).then((v) => {{ window.__until = v; }}); return window.__until; }}",
        arg=arg,
        timeout=timeout,
    )
