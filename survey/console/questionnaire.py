"""The questionnaire section of a consultation: upload an XLSForm, read its report, import it,
see the version history with the responses each version received, and open previews.

The report is ``form_check.FormReport``, the one ``survey form validate`` prints; the import is
``ConsultationService.add_version``, the one ``survey form import`` calls. Uploads are limited
twice: the route refuses a body far too large before reading it (413), and the handler names the
limit when the file itself is above it.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.orm import Session

import survey.console.consultation_texts  # noqa: F401  (registers the texts)
from survey.console import texts
from survey.console.guards import MANAGE, VIEW, console_guard, console_user, require
from survey.console.render import page, see_other
from survey.http import staff_session
from survey.store.models import Consultation
from survey.store.services.consultations import ConsultationService
from survey.store.services.counted import counted_by_version
from survey.store.services.form_check import MAX_FORM_BYTES, FormReport, check_upload

BODY_LIMIT = MAX_FORM_BYTES + 64 * 1024  # the file plus the form's other fields and multipart framing


class QuestionnaireController(Controller):
    """``/console/c/{slug}/questionnaire``."""

    path = "/console/c/{slug:str}/questionnaire"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def show(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        consultation = ConsultationService(db_session).get(slug)
        require(db_session, console_user(request), consultation, VIEW)
        imported = request.query_params.get("imported", "")
        identical = request.query_params.get("identical", "")
        return _page(request, db_session, consultation, imported=imported if imported.isdigit() else "",
                     identical=identical if identical.isdigit() else "")  # fmt: skip

    @post("/", request_max_body_size=BODY_LIMIT)
    async def upload(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[Any]:
        """Check the uploaded form; with ``_action=import`` and no problem, store it as a new version."""
        form = await staff_session.checked_form(request)
        upload = form.get("file")
        data, name = b"", ""
        if isinstance(upload, UploadFile) and upload.filename:
            name = upload.filename
            data = await upload.read(MAX_FORM_BYTES + 1)
        wants_import = form.get("_action") == "import"
        return await to_thread.run_sync(self._handle, request, db_session, slug, name, data, wants_import)

    def _handle(self, request: Request[Any, Any, Any], db_session: Session, slug: str, name: str, data: bytes,
                wants_import: bool) -> Response[Any]:  # fmt: skip
        service = ConsultationService(db_session)
        consultation = service.get(slug)
        user = console_user(request)
        require(db_session, user, consultation, MANAGE)
        if not name:
            return _page(request, db_session, consultation, status=400, no_file=True)
        report = check_upload(name, data)
        if not report.ok:
            too_large = len(data) > MAX_FORM_BYTES
            return _page(request, db_session, consultation, status=413 if too_large else 422, report=report)
        if not wants_import:
            return _page(request, db_session, consultation, report=report)
        assert report.result is not None
        stored = service.add_version(consultation, report.result.questionnaire, source_name=report.name,
                                     actor=user.username)  # fmt: skip
        outcome = "imported" if stored.created else "identical"
        return see_other(f"/console/c/{slug}/questionnaire?{outcome}={stored.version.number}")


def _page(request: Request[Any, Any, Any], db_session: Session, consultation: Consultation, *, status: int = 200,
          report: FormReport | None = None, **context: Any) -> Response[str]:  # fmt: skip
    versions = ConsultationService(db_session).versions(consultation)
    counts = counted_by_version(db_session, consultation.id)
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
