"""Route handlers of the field app: the PWA shell under /field and its API under /field/api."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from field_app.api import FieldAdminController, FieldApiController
from field_app.shell import SHELL_ROUTES

FIELD_ROUTES: list[ControllerRouterHandler] = [*SHELL_ROUTES, FieldApiController, FieldAdminController]
