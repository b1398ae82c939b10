"""The coordinators' reconciliation pages: what each tablet says it holds against the store.

Server-rendered HTML, no script, every value escaped: a coordinator checks after a field day
that nothing was lost. Pages speak French, Dutch or English (``?lang=``, then Accept-Language),
with a switcher made of plain links, because coordinators in Brussels work in all three. The data is the same read model as the JSON endpoint
(:func:`field_app.reports.reconciliation`); only admins and coordinators may see it, because the
list names interviewers and devices (analysts see responses, not who collected them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.auth import staff_from_basic
from field_app.coordinator_texts import LANGUAGES, TEXTS, long_date, text
from field_app.reports import reconciliation
from field_app.schemas import Reconciliation, ReconciliationItem
from survey.store.models import Device, Role, User
from survey.web.i18n import negotiate

COORDINATING = frozenset({Role.ADMIN, Role.COORDINATOR})
OVERVIEW_COLUMNS = (
    "device",
    "interviewer",
    "state",
    "reported",
    "received",
    "missing",
    "conflicting",
    "verdict",
)
PROBLEM_LIMIT = 2000  # a page lists at most this many problem UUIDs; the counts stay exact
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:12px;color:#111}"
    "table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #ccc;"
    "text-align:left}td.n{text-align:right}.bad{color:#a00;font-weight:700}.ok{color:#176b2c}"
    "code{font-size:14px}a{color:#0b4f9c}a:focus,summary:focus{outline:3px solid #e0a800}"
    "th[scope=row]{font-weight:400}.langs ul{list-style:none;display:flex;gap:12px;margin:0;padding:0;"
    "justify-content:flex-end}.langs a{display:inline-block;padding:6px 4px}.langs a[aria-current]{font-weight:700;"
    "color:#111}"
)


def provide_coordinator(request: Request, db_session: Session) -> User:
    """An admin or coordinator, from HTTP Basic credentials (the browser asks for them)."""
    return staff_from_basic(db_session, request, set(COORDINATING))


@dataclass(frozen=True)
class PageLanguage:
    """The reader's language and whether they chose it with ``?lang=`` (then links keep the choice)."""

    code: str
    explicit: bool

    @classmethod
    def of(cls, request: Request[Any, Any, Any]) -> PageLanguage:
        """``?lang=`` first, then Accept-Language, then French, as on the citizens' pages."""
        asked = request.query_params.get("lang")
        code = negotiate(request.headers.get("accept-language"), asked)
        return cls(code, asked == code)

    def t(self, key: str, **values: object) -> str:
        """A page text in this language, escaped for HTML (values included)."""
        return escape(text(key, self.code, **values))

    def link(self, path: str) -> str:
        """An internal link that keeps an explicit language choice."""
        return f"{path}?lang={self.code}" if self.explicit else path


def _when(value: dt.datetime | None, lang: PageLanguage) -> str:
    if value is None:
        return lang.t("never")
    utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return f'<time datetime="{utc.strftime("%Y-%m-%dT%H:%MZ")}">{escape(long_date(utc, lang.code))}</time>'


def _switcher(lang: PageLanguage, here: str) -> str:
    """Plain links (no script, no form): each language's name written in that language."""
    current = ' aria-current="true"'
    links = "".join(
        f'<li><a href="{here}?lang={code}" hreflang="{code}" lang="{code}"'
        f"{current if code == lang.code else ''}>{escape(name)}</a></li>"
        for code, name in LANGUAGES
    )
    return f'<nav class="langs" aria-label="{lang.t("language")}"><ul>{links}</ul></nav>'


