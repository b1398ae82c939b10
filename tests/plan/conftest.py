"""The demo consultation for the planner's CLI, page and API tests: the analyst tests' own fixtures.

Each module gets its own copy of the demo database loaded once per run (``demo_url`` and the
template it copies), exactly as the workbench's tests do.
"""

from __future__ import annotations

from tests.analyst.conftest import (
    PASSWORD,
    SLUG,
    _demo_templates,
    client,
    demo,
    demo_settings,
    demo_url,
    login,
)

__all__ = ["PASSWORD", "SLUG", "_demo_templates", "client", "demo", "demo_settings", "demo_url", "login"]
