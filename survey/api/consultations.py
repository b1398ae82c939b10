"""Public read API: consultations and their current questionnaire as JSON."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from survey.http.deps import provide_service
from survey.store.services.consultations import ConsultationService


class ConsultationSummary(msgspec.Struct):
    """A consultation as listed publicly."""

    slug: str
    title: dict[str, str]
    description: dict[str, str]
    organiser: str
    status: str


class QuestionnaireDocument(msgspec.Struct):
    """A questionnaire version: the same document the browser and the field app evaluate."""

    consultation: str
    version_id: int
    number: int
    content_hash: str
    questionnaire: dict[str, Any]


class ConsultationController(Controller):
    """``/api/consultations``: what is open and what it asks."""

    path = "/api/consultations"
    tags = ["consultations"]  # noqa: RUF012
    dependencies = {"consultation_service": provide_service(ConsultationService)}  # noqa: RUF012

    @get(sync_to_thread=True, summary="List consultations")
    def list_consultations(
        self, consultation_service: NamedDependency[ConsultationService]
    ) -> list[ConsultationSummary]:
        return [
            ConsultationSummary(c.slug, c.title, c.description, c.organiser, c.status)
            for c in consultation_service.public()
        ]

    @get("/{slug:str}/questionnaire", sync_to_thread=True, summary="Current questionnaire version")
    def current_questionnaire(
        self, consultation_service: NamedDependency[ConsultationService], slug: FromPath[str]
    ) -> QuestionnaireDocument:
        consultation = consultation_service.get_public(slug)
        version = consultation_service.current_version(consultation)
        return QuestionnaireDocument(slug, version.id, version.number, version.content_hash, version.content)
