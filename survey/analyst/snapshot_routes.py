"""Snapshot pages of the workbench: review a frozen result, preview it as the public will see it,
publish it after an explicit confirmation, withdraw it, and compare two snapshots.

Why a confirmation step: publishing puts figures in front of journalists and councillors, and a
published snapshot cannot be changed, only withdrawn; a button in a table is too easy to press.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath

from survey.analyst import auth, snapshots
from survey.analyst.pages import HTML, form_data, page, signed_in
from survey.analyst.public import easy_read, public_html
from survey.analyst.report import pdf_bytes
from survey.analyst.snapshot_report import snapshot_report_html
from survey.analyst.snapshot_text import snapshot_text
from survey.analyst.snapshots import SnapshotService
from survey.analyst.workbench_text import workbench_language, workbench_text
from survey.http.deps import provide_service
from survey.http.params import PathId
from survey.store.models import ResultSnapshot

__all__ = ["SnapshotController"]


class SnapshotController(Controller):
    """Review, publish, withdraw and compare snapshots (analyst or admin)."""

    path = "/analyst/{slug:str}/snapshots"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"snapshot_service": provide_service(SnapshotService)}  # noqa: RUF012

    @get("/compare", media_type=HTML, sync_to_thread=True)
    def compare(
        self,
        request: Request[Any, Any, Any],
        snapshot_service: NamedDependency[SnapshotService],
        slug: FromPath[str],
    ) -> Response[str]:
        """Two snapshots side by side: the inputs that differ, then every answer by size of change."""
        a, b = (request.query_params.get(k, "") for k in ("a", "b"))
        if not (a.isdigit() and b.isdigit()):
            missing = ", ".join(k for k, v in (("a", a), ("b", b)) if not v.isdigit())
            raise ValidationException(f"{missing}: give the number of a snapshot of this consultation")
        consultation, before = snapshot_service.of_slug(slug, int(a))
        _, after = snapshot_service.of_slug(slug, int(b))
        return page(request, "analyst/snapshot_compare.html", c=consultation, a=before, b=after,
                    inputs=_inputs(before, after), changes=snapshots.compare(before, after), st=_words(request))  # fmt: skip

    @get("/{snapshot_id:int}", media_type=HTML, sync_to_thread=True)
    def review(
        self, request: Request[Any, Any, Any], snapshot_service: NamedDependency[SnapshotService], slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[str]:  # fmt: skip
        return self._review(request, snapshot_service, slug, snapshot_id)

    @get("/{snapshot_id:int}/preview", media_type=HTML, sync_to_thread=True)
    def preview(
        self, request: Request[Any, Any, Any], snapshot_service: NamedDependency[SnapshotService], slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[str]:  # fmt: skip
        """Exactly the public page, with a banner saying it is not public (drafts included)."""
        _, snapshot = snapshot_service.of_slug(slug, snapshot_id)
        lang = request.query_params.get("lang") or workbench_language(request)
        lang = lang if lang in ("fr", "nl", "en") else "en"
        body = public_html(
            snapshot, lang, preview=snapshot_text(lang)["preview_banner"], easy=easy_read(request)
        )
        return Response(
            body, media_type=HTML, headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
        )

    @get("/{snapshot_id:int}/report", sync_to_thread=True)
    def report(
        self, request: Request[Any, Any, Any], snapshot_service: NamedDependency[SnapshotService], slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[Any]:  # fmt: skip
        """The snapshot's report as a download: ``?format=pdf`` (default) or ``html``, ``?lang=``."""
        _, snapshot = snapshot_service.of_slug(slug, snapshot_id)
        kind = request.query_params.get("format") or "pdf"
        if kind not in ("pdf", "html"):
            raise ValidationException("format: pdf or html")
        lang = request.query_params.get("lang") or workbench_language(request)
        html = snapshot_report_html(snapshot, lang if lang in ("fr", "nl", "en") else "en")
        name = f"{slug}-snapshot-{snapshot_id}-{lang}.{kind}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
        if kind == "html":
            return Response(html, media_type=HTML, headers=headers)
        return Response(pdf_bytes(html), media_type="application/pdf", headers=headers)

    @post("/{snapshot_id:int}/publish", media_type=HTML)
    async def publish(
        self, request: Request[Any, Any, Any], snapshot_service: NamedDependency[SnapshotService], slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[str]:  # fmt: skip
        form = await form_data(request)
        return await to_thread.run_sync(
            self._act, request, snapshot_service, slug, snapshot_id, form.get("confirm"), True
        )

    @post("/{snapshot_id:int}/withdraw", media_type=HTML)
    async def withdraw(
        self, request: Request[Any, Any, Any], snapshot_service: NamedDependency[SnapshotService], slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[str]:  # fmt: skip
        form = await form_data(request)
        return await to_thread.run_sync(
            self._act, request, snapshot_service, slug, snapshot_id, form.get("confirm"), False
        )

    def _act(
        self, request: Request[Any, Any, Any], service: SnapshotService, slug: str, snapshot_id: int,
        confirm: Any, publishing: bool,
    ) -> Response[str]:  # fmt: skip
        """Publish or withdraw after the box was ticked; an act already done falls to the service's 409."""
        _, snapshot = service.of_slug(slug, snapshot_id)
        pending = snapshot.published_at is None if publishing else snapshot.withdrawn_at is None
        words = _words(request)
        if pending and snapshot.withdrawn_at is None and confirm != "1":
            missing = words["must_confirm" if publishing else "must_confirm_withdraw"]
            return self._review(request, service, slug, snapshot_id, status=400, error=missing)
        user = signed_in(request)
        service.change(snapshot_id, publishing=publishing, actor=user.username, actor_id=user.id)
        notice = (
            _made_public(request, snapshot_id)
            if publishing
            else words["withdrawn_done"].format(id=snapshot_id)
        )
        return self._review(request, service, slug, snapshot_id, notice=notice)

    def _review(
        self, request: Request[Any, Any, Any], service: SnapshotService, slug: str, snapshot_id: int, *,
        status: int = 200, error: str | None = None, notice: str | None = None,
    ) -> Response[str]:  # fmt: skip
        consultation, snapshot = service.of_slug(slug, snapshot_id)
        others = [s for s in service.listed(consultation, published_only=False) if s.id != snapshot_id]
        used, newer = service.targets_used_and_newer(consultation, snapshot)
        return page(request, "analyst/snapshot.html", status=status, c=consultation, s=snapshot, others=others,
                    st=_words(request), problem=error, notice=notice, used=used, newer=newer)  # fmt: skip


def _words(request: Request[Any, Any, Any]) -> Any:
    return snapshot_text(workbench_language(request))


def _made_public(request: Request[Any, Any, Any], snapshot_id: int) -> str:
    return workbench_text(workbench_language(request))["made_public"].format(id=snapshot_id)


def _inputs(before: ResultSnapshot, after: ResultSnapshot) -> list[tuple[str, str, str]]:
    """(item key, value in the first, value in the second) for what produced each snapshot."""

    def value(s: ResultSnapshot, key: str) -> str:
        content = s.content
        return {
            "n": f"{(content.get('n') or {}).get('all', '')}",
            "deff": f"{float(content.get('deff') or 0):.2f}",
            "method": s.method,
            "targets": f"{s.target_set_id} {content.get('targets_label', '')}".strip(),
            "version": str(s.questionnaire_version_id),
            "data_hash": s.data_hash[:12],
        }[key]

    return [
        (key, value(before, key), value(after, key))
        for key in ("n", "deff", "method", "targets", "version", "data_hash")
    ]
