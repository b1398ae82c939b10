"""``/console/c/<slug>/targets``: population tables in, versioned target sets out.

The upload is turned into margins by the rule of `survey targets from-population`
(``survey.store.services.population_targets``) and shown for checking; saving stores them as the
next version of the consultation's targets (``TargetService``, checked against the questionnaire,
dated and with its source). Between the two steps the margins travel in the page, signed with the
server's secret, so what is saved is exactly what was derived and shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect

from survey.analyst.workbench_text import target_problem
from survey.console import people_texts, targets_text, texts
from survey.console.guards import MANAGE, VIEW, ConsoleAccessService, console_guard, console_user
from survey.console.people_common import field_text
from survey.console.render import page, see_other
from survey.console.targets_text import population_problem
from survey.http.csrf import form_ok
from survey.http.deps import provide_service
from survey.http.staff_session import checked_form, read_form
from survey.store.errors import NotFoundError, TargetsInvalidError
from survey.store.models import Consultation
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.population_targets import PopulationError, margin_names, margins_of, target_rows
from survey.store.services.targets import TargetRow, TargetService

people_texts.install()
targets_text.install()
MAX_UPLOAD = 8 * 1024 * 1024
SUFFIXES = (".csv", ".parquet", ".sav", ".dta")


def _sign(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), f"console-targets|{payload}".encode(), hashlib.sha256).hexdigest()


def _pack(secret: str, data: dict[str, Any]) -> tuple[str, str]:
    payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()
    return payload, _sign(secret, payload)


def _unpack(secret: str, payload: str, signature: str) -> dict[str, Any] | None:
    if not hmac.compare_digest(signature.encode(), _sign(secret, payload).encode()):
        return None
    try:
        data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
    return data


@dataclass(frozen=True)
class Desk:
    """What the target pages use, handed together to a worker thread."""

    access: ConsoleAccessService
    consultations: ConsultationService
    targets: TargetService


def _desk(
    console_access_service: NamedDependency[ConsoleAccessService],
    consultation_service: NamedDependency[ConsultationService],
    target_service: NamedDependency[TargetService],
) -> Desk:
    return Desk(console_access_service, consultation_service, target_service)


class TargetsController(Controller):
    """Read with ``view`` on the consultation, write with ``manage``."""

    path = "/console/c/{slug:str}/targets"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "target_desk_service": Provide(_desk, sync_to_thread=False),
        "console_access_service": provide_service(ConsoleAccessService),
        "consultation_service": provide_service(ConsultationService),
        "target_service": provide_service(TargetService),
    }

    def _page(self, request: Request[Any, Any, Any], desk: Desk, consultation: Consultation, *,
              status: int = 200, **context: Any) -> Response[str]:  # fmt: skip
        context.setdefault("errors", {})
        context.setdefault("values", {})
        return page(request, "targets.html", status=status, consultation=consultation,
                    sets=desk.targets.sets_with_sizes(consultation), max_mb=MAX_UPLOAD // (1024 * 1024), **context)  # fmt: skip

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], target_desk_service: NamedDependency[Desk], slug: FromPath[str]
    ) -> Response[str]:
        desk = target_desk_service
        consultation = desk.access.consultation_for(console_user(request), slug, VIEW)
        shown = request.query_params.get("version")
        rows: list[TargetRow] = []
        chosen = None
        if shown and shown.isdigit():
            chosen = desk.targets.find_version(consultation, int(shown))
            rows = desk.targets.rows(chosen) if chosen else []
        return self._page(request, desk, consultation, chosen=chosen, chosen_rows=rows)

    @post("/derive", status_code=200, request_max_body_size=MAX_UPLOAD + 64 * 1024)
    async def derive(
        self, request: Request[Any, Any, Any], target_desk_service: NamedDependency[Desk], slug: FromPath[str]
    ) -> Response[str]:
        consultation = await to_thread.run_sync(
            target_desk_service.access.consultation_for, console_user(request), slug, MANAGE
        )
        try:
            form: FormMultiDict | None = await read_form(request)
        except HTTPException as exc:
            if exc.status_code != 413:
                raise
            form = None
        if form is not None and not form_ok(request, form):
            await checked_form(request)  # raises the ordinary 403
        upload = form.get("table") if form is not None else None
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        return await to_thread.run_sync(
            self._derive, request, target_desk_service, consultation, form, content
        )

    def _derive(self, request: Request[Any, Any, Any], desk: Desk, consultation: Consultation,
                form: FormMultiDict | None, content: bytes) -> Response[str]:  # fmt: skip
        """Margins of the uploaded table, shown for checking with the signed payload (in a worker thread).

        ``form`` is None when the body was over the app's limit (413 before the form could be read).
        """
        lang = texts.language(request)
        too_big = {"table": texts.text("t_err_size", lang, mb=MAX_UPLOAD // (1024 * 1024))}
        if form is None:
            return self._page(request, desk, consultation, status=413, errors=too_big)
        values = {k: field_text(form.get(k), 500) for k in ("variables", "label", "source")}
        upload = form.get("table")
        errors: dict[str, str] = {}
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors["table"] = texts.text("t_err_file", lang)
        elif not upload.filename.lower().endswith(SUFFIXES):
            errors["table"] = texts.text("t_err_suffix", lang, suffixes=", ".join(SUFFIXES))
        if not margin_names(values["variables"]):
            errors["variables"] = texts.text("t_err_variables", lang)
        if errors or not isinstance(upload, UploadFile):
            return self._page(request, desk, consultation, status=400, errors=errors, values=values)
        if len(content) > MAX_UPLOAD:
            return self._page(request, desk, consultation, status=413, values=values, errors=too_big)
        name = Path(upload.filename).name
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"table{Path(name).suffix.lower()}"
            path.write_bytes(content)
            try:
                shares, total = margins_of(path, margin_names(values["variables"]), shown=name)
            except PopulationError as exc:
                return self._page(request, desk, consultation, status=400, values=values,
                                  errors={"table": population_problem(str(exc), lang)})  # fmt: skip
        rows = [(r.variable, r.category, r.share) for r in target_rows(shares)]
        source = values["source"] or texts.text("t_default_source", lang, name=name)
        payload, signature = _pack(request.app.state.settings.secret_key,
                                   {"rows": rows, "population": total, "source": source, "label": values["label"]})  # fmt: skip
        return self._page(request, desk, consultation, values=values, preview=rows, population=total,
                          source=source, payload=payload, signature=signature)  # fmt: skip

    @post("/save", status_code=200)
    async def save(
        self, request: Request[Any, Any, Any], target_desk_service: NamedDependency[Desk], slug: FromPath[str]
    ) -> Response[str] | Redirect:
        form = await checked_form(request)
        return await to_thread.run_sync(self._save, request, target_desk_service, slug, form)

    def _save(
        self, request: Request[Any, Any, Any], desk: Desk, slug: str, form: FormMultiDict
    ) -> Response[str] | Redirect:
        """Store the signed margins as the next target set (in a worker thread), or say why not (400)."""
        user = console_user(request)
        lang = texts.language(request)
        secret = request.app.state.settings.secret_key
        data = _unpack(secret, field_text(form.get("payload"), 10**7), field_text(form.get("signature"), 100))
        consultation = desk.access.consultation_for(user, slug, MANAGE)
        if data is None:
            return self._page(request, desk, consultation, status=400,
                              errors={"save": texts.text("t_err_payload", lang)})  # fmt: skip
        try:
            questionnaire = load_questionnaire(desk.consultations.current_version(consultation))
            rows = [
                TargetRow(str(v), str(c), float(s), line=i + 2) for i, (v, c, s) in enumerate(data["rows"])
            ]
            stored = desk.targets.add(
                consultation, rows, questionnaire, actor=user.username, label=str(data["label"]),
                source=str(data["source"]), population=float(data["population"]),
            )  # fmt: skip
        except NotFoundError:
            desk.targets.rollback()
            return self._page(request, desk, consultation, status=400,
                              errors={"save": texts.text("t_err_no_form", lang)})  # fmt: skip
        except TargetsInvalidError as exc:
            desk.targets.rollback()
            return self._page(request, desk, consultation, status=400,
                              problems=[target_problem(p, lang) for p in exc.problems],
                              errors={"save": texts.text("t_err_invalid", lang)})  # fmt: skip
        return see_other(f"/console/c/{slug}/targets?version={stored.version}")
