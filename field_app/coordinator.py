"""The coordinators' reconciliation pages: what each tablet says it holds against the store.

Server-rendered HTML (``templates/coordinator``), no script, every value escaped by the template
engine: a coordinator checks after a field day that nothing was lost. Pages speak French, Dutch or
English (``?lang=``, then Accept-Language), with a switcher made of plain links, because coordinators
in Brussels work in all three. The data is the same read model as the JSON endpoint
(:func:`field_app.reports.reconciliations`); only admins and coordinators may see it, because the
list names interviewers and devices (analysts see responses, not who collected them).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from field_app.auth import provide_coordinator
from field_app.coordinator_page import PageLanguage, page
from field_app.coordinator_texts import TEXTS, text
from field_app.openrosa.app_user_texts import plain
from field_app.schemas import QuotaCell, ReconciliationItem
from field_app.service import CoordinatorService
from survey.http import csrf
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


def most_needed_first(cells: list[QuotaCell]) -> list[QuotaCell]:
    """Cells by interviews still needed, largest first; reached, then over target, last (stable)."""
    return sorted(cells, key=lambda c: (-max(c.target - c.done, 0), max(c.done - c.target, 0)))


def reason(item: ReconciliationItem, lang: PageLanguage) -> str:
    """The reason in the reader's language; an unknown code falls back to the English detail."""
    if f"reason_{item.reason}" in TEXTS:
        return lang.t(f"reason_{item.reason}", **item.params)
    return item.detail


def _signed_in(request: Request[Any, Any, Any], staff: User) -> User | None:
    """Who gets a sign-out form: a browser session, not a script using HTTP Basic."""
    return None if request.headers.get("authorization") else staff


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
        """Every tablet the viewer may supervise with its counts, the quotas and the app-user pages."""
        lang = PageLanguage.of(request)
        token, fresh = csrf.form_token(request)
        response = page(
            "devices.html",
            text("overview_title", lang.code),
            lang,
            "/field/coordinator",
            csrf=token,
            account=_signed_in(request, staff),
            columns=OVERVIEW_COLUMNS,
            reconciliations=coordinator_service.reconciliations(staff),
            panels=coordinator_service.quota_panels(staff),
            order=most_needed_first,
            collect=coordinator_service.coordinated(staff),
            app_text=lambda key, **values: plain(lang.code, key, **values),
        )
        return csrf.remember(response, fresh, request)

    @get("/devices/{device_id:int}", sync_to_thread=True)
    def device(
        self,
        request: Request[Any, Any, Any],
        coordinator_service: NamedDependency[CoordinatorService],
        staff: NamedDependency[User],
        device_id: FromPath[PathId],
    ) -> Response[str]:
        """One tablet's counts and every missing or conflicting UUID with the reason."""
        lang = PageLanguage.of(request)
        token, fresh = csrf.form_token(request)
        r = coordinator_service.reconciliation(device_id)
        response = page(
            "device.html",
            text("device_title", lang.code, id=r.device_id, label=r.label),
            lang,
            f"/field/coordinator/devices/{r.device_id}",
            csrf=token,
            account=_signed_in(request, staff),
            r=r,
            problems=[i for i in r.items if i.state != "received"],
            limit=PROBLEM_LIMIT,
            reason=reason,
        )
        return csrf.remember(response, fresh, request)
