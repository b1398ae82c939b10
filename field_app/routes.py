"""Route handlers of the field app and its sync API."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

FIELD_ROUTES: list[ControllerRouterHandler] = []
