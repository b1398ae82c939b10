"""``/console/c/<slug>/quotas``: the manual quota editor, for teams that do not use the planner.

One form holds every cell (question or crossed questions, category, target count) and replaces the
consultation's quotas through the field app's own ``set_quotas`` (reached by the console's port,
``people_field``), which checks each cell against the current questionnaire, lists every problem
at once, and audits the change. Tablets pick the new quotas up at their next sync.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from survey.console import people_texts, quotas_text, texts
from survey.console.guards import MANAGE, VIEW, console_guard, console_user
from survey.console.people_common import field_text
from survey.console.people_field import QuotaLine
from survey.console.quota_service import QuotaEditorService, provide_quota_editor
from survey.console.quotas_text import quota_problem
from survey.console.render import page, see_other
from survey.http.staff_session import checked_form
from survey.store.errors import StoreError
from survey.store.models import Consultation

people_texts.install()
quotas_text.install()
BLANK_ROWS = 3
MAX_ROWS = 2_000


class QuotasController(Controller):
    """Read with ``view`` on the consultation, write with ``manage``."""

    path = "/console/c/{slug:str}/quotas"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"quota_editor_service": Provide(provide_quota_editor, sync_to_thread=False)}  # noqa: RUF012

    def _page(self, request: Request[Any, Any, Any], editor: QuotaEditorService, consultation: Consultation, *,
              status: int = 200, lines: list[QuotaLine] | None = None, errors: list[str] | None = None,
              ) -> Response[str]:  # fmt: skip
        lang = texts.language(request)
        shown = lines if lines is not None else editor.lines(consultation, lang)
        return page(request, "quotas.html", status=status, consultation=consultation, lines=shown,
                    blank=BLANK_ROWS, choices=editor.choices(consultation), errors=errors or [])  # fmt: skip

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        quota_editor_service: NamedDependency[QuotaEditorService],
        slug: FromPath[str],
    ) -> Response[str]:
        consultation = quota_editor_service.consultation_for(console_user(request), slug, VIEW)
        return self._page(request, quota_editor_service, consultation)

    @post("/", status_code=200)
    async def save(
        self,
        request: Request[Any, Any, Any],
        quota_editor_service: NamedDependency[QuotaEditorService],
        slug: FromPath[str],
    ) -> Response[str] | Redirect:
        form = await checked_form(request)
        return await to_thread.run_sync(self._save, request, quota_editor_service, slug, form)

    def _save(
        self, request: Request[Any, Any, Any], editor: QuotaEditorService, slug: str, form: FormMultiDict
    ) -> Response[str] | Redirect:
        """Replace the quotas (in a worker thread); every problem found re-draws the editor with a 400."""
        user = console_user(request)
        lang = texts.language(request)
        lines, errors = _posted_lines(form, lang)
        consultation = editor.consultation_for(user, slug, MANAGE)
        if not errors:
            try:
                editor.replace(consultation, lines, actor=user.username)
            except StoreError as exc:
                errors.extend(quota_problem(p, lang) for p in str(exc).split("; "))
        if errors:
            return self._page(request, editor, consultation, status=400, lines=lines, errors=errors)
        return see_other(f"/console/c/{slug}/quotas")


def _posted_lines(form: FormMultiDict, lang: str) -> tuple[list[QuotaLine], list[str]]:
    """The editor's rows as quota lines (blank and removed rows left out), and a message per bad target."""
    lines: list[QuotaLine] = []
    errors: list[str] = []
    for i in range(MAX_ROWS):
        variable = field_text(form.get(f"variable_{i}"), 128)
        category = field_text(form.get(f"category_{i}"), 200)
        target = field_text(form.get(f"target_{i}"), 12)
        if f"variable_{i}" not in form:
            break
        if not variable and not category:
            continue
        if form.get(f"remove_{i}") == "1":
            continue
        if not target.isdigit():
            errors.append(texts.text("q_err_target", lang, row=i + 1, cell=f"{variable}={category}"))
            lines.append(QuotaLine(variable, category, 0))
            continue
        lines.append(QuotaLine(variable, category, int(target)))
    return lines, errors
