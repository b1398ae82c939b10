"""The demo consultation (loaded once per module) for the planner's CLI, page and API tests."""

from __future__ import annotations

from tests.analyst.conftest import SLUG, client, demo, demo_settings, login

__all__ = ["SLUG", "client", "demo", "demo_settings", "login"]
