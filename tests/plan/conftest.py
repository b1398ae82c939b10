"""The demo consultation for the planner's CLI, page and API tests: the analyst tests' own fixtures.

Each module gets its own copy of the demo database loaded once per run (``database_url`` and the
template it copies), exactly as the workbench's tests do.
"""

from __future__ import annotations

from tests.analyst.conftest import (
    PASSWORD,
    SLUG,
    _demo_templates,
    client,
    database_url,
    demo,
    demo_settings,
    login,
)

__all__ = ["PASSWORD", "SLUG", "_demo_templates", "client", "database_url", "demo", "demo_settings", "login"]
