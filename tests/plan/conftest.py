"""The demo consultation for the planner's CLI, page and API tests: the analyst tests' own fixtures."""

from __future__ import annotations

from tests.analyst import conftest as analyst
from tests.analyst.conftest import PASSWORD, SLUG, client, demo, demo_settings, login

__all__ = ["PASSWORD", "SLUG", "client", "demo", "demo_settings", "login"]

# Where the analyst conftest gives each module its own copy of a demo database loaded once per run
# (its own ``database_url`` and the template it copies), these modules take the same fixtures.
for _name in ("database_url", "_demo_templates"):
    if hasattr(analyst, _name):
        globals()[_name] = getattr(analyst, _name)