def _page(title: str, body: str, lang: PageLanguage, here: str) -> Response[str]:
    html = (
        f'<!doctype html><html lang="{lang.code}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header>{_switcher(lang, here)}</header>"
        f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )
    headers = {
        "Cache-Control": "no-store",
        "Content-Language": lang.code,
        "Vary": "Accept-Language",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


def _counts(r: Reconciliation) -> str:
    missing = f'<span class="{"bad" if r.missing else "ok"}">{r.missing}</span>'
    conflicting = f'<span class="{"bad" if r.conflicting else "ok"}">{r.conflicting}</span>'
    return f'<td class="n">{r.received}</td><td class="n">{missing}</td><td class="n">{conflicting}</td>'


def _heads(lang: PageLanguage, *keys: str) -> str:
    return "".join(f'<th scope="col">{lang.t(key)}</th>' for key in keys)


def devices_page(session: Session, lang: PageLanguage) -> Response[str]:
    """One row per device: its interviewer, state, last report and the three counts."""
    ids = list(session.scalars(select(Device.id).order_by(Device.id)))
    rows = []
    for device_id in ids:
        r = reconciliation(session, device_id)
        href = lang.link(f"/field/coordinator/devices/{r.device_id}")
        rows.append(
            f'<tr><th scope="row"><a href="{href}">{r.device_id} · {escape(r.label)}</a></th>'
            f"<td>{escape(r.username)}</td><td>{lang.t('revoked' if r.revoked else 'active')}</td>"
            f"<td>{_when(r.manifest_reported_at, lang)}</td>{_counts(r)}"
            f"<td>{lang.t('check' if r.missing or r.conflicting else 'complete')}</td></tr>"
        )
    head = (
        f"<table><caption>{lang.t('overview_caption')}</caption><thead><tr>"
        + _heads(lang, *OVERVIEW_COLUMNS)
        + "</tr></thead><tbody>"
    )
    body = head + "".join(rows) + "</tbody></table>" if rows else f"<p>{lang.t('no_devices')}</p>"
    return _page(text("overview_title", lang.code), body, lang, "/field/coordinator")


def _reason(item: ReconciliationItem, lang: PageLanguage) -> str:
    """The reason in the reader's language; an unknown code falls back to the English detail."""
    if f"reason_{item.reason}" in TEXTS:
        return lang.t(f"reason_{item.reason}", **item.params)
    return escape(item.detail)


def device_page(session: Session, device_id: int, lang: PageLanguage) -> Response[str]:
    """Counts for one device and every missing or conflicting UUID with the reason."""
    r = reconciliation(session, device_id)
    problems = [i for i in r.items if i.state != "received"]
    summary = (
        "<dl>"
        f"<dt>{lang.t('interviewer')}</dt><dd>{escape(r.username)}</dd>"
        f"<dt>{lang.t('state')}</dt><dd>{lang.t('revoked' if r.revoked else 'active')}</dd>"
        f"<dt>{lang.t('last_seen')}</dt><dd>{_when(r.last_seen_at, lang)}</dd>"
        f"<dt>{lang.t('reported')}</dt><dd>{_when(r.manifest_reported_at, lang)}</dd>"
        f"<dt>{lang.t('manifest_items')}</dt><dd>{len(r.items)}</dd></dl>"
        f"<table><caption>{lang.t('counts')}</caption><thead><tr>"
        f"{_heads(lang, 'received', 'missing', 'conflicting')}</tr></thead>"
        f"<tbody><tr>{_counts(r)}</tr></tbody></table>"
    )
    if problems:
        rows = "".join(
            f'<tr><th scope="row"><code>{escape(i.uuid)}</code></th><td>{lang.t("state_" + i.state)}</td>'
            f"<td>{_reason(i, lang)}</td></tr>"
            for i in problems[:PROBLEM_LIMIT]
        )
        cut = len(problems) - PROBLEM_LIMIT
        more = f"<p>{lang.t('more', n=cut)}</p>" if cut > 0 else ""
        listing = (
            f'<h2 id="problems">{lang.t("problems")}</h2><table>'
            f"<caption>{lang.t('problems_caption')}</caption><thead><tr>"
            f"{_heads(lang, 'uuid', 'state', 'why')}</tr></thead><tbody>{rows}</tbody></table>{more}"
        )
    elif r.items:
        listing = f'<p class="ok">{lang.t("all_ok")}</p>'
    else:
        listing = f"<p>{lang.t('no_manifest')}</p>"
    back = f'<p><a href="{lang.link("/field/coordinator")}">{lang.t("all_tablets")}</a></p>'
    title = text("device_title", lang.code, id=r.device_id, label=r.label)
    return _page(title, back + summary + listing, lang, f"/field/coordinator/devices/{r.device_id}")


class CoordinatorController(Controller):
    """``/field/coordinator``: HTML for field coordinators (and admins)."""

    path = "/field/coordinator"
    include_in_schema = False
    dependencies = {"staff": Provide(provide_coordinator, sync_to_thread=True)}  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def devices(self, request: Request[Any, Any, Any], db_session: Session, staff: User) -> Response[str]:
        """Every tablet with its counts."""
        return devices_page(db_session, PageLanguage.of(request))

    @get("/devices/{device_id:int}", sync_to_thread=True)
    def device(
        self, request: Request[Any, Any, Any], db_session: Session, staff: User, device_id: int
    ) -> Response[str]:
        """One tablet's problem list."""
        return device_page(db_session, device_id, PageLanguage.of(request))
