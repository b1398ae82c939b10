"""A pooled browser context comes back from ``close()`` as empty as a new one (tests/browser_pool.py)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

WRITE = """async () => {
  document.cookie = 'kept=1; max-age=3600';
  localStorage.setItem('kept', '1');
  sessionStorage.setItem('kept', '1');
  await (await caches.open('kept')).put('/kept', new Response('1'));
  await new Promise((done) => {
    const open = indexedDB.open('kept', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('s');
    open.onsuccess = () => { const tx = open.result.transaction('s', 'readwrite');
      tx.objectStore('s').put(1, 'k'); tx.oncomplete = () => { open.result.close(); done(); }; };
  });
}"""
READ = """async () => ({
  cookie: document.cookie,
  local: localStorage.length,
  session: sessionStorage.length,
  caches: (await caches.keys()).length,
  databases: (await indexedDB.databases()).length,
})"""
EMPTY = {"cookie": "", "local": 0, "session": 0, "caches": 0, "databases": 0}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def origin(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text("<!doctype html><title>pool</title><p>pool</p>")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_context_given_back_is_reused_and_empty(browser: Any, origin: str) -> None:
    first = browser.new_context(locale="en-GB")
    page = first.new_page()
    page.goto(f"{origin}/index.html")
    page.evaluate(WRITE)
    assert page.evaluate(READ) == {"cookie": "kept=1", "local": 1, "session": 1, "caches": 1, "databases": 1}
    first.new_page().goto(f"{origin}/index.html")  # a second page open at close time
    first.close()
    second = browser.new_context(locale="en-GB")
    assert second is first  # the same context, given back
    page = second.new_page()
    assert second.cookies() == []
    page.goto(f"{origin}/index.html")
    assert page.evaluate(READ) == EMPTY
    second.close()


def test_a_context_used_beyond_the_safe_methods_is_closed_for_real(browser: Any, origin: str) -> None:
    first = browser.new_context(locale="en-GB")
    first.set_default_timeout(1000)
    first.close()
    assert browser.new_context(locale="en-GB") is not first


def test_closing_twice_gives_a_context_back_once(browser: Any) -> None:
    first = browser.new_context(locale="nl-BE")
    first.close()
    first.close()
    one, two = browser.new_context(locale="nl-BE"), browser.new_context(locale="nl-BE")
    assert one is first and two is not first
    one.close()
    two.close()
