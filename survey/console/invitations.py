"""``/console/c/<slug>/invitations``: issue codes, download each batch once (CSV, letters), follow use.

The codes exist in clear only in the one download of each format: the store keeps their hashes
(``survey.store.services.invitation_batches`` says how a batch is rebuilt for that download and
why a second one is refused). Downloads are POSTs with the CSRF token, since each changes state.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from survey.console import people_texts, texts
from survey.console.guards import MANAGE, VIEW, ConsoleAccessService, console_guard, console_user
from survey.console.invitations_letters import letters_pdf
from survey.console.people_common import field_text
from survey.console.problem_texts import problem
from survey.console.render import NO_STORE, page, see_other
from survey.http.deps import provide_service
from survey.http.staff_session import checked_form
from survey.store.db import TransactionService
from survey.store.errors import StoreError
from survey.store.models import Consultation
from survey.store.services.invitation_batches import (
    DownloadFormat,
    DownloadRefusedError,
    InvitationBatchService,
)
from survey.store.services.invitations import MAX_BATCH, InvitationService

people_texts.install()
MAX_LETTERS = 5_000  # a PDF of more pages takes minutes and hundreds of megabytes: split the batch


@dataclass(frozen=True)
class Desk:
    """What the invitation pages use, handed together to a worker thread."""

    access: ConsoleAccessService
    invitations: InvitationService
    batches: InvitationBatchService
    transaction: TransactionService


def _filename(consultation: Consultation, label: str, suffix: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{consultation.slug}-{label}".strip("-"))[:80] or "invitations"
    return f"{safe}.{suffix}"


def _desk(
    console_access_service: NamedDependency[ConsoleAccessService],
    invitation_service: NamedDependency[InvitationService],
    invitation_batch_service: NamedDependency[InvitationBatchService],
    transaction_service: NamedDependency[TransactionService],
) -> Desk:
    return Desk(console_access_service, invitation_service, invitation_batch_service, transaction_service)


class InvitationsController(Controller):
    """Project leads with ``manage`` on the consultation, and admins."""

    path = "/console/c/{slug:str}/invitations"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "invitation_desk_service": Provide(_desk, sync_to_thread=False),
        "console_access_service": provide_service(ConsoleAccessService),
        "invitation_service": provide_service(InvitationService),
        "invitation_batch_service": provide_service(InvitationBatchService),
        "transaction_service": provide_service(TransactionService),
    }

    def _page(self, request: Request[Any, Any, Any], desk: Desk, consultation: Consultation, *,
              status: int = 200, errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
              notice: str = "") -> Response[str]:  # fmt: skip
        return page(request, "invitations.html", status=status, consultation=consultation,
                    counts=desk.invitations.counts(consultation), batches=desk.batches.batches(consultation),
                    errors=errors or {}, values=values or {}, notice=notice, max_batch=MAX_BATCH,
                    max_letters=MAX_LETTERS)  # fmt: skip

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        invitation_desk_service: NamedDependency[Desk],
        slug: FromPath[str],
    ) -> Response[str]:
        desk = invitation_desk_service
        consultation = desk.access.consultation_for(console_user(request), slug, VIEW)
        notice = texts.text("i_issued", texts.language(request)) if request.query_params.get("issued") else ""
        return self._page(request, desk, consultation, notice=notice)

    @post("/issue", status_code=200)
    async def issue(
        self,
        request: Request[Any, Any, Any],
        invitation_desk_service: NamedDependency[Desk],
        slug: FromPath[str],
    ) -> Response[str] | Redirect:
        form = await checked_form(request)
        return await to_thread.run_sync(self._issue, request, invitation_desk_service, slug, form)

    def _issue(
        self, request: Request[Any, Any, Any], desk: Desk, slug: str, form: FormMultiDict
    ) -> Response[str] | Redirect:
        """Store a batch of codes (in a worker thread); a refused count or label re-draws the page."""
        user = console_user(request)
        lang = texts.language(request)
        values = {"count": field_text(form.get("count"), 20), "label": field_text(form.get("label"), 200)}
        consultation = desk.access.consultation_for(user, slug, MANAGE)
        errors: dict[str, str] = {}
        count = int(values["count"]) if values["count"].isdigit() else 0
        if not 1 <= count <= MAX_BATCH:
            errors["count"] = texts.text("i_err_count", lang, max=f"{MAX_BATCH:,}")
        if len(values["label"]) > 60 or "#" in values["label"]:
            errors["label"] = texts.text("i_err_label", lang)
        if not errors:
            secret = request.app.state.settings.secret_key
            try:
                desk.batches.issue(consultation, count, values["label"], secret=secret, actor=user.username)
            except StoreError as exc:
                desk.transaction.rollback()
                errors["count"] = problem(str(exc), lang)
        if errors:
            return self._page(request, desk, consultation, status=400, errors=errors, values=values)
        return see_other(f"/console/c/{slug}/invitations?issued=1")

    @post("/download", status_code=200)
    async def download(
        self,
        request: Request[Any, Any, Any],
        invitation_desk_service: NamedDependency[Desk],
        slug: FromPath[str],
    ) -> Response[Any]:
        form = await checked_form(request)
        return await to_thread.run_sync(self._download, request, invitation_desk_service, slug, form)

    def _download(
        self, request: Request[Any, Any, Any], desk: Desk, slug: str, form: FormMultiDict
    ) -> Response[Any]:
        """Hand out a batch's codes once per format (in a worker thread); a refusal re-draws the page."""
        user = console_user(request)
        lang = texts.language(request)
        nonce = field_text(form.get("batch"), 20)
        wanted = DownloadFormat.LETTERS if form.get("format") == "pdf" else DownloadFormat.CSV
        letter_lang = field_text(form.get("letter_lang"), 5)
        letter_lang = letter_lang if letter_lang in texts.SUPPORTED else lang
        secret = request.app.state.settings.secret_key
        root = str(request.base_url).rstrip("/")
        consultation = desk.access.consultation_for(user, slug, MANAGE)
        try:
            label, codes = desk.batches.take(consultation, nonce, wanted, secret=secret, actor=user.username)
            if wanted is DownloadFormat.LETTERS:
                if len(codes) > MAX_LETTERS:
                    raise DownloadRefusedError(texts.text("i_err_letters", lang, max=f"{MAX_LETTERS:,}"))
                try:
                    body = letters_pdf(consultation, codes, root, letter_lang)
                except (ImportError, OSError) as exc:
                    raise DownloadRefusedError(texts.text("i_err_pdf", lang)) from exc
                name, media = _filename(consultation, label, "pdf"), "application/pdf"
            else:
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                writer.writerow(["code", "link"])
                writer.writerows([c, f"{root}/c/{consultation.slug}?code={c}"] for c in codes)
                body, name, media = (
                    buffer.getvalue().encode(),
                    _filename(consultation, label, "csv"),
                    "text/csv",
                )
        except DownloadRefusedError as exc:
            desk.transaction.rollback()
            return self._page(request, desk, consultation, status=409,
                              errors={"download": texts.text("i_refused", lang, reason=problem(str(exc), lang))})  # fmt: skip
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
        return Response(body, media_type=media, headers=headers)

    @post("/access", status_code=200)
    async def access(
        self,
        request: Request[Any, Any, Any],
        invitation_desk_service: NamedDependency[Desk],
        slug: FromPath[str],
    ) -> Redirect:
        form = await checked_form(request)
        return await to_thread.run_sync(self._access, request, invitation_desk_service, slug, form)

    def _access(
        self, request: Request[Any, Any, Any], desk: Desk, slug: str, form: FormMultiDict
    ) -> Redirect:
        """Whether answering needs an invitation code (in a worker thread)."""
        user = console_user(request)
        consultation = desk.access.consultation_for(user, slug, MANAGE)
        desk.invitations.set_required(consultation, form.get("required") == "1", actor=user.username)
        return see_other(f"/console/c/{slug}/invitations")
