"""Route handlers of the analyst workbench and the public results pages."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

ANALYST_ROUTES: list[ControllerRouterHandler] = []
