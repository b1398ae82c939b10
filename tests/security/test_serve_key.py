"""``survey serve --workers 2`` without SECRET_KEY: every worker signs with the key the parent made."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.served import survey_serve
from tests.web.conftest import SLUG

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object) -> None:
        return None


def _consent(base: str) -> int:
    """Open the landing page on one connection and post the consent on another, as a browser may."""
    with urllib.request.urlopen(f"{base}/c/{SLUG}", timeout=10) as page:
        cookie = page.headers["set-cookie"].split(";", 1)[0]
        token = TOKEN.search(page.read().decode())
    assert token is not None
    body = f"csrf_token={urllib.request.quote(token.group(1))}&consent=yes".encode()
    request = urllib.request.Request(f"{base}/c/{SLUG}/start", data=body, method="POST", headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as answered:
        return answered.code


def test_every_consent_post_succeeds_whichever_worker_signed_the_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SURVEY_ENV", raising=False)
    with survey_serve(tmp_path, workers=2) as served:
        statuses = [_consent(served.base) for _ in range(24)]
    assert statuses == [303] * 24
