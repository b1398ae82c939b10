"""``/console/audit``: the audit log, filtered by who, what, which consultation and when, paged.

An admin sees every entry; a project lead sees only the entries of consultations granted to them
(accounts and devices are not theirs to read). Filters are a plain GET form, so a filtered view is a
link that can be shared, and a malformed filter value is reported next to its field with a 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from survey.console import people_texts, texts
from survey.console.guards import ConsoleAccessService, console_guard, console_user
from survey.console.render import page
from survey.http.deps import provide_service
from survey.store.models import Role
from survey.store.services.audit import AuditFilter, AuditService

people_texts.install()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class AuditController(Controller):
    """Every staff member with console rights; what each sees depends on their grants."""

    path = "/console/audit"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "audit_service": provide_service(AuditService),
        "console_access_service": provide_service(ConsoleAccessService),
    }

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        audit_service: NamedDependency[AuditService],
        console_access_service: NamedDependency[ConsoleAccessService],
    ) -> Response[str]:
        user = console_user(request)
        lang = texts.language(request)
        query = request.query_params
        mine = console_access_service.visible_consultations(user)
        by_id = {c.id: c for c in mine}
        errors: dict[str, str] = {}
        wanted: dict[str, Any] = {}
        for name in ("since", "until"):
            try:
                wanted[name] = _date(query.get(name))
            except ValueError:
                errors[name] = texts.text("a_err_date", lang)
        consultation_id: int | None = None
        slug = query.get("consultation") or ""
        if slug:
            found = [c for c in mine if c.slug == slug]
            if found:
                consultation_id = found[0].id
            else:
                errors["consultation"] = texts.text("a_err_consultation", lang)
        try:
            number = max(1, min(int(query.get("page") or 1), 10**6))
        except ValueError:
            number = 1
        scope = None if user.role == Role.ADMIN.value else frozenset(by_id)
        shown = AuditFilter(actor=(query.get("actor") or "")[:120], action=(query.get("action") or "")[:80],
                            consultation_id=consultation_id, consultations=scope, **wanted)  # fmt: skip
        result = audit_service.page(shown if not errors else AuditFilter(consultations=frozenset()), number)
        actors, actions = audit_service.choices()
        names = audit_service.usernames() if scope is None else {}
        kept = [(k, v) for k, v in query.multi_items() if k not in ("page", "lang") and v]
        links = {
            "prev": f"?{urlencode([*kept, ('page', number - 1)])}" if number > 1 else "",
            "next": f"?{urlencode([*kept, ('page', number + 1)])}" if result.more else "",
        }
        return page(request, "audit.html", status=400 if errors else 200, result=result, errors=errors,
                    actors=actors if scope is None else [], actions=actions, consultations=mine, by_id=by_id,
                    query={k: query.get(k) or "" for k in ("actor", "action", "consultation", "since", "until")},
                    links=links, names=names)  # fmt: skip
