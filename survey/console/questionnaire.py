"""The questionnaire section of a consultation: upload an XLSForm, read its report, import it,
see the version history with the responses each version received, and open previews.

The report is ``form_check.FormReport``, the one ``survey form validate`` prints; the import is
``ConsultationService.add_version``, the one ``survey form import`` calls. Uploads are limited
twice: the route refuses a body far too large before reading it (413), and the handler names the
limit when the file itself is above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

import survey.console.consultation_texts  # noqa: F401  (registers the texts)
from survey.console import texts
from survey.console.guards import MANAGE, VIEW, ConsoleAccessService, console_guard, console_user
from survey.console.render import page, see_other
from survey.http import staff_session
from survey.http.deps import provide_service
from survey.store.models import Consultation
from survey.store.services.consultations import ConsultationService
from survey.store.services.counted import CountService
from survey.store.services.form_check import MAX_FORM_BYTES, FormReport, check_upload

BODY_LIMIT = MAX_FORM_BYTES + 64 * 1024  # the file plus the form's other fields and multipart framing


@dataclass(frozen=True)
class Versions:
    """What the questionnaire section uses, handed together to a worker thread."""

    consultations: ConsultationService
    access: ConsoleAccessService
    counts: CountService


def _versions(
    consultation_service: NamedDependency[ConsultationService],
    console_access_service: NamedDependency[ConsoleAccessService],
    count_service: NamedDependency[CountService],
) -> Versions:
    return Versions(consultation_service, console_access_service, count_service)


class QuestionnaireController(Controller):
    """``/console/c/{slug}/questionnaire``."""

    path = "/console/c/{slug:str}/questionnaire"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "versions_service": Provide(_versions, sync_to_thread=False),
        "consultation_service": provide_service(ConsultationService),
        "console_access_service": provide_service(ConsoleAccessService),
        "count_service": provide_service(CountService),
    }

    @get("/", sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        versions_service: NamedDependency[Versions],
        slug: FromPath[str],
    ) -> Response[str]:
        consultation = versions_service.consultations.get(slug)
        versions_service.access.require(console_user(request), consultation, VIEW)
        imported = request.query_params.get("imported", "")
        identical = request.query_params.get("identical", "")
        return _page(request, versions_service, consultation, imported=imported if imported.isdigit() else "",
                     identical=identical if identical.isdigit() else "")  # fmt: skip

    @post("/", request_max_body_size=BODY_LIMIT)
    async def upload(
        self,
        request: Request[Any, Any, Any],
        versions_service: NamedDependency[Versions],
        slug: FromPath[str],
    ) -> Response[Any]:
        """Check the uploaded form; with ``_action=import`` and no problem, store it as a new version."""
        form = await staff_session.checked_form(request)
        upload = form.get("file")
        data, name = b"", ""
        if isinstance(upload, UploadFile) and upload.filename:
            name = upload.filename
            data = await upload.read(MAX_FORM_BYTES + 1)
        wants_import = form.get("_action") == "import"
        return await to_thread.run_sync(
            self._handle, request, versions_service, slug, name, data, wants_import
        )

    def _handle(self, request: Request[Any, Any, Any], versions: Versions, slug: str, name: str, data: bytes,
                wants_import: bool) -> Response[Any]:  # fmt: skip
        service = versions.consultations
        consultation = service.get(slug)
        user = console_user(request)
        versions.access.require(user, consultation, MANAGE)
        if not name:
            return _page(request, versions, consultation, status=400, no_file=True)
        report = check_upload(name, data)
        if not report.ok:
            too_large = len(data) > MAX_FORM_BYTES
            return _page(request, versions, consultation, status=413 if too_large else 422, report=report)
        if not wants_import:
            return _page(request, versions, consultation, report=report)
        assert report.result is not None
        stored = service.add_version(consultation, report.result.questionnaire, source_name=report.name,
                                     actor=user.username)  # fmt: skip
        outcome = "imported" if stored.created else "identical"
        return see_other(f"/console/c/{slug}/questionnaire?{outcome}={stored.version.number}")


def _page(request: Request[Any, Any, Any], services: Versions, consultation: Consultation, *, status: int = 200,
          report: FormReport | None = None, **context: Any) -> Response[str]:  # fmt: skip
    versions = services.consultations.versions(consultation)
    counts = services.counts.by_version(consultation.id)
    summary = ""
    if report is not None and report.ok and report.result is not None:
        q = report.result.questionnaire
        summary = texts.text("report_valid", texts.language(request), questions=len(q.questions),
                             pages=len(q.pages), languages=", ".join(q.languages))  # fmt: skip
    return page(
        request, "questionnaire.html", status=status, consultation=consultation,
        versions=list(reversed(versions)), counts=counts, report=report, summary=summary,
        max_mb=MAX_FORM_BYTES // (1024 * 1024), **context,
    )  # fmt: skip
