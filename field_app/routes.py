"""Route handlers of the field app: the PWA shell under /field, its API under /field/api, coordinator pages."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from field_app.adaptive_routes import AdaptiveApiController, AdaptiveController
from field_app.api import FieldAdminController, FieldApiController
from field_app.coordinator import CoordinatorController
from field_app.coordinator_login import CoordinatorLoginController
from field_app.openrosa.app_user_pages import AppUserPageController
from field_app.openrosa.key_routes import AppUserOpenRosaController, AppUserServerOpenRosaController
from field_app.openrosa.routes import OpenRosaController
from field_app.openrosa.server_routes import ServerOpenRosaController
from field_app.shell import SHELL_ROUTES

FIELD_ROUTES: list[ControllerRouterHandler] = [
    *SHELL_ROUTES,
    FieldApiController,
    FieldAdminController,
    CoordinatorController,
    CoordinatorLoginController,
    OpenRosaController,
    ServerOpenRosaController,
    AppUserOpenRosaController,
    AppUserServerOpenRosaController,
    AppUserPageController,
    AdaptiveController,
    AdaptiveApiController,
]
