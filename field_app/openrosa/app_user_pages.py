"""``/field/coordinator/consultations/{slug}/collect``: coordinators make and revoke ODK Collect app users.

A small form (interviewer, name) makes an app user and answers with its QR code, once: only the
key's hash is kept, so the code cannot be shown again (a lost code is revoked and a new one made).
Revoking is a form too. No script: the QR code is an SVG drawn on the server (survey.http.qr), so no
third party ever sees a key. Every write checks the CSRF token and is audited. The page is the
``coordinator/app_users.html`` template; the data work is :class:`AppUserService`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect
from markupsafe import Markup

from field_app.coordinator_login import provide_coordinator
from field_app.coordinator_page import PageLanguage, consultation_title, page
from field_app.openrosa.app_user_texts import plain
from field_app.openrosa.app_users import AppUserService, collect_settings, qr_payload
from survey.http import csrf, staff_session
from survey.http.deps import provide_service
from survey.http.params import PathId
from survey.http.qr import qr_svg
from survey.store.errors import StoreError
from survey.store.models import Consultation, User

BASE = "/field/coordinator/consultations"


@dataclass(frozen=True)
class Made:
    """A new app user as its page shows it once: the QR code, the address as text, the payload."""

    name: str
    interviewer: str
    qr: Markup
    server_url: str
    payload: str


def _made(base: str, consultation: Consultation, lang: PageLanguage, key: str, name: str, who: str) -> Made:
    settings = collect_settings(base, consultation, key, lang.code)
    payload = qr_payload(settings)
    general = settings["general"]
    assert isinstance(general, dict)
    qr = qr_svg(payload, plain(lang.code, "qr_title"))
    return Made(" ".join(name.split()), who, qr, str(general["server_url"]), payload)


def _page(
    request: Request[Any, Any, Any],
    app_user_service: AppUserService,
    staff: User,
    consultation: Consultation,
    *,
    status: int = 200,
    name: str = "",
    problem: str = "",
    made: Made | None = None,
) -> Response[str]:
    lang = PageLanguage.of(request)
    token, fresh = csrf.form_token(request)
    response = page(
        "app_users.html",
        plain(lang.code, "title", title=consultation_title(consultation, lang.code)),
        lang,
        f"{BASE}/{consultation.slug}/collect",
        status=status,
        csrf=token,
        account=None if request.headers.get("authorization") else staff,
        app_text=lambda key, **values: plain(lang.code, key, **values),
        base=BASE,
        consultation=consultation,
        interviewers=app_user_service.interviewers(consultation),
        app_users=app_user_service.listing(consultation),
        name=name,
        problem=problem,
        made=made,
    )
    return csrf.remember(response, fresh, request)


def _create(
    request: Request[Any, Any, Any],
    app_user_service: AppUserService,
    staff: User,
    slug: str,
    name: str,
    username: str,
) -> Response[str]:
    """Make the app user and show its QR code, or the form again with the refusal and the name kept."""
    lang = PageLanguage.of(request)
    consultation = app_user_service.consultation(slug)
    try:
        interviewer, key = app_user_service.create(consultation, username, name, staff)
    except StoreError as exc:
        return _page(request, app_user_service, staff, consultation, status=400, name=name, problem=str(exc))
    made = _made(str(request.base_url), consultation, lang, key, name, interviewer.username)
    return _page(request, app_user_service, staff, consultation, status=201, made=made)


class AppUserPageController(Controller):
    """App users of one consultation: list, create (QR shown once), revoke."""

    path = BASE + "/{slug:str}/collect"
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "staff": Provide(provide_coordinator, sync_to_thread=True),
        "app_user_service": provide_service(AppUserService),
    }

    @get("/", sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        app_user_service: NamedDependency[AppUserService],
        staff: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """The form and the list of the consultation's app users."""
        return _page(request, app_user_service, staff, app_user_service.consultation(slug))

    @post("/")
    async def create(
        self,
        request: Request[Any, Any, Any],
        app_user_service: NamedDependency[AppUserService],
        staff: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """Make an app user and show its QR code (once); a refusal names the field and keeps the name."""
        form = await staff_session.checked_form(request)
        name, username = str(form.get("name", "")), str(form.get("interviewer", ""))
        return await to_thread.run_sync(_create, request, app_user_service, staff, slug, name, username)

    @post("/{device_id:int}/revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        app_user_service: NamedDependency[AppUserService],
        staff: NamedDependency[User],
        slug: FromPath[str],
        device_id: FromPath[PathId],
    ) -> Redirect:
        """Revoke one app user: its key is refused from the next request on."""
        await staff_session.checked_form(request)
        await to_thread.run_sync(app_user_service.revoke, slug, device_id, staff)
        lang = request.query_params.get("lang", "")
        where = f"{BASE}/{slug}/collect" + (f"?lang={lang}" if lang in ("fr", "nl", "en") else "")
        return Redirect(where, status_code=303)
