"""Consultations in the console: the list with live counts, creation, the lifecycle."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.orm import Session

from survey.console.guards import VIEW, console_guard, console_user, require, visible
from survey.console.render import page
from survey.store.services.consultations import ConsultationService


class ConsultationsController(Controller):
    """``/console``: the consultations the signed-in staff member may see."""

    path = "/console"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> Response[str]:
        user = console_user(request)
        consultations = visible(db_session, user, ConsultationService(db_session).list())
        return page(request, "consultations.html", consultations=consultations)

    @get("/c/{slug:str}", sync_to_thread=True)
    def overview(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        consultation = ConsultationService(db_session).get(slug)
        require(db_session, console_user(request), consultation, VIEW)
        return page(request, "consultation.html", consultation=consultation)
