"""The browser the tests drive: spared the hidden omnibox UI, with Playwright's own switches intact.

``tests/chromium.py`` says why the omnibox popup's WebUI pages are turned off and why its
``--disable-features`` carries Playwright's list too; these tests hold both halves against the real
Chromium, so a renamed feature or a changed Playwright shows here rather than as a slower suite.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DISABLE_FEATURES,
    HIDDEN_UI_FEATURES,
    browser_command_lines,
    disabled_features,
)

pytestmark = pytest.mark.browser


def browser_ui_targets(browser: Any) -> list[str]:
    """URLs of the pages Chromium runs for its own UI (DevTools target type ``browser_ui``)."""
    session = browser.new_browser_cdp_session()
    try:
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
    finally:
        session.detach()
    return [t["url"] for t in targets if t["type"] == "browser_ui"]


def open_two_contexts(browser: Any) -> list[Any]:
    contexts = [browser.new_context() for _ in range(2)]
    for context in contexts:
        context.new_page().goto("data:text/html,<title>t</title><p>page")
    return contexts


def test_the_tests_browser_runs_no_omnibox_pages(browser: Any) -> None:
    contexts = open_two_contexts(browser)
    try:
        assert browser_ui_targets(browser) == []
    finally:
        for context in contexts:
            context.close()


@pytest.mark.skipif(
    "headless-shell" in CHROMIUM,
    reason="CHROMIUM_PATH names the headless shell: it has no browser UI to turn off",
)
def test_without_the_switch_chromium_runs_omnibox_pages_per_window(playwright_session: Any) -> None:
    """The control: the features named in tests/chromium.py are the ones that make those pages."""
    plain = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        open_two_contexts(plain)
        urls = browser_ui_targets(plain)
    finally:
        plain.close()
    assert len(urls) >= 2
    assert all(url.startswith("chrome://omnibox-popup.top-chrome/") for url in urls)


def test_the_last_disable_features_keeps_playwrights_list_and_adds_ours(browser: Any) -> None:
    """Chromium honours the last ``--disable-features``; Playwright's own comes first on the line."""
    command_lines = list(browser_command_lines().values())
    assert command_lines, "the session's browser is a process below this one"
    for argv in command_lines:
        switches = [a for a in argv if a.startswith(DISABLE_FEATURES)]
        assert len(switches) == 2, switches
        playwrights = switches[0].removeprefix(DISABLE_FEATURES).split(",")
        assert "MediaRouter" in playwrights  # Playwright's list, not an empty one
        honoured = disabled_features(argv)
        assert set(playwrights) <= set(honoured)
        assert set(HIDDEN_UI_FEATURES) <= set(honoured)
