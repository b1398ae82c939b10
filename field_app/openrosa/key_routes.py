"""``/openrosa/{slug}/key/{token}``: the OpenRosa routes for an app user, the key in the address.

Collect configured by an app user's QR code sends no credentials: the key in its server address is
the credential, as with ODK Central. The handlers are those of :class:`OpenRosaController` (the form
list, the form, the manifest, the HEAD probe and the submission behave the same); only who is calling
and which device a submission is attributed to differ: the app user's own device row.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from sqlalchemy.orm import Session

from field_app.openrosa.app_users import AppUserRefusedError, app_user_of_request
from field_app.openrosa.routes import DeviceOf, OpenRosaController
from survey.store.models import Device, User


def provide_app_user(request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> Device:
    """The app user's device: 401 for an unknown or revoked key (throttled), 404 on another consultation."""
    return app_user_of_request(db_session, request)


def provide_app_user_interviewer(
    db_session: NamedDependency[Session], app_user: NamedDependency[Device]
) -> User:
    """The interviewer the app user collects for (their assignment still decides what is served)."""
    user = db_session.get(User, app_user.user_id)
    if user is None:  # the key's check found the account; it cannot vanish within the request
        raise AppUserRefusedError("the interviewer account of this app user is gone")
    return user


def provide_app_user_device(app_user: NamedDependency[Device]) -> DeviceOf:
    """Submissions are attributed to the app user's own device row."""
    return lambda: app_user


class AppUserOpenRosaController(OpenRosaController):
    """The same OpenRosa handlers, reached with an app user's key instead of HTTP Basic."""

    path = "/openrosa/{slug:str}/key/{token:str}"
    dependencies = {  # noqa: RUF012
        "app_user": Provide(provide_app_user, sync_to_thread=True),
        "user": Provide(provide_app_user_interviewer, sync_to_thread=True),
        "device_of": Provide(provide_app_user_device, sync_to_thread=False),
    }
