"""The coordinators' reconciliation pages: what each tablet says it holds against the store.

Server-rendered HTML, no script, every value escaped: a coordinator checks after a field day
that nothing was lost. Pages speak French, Dutch or English (``?lang=``, then Accept-Language),
with a switcher made of plain links, because coordinators in Brussels work in all three. The data is the same read model as the JSON endpoint
(:func:`field_app.reports.reconciliation`); only admins and coordinators may see it, because the
list names interviewers and devices (analysts see responses, not who collected them).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from field_app.auth import provide_coordinator
from field_app.coordinator_login import with_csrf_cookie
from field_app.coordinator_page import PageLanguage, page, scrollable, sign_out_form
from field_app.coordinator_texts import TEXTS, long_date, text
from field_app.schemas import QuotaCell, Reconciliation, ReconciliationItem
from field_app.service import CoordinatorService, QuotaPanel
from survey.http import staff_session
from survey.http.deps import provide_service
from survey.http.params import PathId
from survey.store.models import User

OVERVIEW_COLUMNS = (
    "device",
    "interviewer",
    "state",
    "synced",
    "received",
    "missing",
    "conflicting",
    "unfinished",
    "verdict",
)
PROBLEM_LIMIT = 2000  # a page lists at most this many problem UUIDs; the counts stay exact


def _when(value: dt.datetime | None, lang: PageLanguage) -> str:
    if value is None:
        return lang.t("never")
    utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return f'<time datetime="{utc.strftime("%Y-%m-%dT%H:%MZ")}">{escape(long_date(utc, lang.code))}</time>'


def _counts(r: Reconciliation) -> str:
    missing = f'<span class="{"bad" if r.missing else "ok"}">{r.missing}</span>'
    conflicting = f'<span class="{"bad" if r.conflicting else "ok"}">{r.conflicting}</span>'
    return f'<td class="n">{r.received}</td><td class="n">{missing}</td><td class="n">{conflicting}</td>'


def _unfinished(r: Reconciliation, lang: PageLanguage) -> str:
    if r.unfinished is None:
        return f'<td class="n">{lang.t("not_reported")}</td>'
    return f'<td class="n"><span class="{"bad" if r.unfinished else "ok"}">{r.unfinished}</span></td>'


def verdict(r: Reconciliation, lang: PageLanguage) -> str:
    """Never "complete" for a tablet that never synced, lacks something, or holds unfinished work.

    A device that sent an interview again with other content always needs a check (ODK Collect
    reports no manifest, so it would otherwise only read "never synced").

    "Complete" is only ever as of the last sync: interviews finished since are unknown here.
    """
    if r.resubmissions:
        return f'<span class="bad">{lang.t("check")}</span>'
    if r.synced_at is None:
        return f'<span class="bad">{lang.t("never_synced")}</span>'
    if r.missing or r.conflicting:
        return f'<span class="bad">{lang.t("check")}</span>'
    if r.unfinished:
        return f'<span class="bad">{lang.t("has_unfinished", n=r.unfinished)}</span>'
    return f'<span class="ok">{lang.t("complete")}</span>'


def clock_note(r: Reconciliation, lang: PageLanguage) -> str:
    """A tablet that sent impossible times, or interviews again with other content (both kept)."""
    note = f' <span class="bad">{lang.t("clock_wrong", n=r.clock_wrong)}</span>' if r.clock_wrong else ""
    if r.resubmissions:
        note += f' <span class="bad">{lang.t("resubmitted", n=len(r.resubmissions))}</span>'
    return note


def resubmissions_section(r: Reconciliation, lang: PageLanguage) -> str:
    """Every other version the device sent of a stored interview: both arrival times, which is stored."""
    if not r.resubmissions:
        return ""
    rows = []
    for item in r.resubmissions[:PROBLEM_LIMIT]:
        if item.stored_received_at is None:
            stored = lang.t("stored_gone")
        else:
            by = f" ({lang.t('stored_by', device=item.stored_device_id)})" if item.stored_device_id else ""
            stored = _when(item.stored_received_at, lang) + by
        other = _when(item.other_received_at, lang)
        if item.other_last_received_at != item.other_received_at:
            other += f"<br>{lang.t('sent_again')} {_when(item.other_last_received_at, lang)}"
        differs = ", ".join(f"<code>{escape(name)}</code>" for name in item.differing) or lang.t(
            "same_answers"
        )
        rows.append(
            f'<tr><th scope="row"><code>{escape(item.uuid)}</code></th><td>{stored}</td>'
            f"<td>{other}</td><td>{differs}</td></tr>"
        )
    caption = lang.t("resubmissions_caption")
    table = (
        f"<table><caption>{caption}</caption><thead><tr>"
        f"{_heads(lang, 'uuid', 'stored_version', 'other_version', 'differs_in')}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return f'<h2 id="resubmissions">{lang.t("resubmissions")}</h2>{scrollable(table, caption)}'


def _heads(lang: PageLanguage, *keys: str) -> str:
    return "".join(f'<th scope="col">{lang.t(key)}</th>' for key in keys)


def devices_page(
    coordinator: CoordinatorService, lang: PageLanguage, viewer: User, account: str = ""
) -> Response[str]:
    """One row per device the viewer may supervise: its interviewer, state, last report and the three counts."""
    rows = []
    for r in coordinator.reconciliations(viewer):
        href = lang.link(f"/field/coordinator/devices/{r.device_id}")
        rows.append(
            f'<tr><th scope="row"><a href="{href}">{r.device_id} · {escape(r.label)}</a></th>'
            f"<td>{escape(r.username)}</td><td>{lang.t('revoked' if r.revoked else 'active')}</td>"
            f"<td>{_when(r.synced_at, lang)}</td>{_counts(r)}{_unfinished(r, lang)}"
            f"<td>{verdict(r, lang)}{clock_note(r, lang)}</td></tr>"
        )
    head = (
        f"<table><caption>{lang.t('overview_caption')}</caption><thead><tr>"
        + _heads(lang, *OVERVIEW_COLUMNS)
        + "</tr></thead><tbody>"
    )
    table = head + "".join(rows) + "</tbody></table>"
    body = scrollable(table, lang.t("overview_caption")) if rows else f"<p>{lang.t('no_devices')}</p>"
    body += quotas_section(coordinator.quota_panels(viewer), lang)
    body += coordinator.collect_links(lang, viewer)
    return page(text("overview_title", lang.code), body, lang, "/field/coordinator", account=account)


def quota_state(cell: QuotaCell, lang: PageLanguage) -> str:
    """Still to go, reached, or over target: never refused, so two tablets offline can overshoot."""
    if cell.done > cell.target:
        return f'<strong class="over">{lang.t("quota_over", n=cell.done - cell.target)}</strong>'
    if cell.done == cell.target:
        return f'<strong class="ok">{lang.t("quota_full")}</strong>'
    return lang.t("quota_left", n=cell.target - cell.done)


def most_needed_first(cells: list[QuotaCell]) -> list[QuotaCell]:
    """Cells by interviews still needed, largest first; reached, then over target, last (stable)."""
    return sorted(cells, key=lambda c: (-max(c.target - c.done, 0), max(c.done - c.target, 0)))


def quotas_section(panels: list[QuotaPanel], lang: PageLanguage) -> str:
    """Quota panels of the consultations the viewer coordinates: cells in words in the reader's
    language, most needed first.

    An adaptive consultation says so, with what is left of its budget (its quotas are re-planned
    before they are read, `field_app.reports.quota_cells`).
    """
    sections = []
    for panel in panels:
        consultation, adaptive = panel.consultation, panel.adaptive
        rows = "".join(
            f'<tr data-cell="{escape(cell.variable)}={escape(cell.category)}">'
            f'<th scope="row">{escape(cell.labels.get(lang.code) or cell.category)}</th>'
            f'<td class="n">{cell.done}</td><td class="n">{cell.target}</td>'
            f"<td>{quota_state(cell, lang)}</td></tr>"
            for cell in most_needed_first(panel.cells)
        )
        title = consultation.title.get(lang.code) or next(
            iter(consultation.title.values()), consultation.slug
        )
        caption = lang.t("quotas_caption")
        table = (
            f"<table><caption>{caption}</caption><thead><tr>"
            f"{_heads(lang, 'quota_cell', 'quota_done', 'quota_target', 'quota_state')}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
        note = (
            f'<p class="adaptive">{lang.t("quota_adaptive", left=adaptive.remaining, budget=adaptive.budget)}</p>'
            if adaptive is not None and adaptive.enabled
            else ""
        )
        sections.append(
            f'<section class="quotas"><h2>{lang.t("quotas_title", title=title)}</h2>{note}'
            f"<p>{lang.t('quota_order')}</p>{scrollable(table, caption)}</section>"
        )
    return "".join(sections)


def _reason(item: ReconciliationItem, lang: PageLanguage) -> str:
    """The reason in the reader's language; an unknown code falls back to the English detail."""
    if f"reason_{item.reason}" in TEXTS:
        return lang.t(f"reason_{item.reason}", **item.params)
    return escape(item.detail)


