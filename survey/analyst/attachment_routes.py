"""The workbench's attachments: photos, recordings and files of a consultation's sent responses.

Why always a download: a file question keeps any kind of file, and an SVG or HTML file opened in
the workbench's own origin could run a script with the analyst's session. Every file is therefore
sent with ``Content-Disposition: attachment``, ``X-Content-Type-Options: nosniff`` and a sandboxing
CSP, and with its own type only when that is a raster image, a recording or a PDF (read from the
bytes when it was received); anything else is ``application/octet-stream``.
"""

from __future__ import annotations

import tempfile
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Stream

from survey.analyst import auth
from survey.analyst.attachments_text import attachments_text
from survey.analyst.labels import Labels
from survey.analyst.pages import HTML, page
from survey.analyst.workbench_text import workbench_language
from survey.http.deps import provide_service
from survey.questionnaire.model import Questionnaire
from survey.store.models import Consultation
from survey.store.services.attachments import AttachmentService, Listed, served_type, write_zip
from survey.store.services.consultations import ConsultationService, load_questionnaire

__all__ = ["AttachmentApiController", "AttachmentsController", "download_headers"]

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class _Page:
    """What the workbench's navigation and labels read (the page runs no weighting)."""

    consultation: Consultation
    labels: Labels


def download_headers(filename: str) -> dict[str, str]:
    """Headers that make a browser save the file, never show or run it."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    return {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "no-store",
    }


def _response_filter(request: Request[Any, Any, Any]) -> str | None:
    """``?response=UUID`` (one response's files), checked to be a UUID: anything else is a 400."""
    raw = (request.query_params.get("response") or "").strip()
    if not raw:
        return None
    try:
        return str(uuid_lib.UUID(raw))
    except ValueError:
        raise ValidationException("response: give a response UUID") from None


def _only(response: str | None) -> list[str] | None:
    return None if response is None else [response]


def _file_questions(questionnaire: Questionnaire) -> list[str]:
    return [q.name for q in questionnaire.questions if q.type.is_attachment]


def _listed(service: AttachmentService, consultation: Consultation, response: str | None) -> list[Listed]:
    return service.for_consultation(consultation.id, None if response is None else [response])


def _as_dict(item: Listed) -> dict[str, Any]:
    return {
        "id": item.id, "response_uuid": item.response_uuid, "question": item.question,
        "filename": item.filename, "media_type": item.media_type, "size": item.size, "sha256": item.sha256,
    }  # fmt: skip


class AttachmentsController(Controller):
    """List, download one, download all as a zip (analyst with a grant, or admin)."""

    path = "/analyst/{slug:str}"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "consultation_service": provide_service(ConsultationService),
        "attachment_service": provide_service(AttachmentService),
    }

    @get("/attachments", media_type=HTML, sync_to_thread=True)
    def attachments(
        self, request: Request[Any, Any, Any], consultation_service: NamedDependency[ConsultationService],
        attachment_service: NamedDependency[AttachmentService], slug: FromPath[str],
    ) -> Response[str]:  # fmt: skip
        """The files of every sent response, or of one (``?response=UUID``), each a download link."""
        consultation = consultation_service.get(slug)
        response = _response_filter(request)
        questionnaire = load_questionnaire(consultation_service.current_version(consultation))
        lang = workbench_language(request)
        due = attachment_service.missing(consultation.id, _file_questions(questionnaire), _only(response))
        return page(
            request, "analyst/attachments.html", ctx=_Page(consultation, Labels.from_questionnaire(questionnaire)),
            query="", files=_listed(attachment_service, consultation, response), response=response,
            at=attachments_text(lang), missing=due,
        )  # fmt: skip

    @get("/attachments/{attachment_id:int}", sync_to_thread=True)
    def download(
        self, consultation_service: NamedDependency[ConsultationService],
        attachment_service: NamedDependency[AttachmentService], slug: FromPath[str], attachment_id: FromPath[int],
    ) -> Response[bytes]:  # fmt: skip
        """One file, as a download only (see the module's note)."""
        consultation = consultation_service.get(slug)
        item, content = attachment_service.content(consultation.id, attachment_id)
        return Response(
            content, media_type=served_type(item.media_type), headers=download_headers(item.filename)
        )

    @get("/attachments.zip", sync_to_thread=True)
    def download_all(
        self, request: Request[Any, Any, Any], consultation_service: NamedDependency[ConsultationService],
        attachment_service: NamedDependency[AttachmentService], slug: FromPath[str],
    ) -> Stream:  # fmt: skip
        """Every listed file in one zip with ``attachments.csv``, built in a temporary file, then streamed."""
        consultation = consultation_service.get(slug)
        listed = _listed(attachment_service, consultation, _response_filter(request))
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by the stream
        write_zip(attachment_service, listed, spool)
        spool.seek(0)

        def chunks() -> Any:
            with spool:
                while block := spool.read(_CHUNK):
                    yield block

        return Stream(
            chunks(), media_type="application/zip", headers=download_headers(f"{slug}-attachments.zip")
        )


class AttachmentApiController(Controller):
    """The same list as JSON for scripts (401 instead of a redirect)."""

    path = "/analyst/api/{slug:str}"
    guards = [auth.staff_guard]  # noqa: RUF012
    dependencies = {  # noqa: RUF012
        "consultation_service": provide_service(ConsultationService),
        "attachment_service": provide_service(AttachmentService),
    }

    @get("/attachments", sync_to_thread=True, summary="Photos, recordings and files of the sent responses")
    def attachments(
        self, request: Request[Any, Any, Any], consultation_service: NamedDependency[ConsultationService],
        attachment_service: NamedDependency[AttachmentService], slug: FromPath[str],
    ) -> dict[str, Any]:  # fmt: skip
        """``?response=UUID`` for one response's files; each entry's ``download`` is the file's address."""
        consultation = consultation_service.get(slug)
        response = _response_filter(request)
        listed = _listed(attachment_service, consultation, response)
        questionnaire = load_questionnaire(consultation_service.current_version(consultation))
        due = attachment_service.missing(consultation.id, _file_questions(questionnaire), _only(response))
        return {
            "consultation": slug,
            "attachments": [
                {**_as_dict(a), "download": f"/analyst/{slug}/attachments/{a.id}"} for a in listed
            ],
            "missing": [{"response_uuid": u, "question": q, "filename": name} for u, q, name in due],
        }
