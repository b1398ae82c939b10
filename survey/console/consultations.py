"""Consultations in the console: the list with live counts, creation, the lifecycle and its dates.

Every write goes through ``ConsultationService`` (the ``survey consultation`` commands call the
same methods) and answers 303 to the page it changed; refused input re-renders the form with
each problem beside its field, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency, Provide
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath

import survey.console.consultation_texts  # noqa: F401  (registers the texts)
from survey.console import texts
from survey.console.guards import MANAGE, VIEW, ConsoleAccessService, console_guard, console_user
from survey.console.render import page, see_other
from survey.http import staff_session
from survey.http.deps import provide_service
from survey.store.db import TransactionService
from survey.store.models import Consultation
from survey.store.services.consultations import (
    LANGUAGES,
    ConsultationDraft,
    ConsultationInputError,
    ConsultationService,
    Problem,
)
from survey.store.services.counted import CountService
from survey.web.trial_link import trial_token


def parse_moment(name: str, value: str) -> tuple[dt.datetime | None, Problem | None]:
    """A ``datetime-local`` field read as UTC; empty is None; anything else a problem naming the field."""
    value = value.strip()
    if not value:
        return None, None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None, Problem(
            name, "date_format", f"'{value[:40]}' is not a date and time such as 2027-01-31T18:00"
        )
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)), None


def local_value(moment: dt.datetime | None) -> str:
    """The value a ``datetime-local`` field shows for a stored UTC moment."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _messages(problems: list[Problem], lang: str) -> dict[str, str]:
    """Field → message in the reader's language (the service's English sentence when untranslated)."""
    out: dict[str, str] = {}
    for problem in problems:
        key = f"problem_{problem.code}"
        message = texts.text(key, lang) if key in texts.TEXTS else problem.message
        out.setdefault(problem.field, message)
    return out


def _per_language(form: Mapping[str, Any], name: str) -> dict[str, str]:
    return {lang: str(form.get(f"{name}_{lang}", "")) for lang in LANGUAGES}


@dataclass(frozen=True)
class Lifecycle:
    """The services a lifecycle action uses, handed together to its worker thread."""

    consultations: ConsultationService
    access: ConsoleAccessService
    counts: CountService
    transaction: TransactionService


def _lifecycle(
    consultation_service: NamedDependency[ConsultationService],
    console_access_service: NamedDependency[ConsoleAccessService],
    count_service: NamedDependency[CountService],
    transaction_service: NamedDependency[TransactionService],
) -> Lifecycle:
    return Lifecycle(consultation_service, console_access_service, count_service, transaction_service)


