"""The coordinators' reconciliation pages: what each tablet says it holds against the store.

Server-rendered HTML, no script, every value escaped: a coordinator checks after a field day
that nothing was lost. The data is the same read model as the JSON endpoint
(:func:`field_app.reports.reconciliation`); only admins and coordinators may see it, because the
list names interviewers and devices (analysts see responses, not who collected them).
"""

from __future__ import annotations

import datetime as dt
from html import escape

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.auth import staff_from_basic
from field_app.reports import reconciliation
from field_app.schemas import Reconciliation
from survey.store.models import Device, Role, User

COORDINATING = frozenset({Role.ADMIN, Role.COORDINATOR})
PROBLEM_LIMIT = 2000  # a page lists at most this many problem UUIDs; the counts stay exact
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:12px;color:#111}"
    "table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #ccc;"
    "text-align:left}td.n{text-align:right}.bad{color:#a00;font-weight:700}.ok{color:#176b2c}"
    "code{font-size:14px}a{color:#0b4f9c}a:focus,summary:focus{outline:3px solid #e0a800}"
)


def provide_coordinator(request: Request, db_session: Session) -> User:
    """An admin or coordinator, from HTTP Basic credentials (the browser asks for them)."""
    return staff_from_basic(db_session, request, set(COORDINATING))


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _page(title: str, body: str) -> Response[str]:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )
    headers = {
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


def _counts(r: Reconciliation) -> str:
    missing = f'<span class="{"bad" if r.missing else "ok"}">{r.missing}</span>'
    conflicting = f'<span class="{"bad" if r.conflicting else "ok"}">{r.conflicting}</span>'
    return f'<td class="n">{r.received}</td><td class="n">{missing}</td><td class="n">{conflicting}</td>'


def devices_page(session: Session) -> Response[str]:
    """One row per device: its interviewer, state, last report and the three counts."""
    ids = list(session.scalars(select(Device.id).order_by(Device.id)))
    rows = []
    for device_id in ids:
        r = reconciliation(session, device_id)
        state = "revoked" if r.revoked else "active"
        verdict = "check" if r.missing or r.conflicting else "complete"
        rows.append(
            f'<tr><td><a href="/field/coordinator/devices/{r.device_id}">{r.device_id} · {escape(r.label)}</a></td>'
            f"<td>{escape(r.username)}</td><td>{state}</td><td>{_when(r.manifest_reported_at)}</td>"
            f"{_counts(r)}<td>{verdict}</td></tr>"
        )
    head = (
        "<table><caption>Tablets: last reported manifest against the store</caption><thead><tr>"
        '<th scope="col">Device</th><th scope="col">Interviewer</th><th scope="col">State</th>'
        '<th scope="col">Manifest reported</th><th scope="col">Received</th><th scope="col">Missing</th>'
        '<th scope="col">Conflicting</th><th scope="col">Verdict</th></tr></thead><tbody>'
    )
    body = head + "".join(rows) + "</tbody></table>" if rows else "<p>No tablet has been registered yet.</p>"
    return _page("Field reconciliation", body)


def device_page(session: Session, device_id: int) -> Response[str]:
    """Counts for one device and every missing or conflicting UUID with the reason."""
    r = reconciliation(session, device_id)
    problems = [i for i in r.items if i.state != "received"]
    summary = (
        "<dl>"
        f"<dt>Interviewer</dt><dd>{escape(r.username)}</dd>"
        f"<dt>State</dt><dd>{'revoked' if r.revoked else 'active'}</dd>"
        f"<dt>Last seen</dt><dd>{_when(r.last_seen_at)}</dd>"
        f"<dt>Manifest reported</dt><dd>{_when(r.manifest_reported_at)}</dd>"
        f"<dt>Items in the manifest</dt><dd>{len(r.items)}</dd></dl>"
        '<table><caption>Counts</caption><thead><tr><th scope="col">Received</th>'
        '<th scope="col">Missing</th><th scope="col">Conflicting</th></tr></thead>'
        f"<tbody><tr>{_counts(r)}</tr></tbody></table>"
    )
    if problems:
        rows = "".join(
            f"<tr><td><code>{escape(i.uuid)}</code></td><td>{i.state}</td><td>{escape(i.detail)}</td></tr>"
            for i in problems[:PROBLEM_LIMIT]
        )
        cut = len(problems) - PROBLEM_LIMIT
        more = f"<p>{cut} more not listed.</p>" if cut > 0 else ""
        listing = (
            '<h2 id="problems">Problem UUIDs</h2><table aria-labelledby="problems"><thead><tr>'
            '<th scope="col">UUID</th><th scope="col">State</th><th scope="col">Why</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>{more}"
        )
    elif r.items:
        listing = '<p class="ok">Everything the tablet reported is in the store.</p>'
    else:
        listing = "<p>This tablet has not reported a manifest yet (it does at every sync).</p>"
    back = '<p><a href="/field/coordinator">All tablets</a></p>'
    return _page(f"Tablet {r.device_id} · {r.label}", back + summary + listing)


class CoordinatorController(Controller):
    """``/field/coordinator``: HTML for field coordinators (and admins)."""

    path = "/field/coordinator"
    include_in_schema = False
    dependencies = {"staff": Provide(provide_coordinator, sync_to_thread=True)}  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def devices(self, db_session: Session, staff: User) -> Response[str]:
        """Every tablet with its counts."""
        return devices_page(db_session)

    @get("/devices/{device_id:int}", sync_to_thread=True)
    def device(self, db_session: Session, staff: User, device_id: int) -> Response[str]:
        """One tablet's problem list."""
        return device_page(db_session, device_id)
