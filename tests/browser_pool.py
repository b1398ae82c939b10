"""Browser contexts handed back to a pool on ``close()`` and emptied, instead of being torn down.

Why: a new Chromium context costs about 0.35 s of CPU more than a new page in a context that exists
(its storage partition, network context and first renderer), and the browser tests open a few hundred.
A test still gets what a new context gives it: no cookie, no HTTP cache, and no storage (local and
session storage, IndexedDB, Cache API, service worker registrations) for any origin a page of it
visited. A context is only reused when nothing could carry over that emptying does not cover: its
options are plain ones (``POOLABLE``), the test called nothing on it but ``SAFE`` methods (routes,
init scripts, permissions, offline mode, listeners or timeouts make it ``dirty``), and no service
worker runs in it; otherwise ``close()`` closes it for real, as before.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

POOLABLE = frozenset(
    {"locale", "bypass_csp", "java_script_enabled", "viewport", "has_touch", "reduced_motion"}
)
SAFE = frozenset({"new_page", "pages", "cookies", "add_cookies", "clear_cookies", "storage_state", "browser"})


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


class PooledContext:
    """A Playwright BrowserContext that goes back to its pool, emptied, when the test closes it."""

    def __init__(self, pool: ContextPool, key: tuple[tuple[str, str], ...], real: Any) -> None:
        self._pool, self._key, self._real = pool, key, real
        self._origins: set[str] = set()
        self._dirty = False
        self._closed = False
        self._leased = True
        real.on("page", self._watch)
        real.on("close", self._on_close)

    def _watch(self, page: Any) -> None:
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        origin = _origin(frame.url)
        if origin:
            self._origins.add(origin)

    def _on_close(self, _context: Any) -> None:
        self._closed = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # Playwright looks for its own attributes on handlers' owners
            raise AttributeError(name)
        if name not in SAFE:
            self._dirty = True
        return getattr(self._real, name)

    def lease(self) -> PooledContext:
        self._dirty, self._leased = False, True
        return self

    def close(self, **kwargs: Any) -> None:
        """Empty the context and give it back, or close it when emptying could miss something."""
        if self._closed or not self._leased:  # closing twice is a no-op, as for a real context
            return
        self._leased = False
        if self._dirty or kwargs or self._real.service_workers or not self._empty():
            self._real.close(**kwargs)
            return
        self._pool.give_back(self._key, self)

    def _empty(self) -> bool:
        pages = list(self._real.pages)
        page = pages[0] if pages else self._real.new_page()
        for other in pages[1:]:
            other.close()
        session = self._real.new_cdp_session(page)
        # No script of the test's page runs (and writes) while storage is cleared; cheaper than a navigation.
        session.send("Emulation.setScriptExecutionDisabled", {"value": True})
        for origin in sorted(self._origins):
            session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        session.send("Network.clearBrowserCache")
        session.detach()
        self._real.clear_cookies()
        page.close()
        self._origins.clear()
        return not self._real.pages and not self._real.service_workers


class ContextPool:
    """The browser as the tests see it: ``new_context`` hands out an idle pooled context if one fits."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self._idle: dict[tuple[tuple[str, str], ...], list[PooledContext]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> Any:
        if not set(options) <= POOLABLE:
            return self._browser.new_context(**options)
        key = tuple(sorted((name, json.dumps(value, sort_keys=True)) for name, value in options.items()))
        idle = self._idle.get(key)
        if idle:
            return idle.pop().lease()
        return PooledContext(self, key, self._browser.new_context(**options))

    def give_back(self, key: tuple[tuple[str, str], ...], context: PooledContext) -> None:
        self._idle.setdefault(key, []).append(context)
