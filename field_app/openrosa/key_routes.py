"""``/openrosa/{slug}/key/{token}``: the OpenRosa routes for an app user, the key in the address.

Collect configured by an app user's QR code sends no credentials: the key in its server address is
the credential, as with ODK Central. The handlers are those of :class:`OpenRosaController` (the form
list, the form, the manifest and media, the HEAD probe and the submission behave the same); only who
is calling and which device a submission is attributed to differ: the app user's own device row.
``/openrosa/key/{token}`` is the server-level address (:mod:`field_app.openrosa.server_routes`) for
an app user: it lists the one consultation the key was made for, as ``slug.form_id``.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide

from field_app.openrosa.routes import OpenRosaController, base_of
from field_app.openrosa.server_routes import ConsultationUrl, ServerOpenRosaController
from field_app.openrosa.service import DeviceOf, OpenRosaService
from survey.http.deps import provide_service
from survey.store.models import Consultation, Device, User


def provide_app_user(
    request: Request[Any, Any, Any], openrosa_service: NamedDependency[OpenRosaService]
) -> Device:
    """The app user's device: 401 for an unknown or revoked key (throttled), 404 on another consultation."""
    return openrosa_service.app_user(request)


def provide_app_user_interviewer(
    openrosa_service: NamedDependency[OpenRosaService], app_user: NamedDependency[Device]
) -> User:
    """The interviewer the app user collects for (their assignment still decides what is served)."""
    return openrosa_service.app_user_interviewer(app_user)


def provide_app_user_device(app_user: NamedDependency[Device]) -> DeviceOf:
    """Submissions are attributed to the app user's own device row."""
    return lambda: app_user


APP_USER_DEPENDENCIES = {
    "openrosa_service": provide_service(OpenRosaService),
    "app_user": Provide(provide_app_user, sync_to_thread=True),
    "user": Provide(provide_app_user_interviewer, sync_to_thread=True),
    "device_of": Provide(provide_app_user_device, sync_to_thread=False),
}
"""The app user behind the key in the URL, and the interviewer it acts for, on both keyed URLs."""


class AppUserOpenRosaController(OpenRosaController):
    """The same OpenRosa handlers, reached with an app user's key instead of HTTP Basic."""

    path = "/openrosa/{slug:str}/key/{token:str}"
    dependencies = APP_USER_DEPENDENCIES


def provide_app_user_assigned(
    request: Request[Any, Any, Any],
    openrosa_service: NamedDependency[OpenRosaService],
    user: NamedDependency[User],
) -> list[Consultation]:
    """The key's own consultation, while the app user's interviewer is still assigned there."""
    return openrosa_service.key_assigned(str(request.path_params["token"]), user)


def provide_app_user_consultation_url(request: Request[Any, Any, Any]) -> ConsultationUrl:
    """``…/openrosa/key/KEY`` → ``…/openrosa/SLUG/key/KEY``: the consultation's keyed routes."""
    token = str(request.path_params["token"])
    root = base_of(request).removesuffix(f"/key/{token}")
    return lambda slug: f"{root}/{slug}/key/{token}"


class AppUserServerOpenRosaController(ServerOpenRosaController):
    """The server-level form list and submission URL, reached with an app user's key."""

    path = "/openrosa/key/{token:str}"
    dependencies = {  # noqa: RUF012
        **APP_USER_DEPENDENCIES,
        "assigned": Provide(provide_app_user_assigned, sync_to_thread=True),
        "consultation_url": Provide(provide_app_user_consultation_url, sync_to_thread=False),
    }
