"""The coordinators' pages on a phone: every control a finger can hit (44 px), no sideways page (#24)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.field_app.conftest import basic
from tests.field_app.test_coordinator_demo import PASSWORD, demo_client  # noqa: F401 - the fixture

SMALL = """() => [...document.querySelectorAll('a, button, input, select, summary, textarea')]
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.width < 44 || r.height < 44); })
  .map((el) => el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30))"""


@pytest.mark.parametrize("width", [390, 800])
def test_coordinator_pages_fit_a_phone_with_finger_sized_controls(
    demo_client: TestClient,  # noqa: F811
    browser: Any,
    width: int,
) -> None:
    overview = demo_client.get("/field/coordinator?lang=fr", headers=basic("coordinator", PASSWORD)).text
    device = demo_client.get("/field/coordinator/devices/1?lang=nl", headers=basic("coordinator", PASSWORD))
    pages = {"overview": overview}
    if device.status_code == 200:
        pages["device"] = device.text
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=True)
    page = context.new_page()
    found: dict[str, Any] = {}
    for name, html in pages.items():
        page.set_content(html)
        small = page.evaluate(SMALL)
        wide = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if small or wide > 0:
            found[name] = {"small": small, "overflow_px": wide}
    context.close()
    assert found == {}, found
