"""``/field/coordinator/consultations/{slug}/collect``: coordinators make and revoke ODK Collect app users.

A small form (interviewer, name) makes an app user and answers with its QR code, once: only the
key's hash is kept, so the code cannot be shown again (a lost code is revoked and a new one made).
Revoking is a form too. No script: the QR code is an SVG drawn on the server (survey.http.qr), so no
third party ever sees a key. Every write checks the CSRF token and is audited.
"""

from __future__ import annotations

from html import escape
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.coordinator_login import provide_coordinator, with_csrf_cookie
from field_app.coordinator_page import PageLanguage, page, sign_out_form
from field_app.openrosa.app_user_texts import plain, t
from field_app.openrosa.app_users import (
    app_users,
    collect_settings,
    create_app_user,
    qr_payload,
    revoke_app_user,
)
from survey.http import staff_session
from survey.http.params import PathId
from survey.http.qr import qr_svg
from survey.store.errors import StoreError
from survey.store.models import Consultation, FieldAssignment, Role, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService

BASE = "/field/coordinator/consultations"


def _title(consultation: Consultation, code: str) -> str:
    return consultation.title.get(code) or next(iter(consultation.title.values()), consultation.slug)


def collect_links(session: Session, lang: PageLanguage, viewer: User) -> str:
    """Links to the app-user page of each consultation the viewer coordinates (for the overview)."""
    items = "".join(
        f'<li><a href="{lang.link(f"{BASE}/{escape(c.slug)}/collect")}">'
        f"{t(lang.code, 'link', title=_title(c, lang.code))}</a></li>"
        for c in grants.consultations_for(session, viewer, Role(viewer.role))
    )
    return (
        f'<section class="collect"><h2>{t(lang.code, "section")}</h2><ul>{items}</ul></section>'
        if items
        else ""
    )


def _interviewers(session: Session, consultation: Consultation) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(FieldAssignment, FieldAssignment.user_id == User.id)
            .where(
                FieldAssignment.consultation_id == consultation.id,
                User.role == Role.INTERVIEWER.value,
                User.active.is_(True),
            )
            .order_by(User.username)
        )
    )


def _form(session: Session, consultation: Consultation, lang: PageLanguage, csrf: str, name: str = "") -> str:
    people = _interviewers(session, consultation)
    if not people:
        return f"<p>{t(lang.code, 'no_interviewer')}</p>"
    options = "".join(
        f'<option value="{escape(u.username)}">{escape(u.display_name or u.username)} ({escape(u.username)})</option>'
        for u in people
    )
    return (
        f'<form method="post" action="{BASE}/{escape(consultation.slug)}/collect?lang={lang.code}">'
        f"<h2>{t(lang.code, 'new')}</h2>"
        f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
        f'<p><label for="interviewer">{t(lang.code, "interviewer")}</label><br>'
        f'<select id="interviewer" name="interviewer" required>{options}</select></p>'
        f'<p><label for="name">{t(lang.code, "name")}</label><br>'
        f'<input id="name" name="name" maxlength="100" required value="{escape(name)}"></p>'
        f'<p><button type="submit">{t(lang.code, "create")}</button></p></form>'
    )


def _listing(session: Session, consultation: Consultation, lang: PageLanguage, csrf: str) -> str:
    found = app_users(session, consultation)
    if not found:
        return f"<p>{t(lang.code, 'none')}</p>"
    code = lang.code
    rows = []
    for a in found:
        revoke = (
            ""
            if a.revoked
            else f'<form method="post" action="{BASE}/{escape(consultation.slug)}/collect/{a.device_id}/revoke'
            f'?lang={code}"><input type="hidden" name="csrf_token" value="{escape(csrf)}">'
            f'<button type="submit">{t(code, "revoke", name=a.name)}</button></form>'
        )
        rows.append(
            f'<tr><th scope="row">{a.device_id} · {escape(a.name)}</th><td>{escape(a.interviewer)}</td>'
            f"<td>{escape(a.created_at)}</td><td>{escape(a.last_seen_at) or t(code, 'never')}</td>"
            f"<td>{t(code, 'revoked' if a.revoked else 'active')}</td><td>{revoke}</td></tr>"
        )
    heads = "".join(
        f'<th scope="col">{t(code, k)}</th>' for k in ("device", "interviewer", "created", "last_seen")
    )
    return (
        f"<table><caption>{t(code, 'list_caption')}</caption><thead><tr>{heads}"
        f'<th scope="col">{t(code, "state")}</th><td></td></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _page(
    request: Request[Any, Any, Any],
    session: Session,
    staff: User,
    consultation: Consultation,
    top: str = "",
    *,
    status: int = 200,
    name: str = "",
) -> Response[str]:
    lang = PageLanguage.of(request)
    csrf, fresh = staff_session.form_token(request)
    account = "" if request.headers.get("authorization") else sign_out_form(lang, staff, csrf)
    back = f'<p><a href="{lang.link("/field/coordinator")}">{t(lang.code, "back")}</a></p>'
    body = (
        back
        + top
        + f"<p>{t(lang.code, 'intro')}</p>"
        + _form(session, consultation, lang, csrf, name)
        + _listing(session, consultation, lang, csrf)
    )
    title = plain(lang.code, "title", title=_title(consultation, lang.code))
    here = f"{BASE}/{consultation.slug}/collect"
    return with_csrf_cookie(page(title, body, lang, here, status=status, account=account), fresh, request)