class ConsultationsController(Controller):
    """``/console`` and ``/console/c/{slug}``: list, create, overview, open, close, schedule."""

    path = "/console"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "lifecycle_service": Provide(_lifecycle, sync_to_thread=False),
        "consultation_service": provide_service(ConsultationService),
        "console_access_service": provide_service(ConsoleAccessService),
        "count_service": provide_service(CountService),
        "transaction_service": provide_service(TransactionService),
    }

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        console_access_service: NamedDependency[ConsoleAccessService],
        count_service: NamedDependency[CountService],
    ) -> Response[str]:
        """The consultations this user may see, each with its status and live counts."""
        user = console_user(request)
        consultations = console_access_service.visible_consultations(user)
        rows = [(c, count_service.live(c.id)) for c in consultations]
        may_create = user.role == "admin"
        return page(request, "consultations.html", rows=rows, may_create=may_create)

    @get("/new", sync_to_thread=True)
    def new(self, request: Request[Any, Any, Any]) -> Response[str]:
        _only_admins(request)
        return page(request, "new.html", values={}, errors={})

    @post("/new")
    async def create(
        self, request: Request[Any, Any, Any], consultation_service: NamedDependency[ConsultationService]
    ) -> Response[Any]:
        """Store a draft, or show the form again with every problem (422)."""
        _only_admins(request)
        form = await staff_session.checked_form(request)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return await to_thread.run_sync(self._create, request, consultation_service, values)

    def _create(
        self, request: Request[Any, Any, Any], consultations: ConsultationService, values: dict[str, str]
    ) -> Response[Any]:
        opens_at, bad_open = parse_moment("opens_at", values.get("opens_at", ""))
        closes_at, bad_close = parse_moment("closes_at", values.get("closes_at", ""))
        draft = ConsultationDraft(
            slug=values.get("slug", "").strip(), title=_per_language(values, "title"),
            description=_per_language(values, "description"), organiser=values.get("organiser", ""),
            contact=values.get("contact", ""), privacy_notice=_per_language(values, "privacy_notice"),
            opens_at=opens_at, closes_at=closes_at,
        )  # fmt: skip
        user = console_user(request)
        problems = [p for p in (bad_open, bad_close) if p is not None]
        try:
            if problems:
                raise ConsultationInputError(problems + draft.problems())
            consultation = consultations.create_draft(draft, actor=user.username, actor_id=user.id)
        except ConsultationInputError as exc:
            errors = _messages(exc.problems, texts.language(request))
            return page(request, "new.html", status=422, values=values, errors=errors)
        return see_other(f"/console/c/{consultation.slug}?done=created")

    @get("/c/{slug:str}", sync_to_thread=True)
    def overview(
        self,
        request: Request[Any, Any, Any],
        consultation_service: NamedDependency[ConsultationService],
        console_access_service: NamedDependency[ConsoleAccessService],
        count_service: NamedDependency[CountService],
        slug: FromPath[str],
    ) -> Response[str]:
        """Status, dates, counts, the lifecycle buttons and the citizens' and test addresses."""
        consultation = consultation_service.get(slug)
        console_access_service.require(console_user(request), consultation, VIEW)
        return self._overview(request, consultation_service, count_service, consultation)

    @post("/c/{slug:str}/open")
    async def open(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        lifecycle_service: NamedDependency[Lifecycle],
    ) -> Response[Any]:
        form = await staff_session.checked_form(request)
        return await to_thread.run_sync(self._act, request, lifecycle_service, slug, "open", form)

    @post("/c/{slug:str}/close")
    async def close(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        lifecycle_service: NamedDependency[Lifecycle],
    ) -> Response[Any]:
        form = await staff_session.checked_form(request)
        return await to_thread.run_sync(self._act, request, lifecycle_service, slug, "close", form)

    @post("/c/{slug:str}/schedule")
    async def schedule(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        lifecycle_service: NamedDependency[Lifecycle],
    ) -> Response[Any]:
        form = await staff_session.checked_form(request)
        return await to_thread.run_sync(self._act, request, lifecycle_service, slug, "schedule", form)

    def _act(
        self,
        request: Request[Any, Any, Any],
        lifecycle: Lifecycle,
        slug: str,
        action: str,
        form: FormMultiDict,
    ) -> Response[Any]:
        """Apply one lifecycle action (in a worker thread), or show the overview with the problems."""
        service = lifecycle.consultations
        consultation = service.get(slug)
        user = console_user(request)
        lifecycle.access.require(user, consultation, MANAGE)
        actor, actor_id = user.username, user.id
        try:
            if action == "open":
                service.open(consultation, actor=actor, actor_id=actor_id)
            elif action == "close":
                service.close(consultation, actor=actor, actor_id=actor_id)
            else:
                opens_at, bad_open = parse_moment("opens_at", str(form.get("opens_at", "")))
                closes_at, bad_close = parse_moment("closes_at", str(form.get("closes_at", "")))
                bad = [p for p in (bad_open, bad_close) if p is not None]
                if bad:
                    raise ConsultationInputError(bad)
                service.schedule(
                    consultation, opens_at=opens_at, closes_at=closes_at, actor=actor, actor_id=actor_id
                )
        except ConsultationInputError as exc:
            lifecycle.transaction.rollback()
            consultation = service.get(slug)
            errors = _messages(exc.problems, texts.language(request))
            return self._overview(
                request, service, lifecycle.counts, consultation, status=422, errors=errors, form=dict(form)
            )
        done = {"open": "opened", "close": "closed_notice", "schedule": "scheduled"}[action]
        return see_other(f"/console/c/{slug}?done={done}")

    def _overview(self, request: Request[Any, Any, Any], consultations: ConsultationService, counts: CountService,
                  consultation: Consultation,
                  *, status: int = 200, errors: dict[str, str] | None = None,
                  form: dict[str, Any] | None = None) -> Response[str]:  # fmt: skip
        base = str(request.base_url).rstrip("/")
        secret = request.app.state.settings.secret_key
        done = request.query_params.get("done", "")
        values = form or {
            "opens_at": local_value(consultation.opens_at), "closes_at": local_value(consultation.closes_at)
        }  # fmt: skip
        return page(
            request, "consultation.html", status=status, consultation=consultation,
            counts=counts.live(consultation.id),
            has_questionnaire=bool(consultations.versions(consultation)),
            citizen_url=f"{base}/c/{consultation.slug}",
            test_url=f"{base}/c/{consultation.slug}?test={trial_token(secret, consultation.slug)}",
            done=done if done in ("created", "opened", "closed_notice", "scheduled") else "",
            errors=errors or {}, values=values,
        )  # fmt: skip


def _only_admins(request: Request[Any, Any, Any]) -> None:
    """Creating a consultation is an admin's act (a grant is per existing consultation)."""
    if console_user(request).role != "admin":
        raise PermissionDeniedException("only an admin may create a consultation")