def device_page(r: Reconciliation, lang: PageLanguage, account: str = "") -> Response[str]:
    """Counts for one device and every missing or conflicting UUID with the reason."""
    problems = [i for i in r.items if i.state != "received"]
    summary = (
        "<dl>"
        f"<dt>{lang.t('interviewer')}</dt><dd>{escape(r.username)}</dd>"
        f"<dt>{lang.t('state')}</dt><dd>{lang.t('revoked' if r.revoked else 'active')}</dd>"
        f"<dt>{lang.t('last_seen')}</dt><dd>{_when(r.last_seen_at, lang)}</dd>"
        f"<dt>{lang.t('synced')}</dt><dd>{_when(r.synced_at, lang)}</dd>"
        f"<dt>{lang.t('manifest_items')}</dt><dd>{len(r.items)}</dd>"
        f"<dt>{lang.t('unfinished')}</dt><dd>"
        f"{lang.t('not_reported') if r.unfinished is None else r.unfinished}</dd>"
        f"<dt>{lang.t('verdict')}</dt><dd>{verdict(r, lang)}</dd>"
        f"<dt>{lang.t('superseded')}</dt><dd>{r.superseded}</dd>"
        f"<dt>{lang.t('awaiting_original')}</dt><dd>{r.awaiting_original}</dd></dl>"
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
        table = (
            f"<table><caption>{lang.t('problems_caption')}</caption><thead><tr>"
            f"{_heads(lang, 'uuid', 'state', 'why')}</tr></thead><tbody>{rows}</tbody></table>"
        )
        listing = f'<h2 id="problems">{lang.t("problems")}</h2>{scrollable(table, lang.t("problems_caption"))}{more}'
    elif r.items:
        listing = f'<p class="ok">{lang.t("all_ok")}</p>'
    else:
        listing = f"<p>{lang.t('no_manifest')}</p>"
    back = f'<p><a href="{lang.link("/field/coordinator")}">{lang.t("all_tablets")}</a></p>'
    title = text("device_title", lang.code, id=r.device_id, label=r.label)
    here = f"/field/coordinator/devices/{r.device_id}"
    return page(title, back + summary + listing + resubmissions_section(r, lang), lang, here, account=account)


def _account(
    request: Request[Any, Any, Any], staff: NamedDependency[User], lang: PageLanguage
) -> tuple[str, str | None]:
    """The sign-out form for a browser session (none for scripts using HTTP Basic), and a new CSRF seed."""
    if request.headers.get("authorization"):
        return "", None
    token, fresh = staff_session.form_token(request)
    return sign_out_form(lang, staff, token), fresh


class CoordinatorController(Controller):
    """``/field/coordinator``: HTML for field coordinators (and admins), behind the sign-in form."""

    path = "/field/coordinator"
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "staff": Provide(provide_coordinator, sync_to_thread=True),
        "coordinator_service": provide_service(CoordinatorService),
    }

    @get("/", sync_to_thread=True)
    def devices(
        self,
        request: Request[Any, Any, Any],
        coordinator_service: NamedDependency[CoordinatorService],
        staff: NamedDependency[User],
    ) -> Response[str]:
        """Every tablet with its counts."""
        lang = PageLanguage.of(request)
        account, fresh = _account(request, staff, lang)
        return with_csrf_cookie(devices_page(coordinator_service, lang, staff, account), fresh, request)

    @get("/devices/{device_id:int}", sync_to_thread=True)
    def device(
        self,
        request: Request[Any, Any, Any],
        coordinator_service: NamedDependency[CoordinatorService],
        staff: NamedDependency[User],
        device_id: FromPath[PathId],
    ) -> Response[str]:
        """One tablet's problem list."""
        lang = PageLanguage.of(request)
        account, fresh = _account(request, staff, lang)
        reconciled = coordinator_service.reconciliation(device_id)
        return with_csrf_cookie(device_page(reconciled, lang, account), fresh, request)