def _created(base: str, consultation: Consultation, lang: PageLanguage, key: str, name: str, who: str) -> str:
    settings = collect_settings(base, consultation, key, lang.code)
    payload = qr_payload(settings)
    general = settings["general"]
    assert isinstance(general, dict)
    return (
        f'<section class="qr" aria-labelledby="made"><div role="status"><h2 id="made">'
        f"{t(lang.code, 'made', name=name, interviewer=who)}</h2></div>"
        f"<p>{t(lang.code, 'scan')}</p>{qr_svg(payload, t(lang.code, 'qr_title'))}"
        f"<p>{t(lang.code, 'as_text')}: <code>{escape(general['server_url'])}</code></p>"
        f"<details><summary>{t(lang.code, 'payload')}</summary><pre><code>{escape(payload)}</code></pre>"
        "</details></section>"
    )


class AppUserPageController(Controller):
    """App users of one consultation: list, create (QR shown once), revoke."""

    path = BASE + "/{slug:str}/collect"
    include_in_schema = False
    dependencies = {"staff": Provide(provide_coordinator, sync_to_thread=True)}  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        staff: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """The form and the list of the consultation's app users."""
        return _page(request, db_session, staff, ConsultationService(db_session).get(slug))

    @post("/")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        staff: NamedDependency[User],
        slug: FromPath[str],
    ) -> Response[str]:
        """Make an app user and show its QR code (once); a refusal names the field and keeps the name."""
        form = await staff_session.checked_form(request)
        name, username = str(form.get("name", "")), str(form.get("interviewer", ""))
        return await to_thread.run_sync(_create, request, db_session, staff, slug, name, username)

    @post("/{device_id:int}/revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        staff: NamedDependency[User],
        slug: FromPath[str],
        device_id: FromPath[PathId],
    ) -> Redirect:
        """Revoke one app user: its key is refused from the next request on."""
        await staff_session.checked_form(request)
        consultation = await to_thread.run_sync(ConsultationService(db_session).get, slug)
        await to_thread.run_sync(
            lambda: revoke_app_user(
                db_session, consultation, device_id, actor=staff.username, actor_id=staff.id
            )
        )
        lang = request.query_params.get("lang", "")
        where = f"{BASE}/{slug}/collect" + (f"?lang={lang}" if lang in ("fr", "nl", "en") else "")
        return Redirect(where, status_code=303)


def _create(
    request: Request[Any, Any, Any], session: Session, staff: User, slug: str, name: str, username: str
) -> Response[str]:
    lang = PageLanguage.of(request)
    consultation = ConsultationService(session).get(slug)
    try:
        interviewer = session.scalar(select(User).where(User.username == username))
        if interviewer is None:
            raise StoreError(f"interviewer: no interviewer '{username[:80]}'")
        _, key = create_app_user(
            session, consultation, interviewer, name, actor=staff.username, actor_id=staff.id
        )
    except StoreError as exc:
        problem = f'<p class="bad" role="alert">{t(lang.code, "problem", reason=str(exc))}</p>'
        return _page(request, session, staff, consultation, problem, status=400, name=name)
    shown = " ".join(name.split())
    top = _created(str(request.base_url), consultation, lang, key, shown, interviewer.username)
    return _page(request, session, staff, consultation, top, status=201)
