"""Route handlers of the analyst workbench (guarded) and the public results pages (open).

Handlers stay thin: parse the request, ask the :class:`WorkbenchService` (the store's side, one call
per change) and ``services`` (the analysis), render. Weighting errors are shown on the page (400)
with the library's own message naming the problem.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from survey.analyst import auth
from survey.analyst.attachment_routes import AttachmentApiController, AttachmentsController
from survey.analyst.audit import bias_audit
from survey.analyst.comment_routes import CommentsController
from survey.analyst.crosstab import breakdown_choices, crosstab, question_choices
from survey.analyst.page_csv import (
    bias_frame,
    breakdown_frame,
    csv_download,
    fit_frame,
    key_choices,
    results_frame,
)
from survey.analyst.pages import HTML
from survey.analyst.pages import form_data as _form
from survey.analyst.pages import page as _page
from survey.analyst.pages import signed_in as _user
from survey.analyst.pages import words as _words
from survey.analyst.public import PublicResultsController
from survey.analyst.render import (
    STATIC,
    bias_chart,
    breakdown_chart,
    comment_groups,
    diagnostics_charts,
    question_chart,
)
from survey.analyst.representativeness_routes import (
    RepresentativenessApiController,
    RepresentativenessController,
)
from survey.analyst.services import METHODS, Analysis, Context, weighting_shown
from survey.analyst.snapshot_routes import SnapshotController
from survey.analyst.snapshot_text import snapshot_text
from survey.analyst.snapshots import DuplicateSnapshotError
from survey.analyst.targets_csv import parse_targets_bytes
from survey.analyst.weighting_query import SCHEME_FIXES, selection, spec_from_query
from survey.analyst.weighting_text import weighting_message
from survey.analyst.workbench_service import NoTargetsError, SchemeRefusal, WorkbenchService
from survey.analyst.workbench_text import target_problem, workbench_language
from survey.http import staff_session
from survey.http.deps import provide_service, provide_stateful_service
from survey.http.login_throttle import TooManyAttempts
from survey.http.staff_door import StaffDoorService
from survey.store.errors import AuthError, NotFoundError
from weighting import WeightingError

PAGE_COMMENTS = 200  # per question on the results page; `survey export` has them all
LOGIN_LIMITER_KEY = "analyst_login_limiter"


def api_analysis(
    request: Request[Any, Any, Any], service: WorkbenchService, slug: str
) -> tuple[Context, Analysis, dict[str, Any]]:
    """The analysis the query chooses (scheme or targets version, then the weighting), and the head every
    analyst API answer starts with: the consultation, the spec and the weighting it shows."""
    context = service.context(slug, **selection(request))
    analysis = service.analysis(context, spec_from_query(request, context.scheme))
    head = {
        "consultation": slug,
        "spec": analysis.spec.to_dict(),
        "weighting": weighting_shown(context, analysis),
    }
    return context, analysis, head


def _query(request: Request[Any, Any, Any]) -> str:
    return request.url.query or ""


def _scheme_problem(refusal: SchemeRefusal, request: Request[Any, Any, Any]) -> str:
    """Why a scheme was not stored, in the analyst's language."""
    if isinstance(refusal, NoTargetsError):
        return _words(request)["targets_first"]
    if isinstance(refusal, NotFoundError):
        return str(refusal)
    return weighting_message(refusal, workbench_language(request))


class LoginController(Controller):
    """Login and logout of staff; open to everyone."""

    path = "/analyst"
    include_in_schema = False
    dependencies = {"staff_door_service": provide_service(StaffDoorService)}  # noqa: RUF012

    @get("/login", media_type=HTML)
    async def login_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return _page(request, "analyst/login.html", error=None)

    @post("/login", media_type=HTML)
    async def login(
        self, request: Request[Any, Any, Any], staff_door_service: NamedDependency[StaffDoorService]
    ) -> Response[Any]:
        form = await _form(request)
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        words = _words(request)
        try:
            user = await staff_door_service.sign_in(request, LOGIN_LIMITER_KEY, username, password)
        except TooManyAttempts as exc:
            error = words["too_many"].format(minutes=exc.minutes)
            page = _page(request, "analyst/login.html", status=429, error=error)
            page.headers["Retry-After"] = exc.retry_after
            return page
        except AuthError:
            return _page(request, "analyst/login.html", status=401, error=words["bad_login"])
        if user.role not in auth.STAFF_ROLES:
            return _page(request, "analyst/login.html", status=403, error=words["no_access"])
        response: Redirect = Redirect("/analyst", status_code=303)
        response.set_cookie(await staff_door_service.start(request, user))
        return response

    @post("/logout", media_type=HTML)
    async def logout(
        self, request: Request[Any, Any, Any], staff_door_service: NamedDependency[StaffDoorService]
    ) -> Redirect:
        """End the session on the server too: a copy of the cookie opens nothing afterwards."""
        return await staff_door_service.sign_out(request, auth.LOGIN_PATH)


class WorkbenchController(Controller):
    """Analyst pages: targets, weighting, results, bias audit, snapshots (analyst or admin)."""

    path = "/analyst"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"workbench_service": provide_stateful_service(WorkbenchService.of_state)}  # noqa: RUF012

    @get("/", media_type=HTML, sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], workbench_service: NamedDependency[WorkbenchService]
    ) -> Response[str]:
        mine = workbench_service.granted(_user(request))  # only granted ones
        return _page(request, "analyst/index.html", consultations=mine)

    @get("/{slug:str}", media_type=HTML, sync_to_thread=True)
    def consultation(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[str]:
        return self._overview(request, workbench_service, slug)

    def _overview(self, request: Request[Any, Any, Any], service: WorkbenchService, slug: str, status: int = 200,
                  **extra: Any) -> Response[str]:  # fmt: skip
        shown = service.overview(slug)
        return _page(
            request, "analyst/consultation.html", status=status, ctx=shown.context, versions=shown.versions,
            methods=METHODS, snapshots=shown.snapshots, schemes=shown.schemes,
            st=snapshot_text(workbench_language(request)), variables=shown.variables, **extra,
        )  # fmt: skip

    @post("/{slug:str}/targets", media_type=HTML)
    async def upload_targets(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[str]:
        form = await _form(request)
        upload: Any = form.get("file")
        raw = await upload.read() if hasattr(upload, "read") else str(upload or "").encode()
        return await to_thread.run_sync(
            partial(self._store_targets, request, workbench_service, slug, form, raw)
        )

    def _store_targets(
        self,
        request: Request[Any, Any, Any],
        service: WorkbenchService,
        slug: str,
        form: dict[str, Any],
        raw: bytes,
    ) -> Response[str]:
        """Check and store an uploaded target file (in a thread: it loads the consultation and its frame)."""
        upload: Any = form.get("file")
        rows, problems = parse_targets_bytes(raw)
        population = str(form.get("population") or "").strip()
        if not problems:
            try:
                pop = float(population) if population else None
            except ValueError:
                problems = [_words(request)["population_number"]]
            else:
                problems = service.add_targets(
                    slug, rows, population=pop, actor=_user(request).username,
                    label=str(form.get("label") or getattr(upload, "filename", "") or ""),
                    source=str(getattr(upload, "filename", "") or "upload"),
                )  # fmt: skip
        if problems:
            lang = workbench_language(request)
            errors = [target_problem(p, lang) for p in problems]
            return self._overview(request, service, slug, status=422, errors=errors)
        return self._overview(
            request, service, slug, notice=_words(request)["targets_stored"].format(n=len(rows))
        )

    @post("/{slug:str}/schemes", media_type=HTML)
    async def add_scheme(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[str]:
        """Save a weighting under a name: targets version, method, margins, bounds, trimming."""
        form = await staff_session.checked_form(request)
        return await to_thread.run_sync(partial(self._store_scheme, request, workbench_service, slug, form))

    def _store_scheme(
        self, request: Request[Any, Any, Any], service: WorkbenchService, slug: str, form: Any
    ) -> Response[str]:
        """Try the choice on the data and store it (:meth:`WorkbenchService.add_scheme`), in a thread."""
        words = _words(request)
        name = str(form.get("name") or "").strip()
        targets = str(form.get("targets") or "").strip()
        refusal = service.add_scheme(slug, name, targets, form, actor=_user(request))
        if refusal is None:
            return self._overview(request, service, slug, notice=words["scheme_saved"].format(name=name))
        return self._overview(request, service, slug, status=422, errors=[_scheme_problem(refusal, request)],
                              errors_title=words["scheme_not_stored"])  # fmt: skip

    @post("/{slug:str}/schemes/{name:str}/remove", media_type=HTML)
    async def remove_scheme(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
        name: FromPath[str],
    ) -> Response[str]:
        """Delete a saved scheme; snapshots made with it keep its name and definition."""
        await staff_session.checked_form(request)
        return await to_thread.run_sync(partial(self._remove_scheme, request, workbench_service, slug, name))

    def _remove_scheme(
        self, request: Request[Any, Any, Any], service: WorkbenchService, slug: str, name: str
    ) -> Response[str]:
        service.remove_scheme(slug, name, actor=_user(request))
        return self._overview(
            request, service, slug, notice=_words(request)["scheme_removed"].format(name=name)
        )

    def _analysis(
        self, request: Request[Any, Any, Any], service: WorkbenchService, slug: str
    ) -> tuple[Context, Any, str | None]:
        context = service.context(slug, **selection(request))
        if not context.target_rows:
            return context, None, _words(request)["targets_first"]
        try:
            return context, service.analysis(context, spec_from_query(request, context.scheme)), None
        except WeightingError as exc:
            return context, None, weighting_message(exc, workbench_language(request))

    @get("/{slug:str}/weighting", media_type=HTML, sync_to_thread=True)
    def weighting(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[Any]:
        context, analysis, error = self._analysis(request, workbench_service, slug)
        lang = workbench_language(request)
        if analysis and request.query_params.get("format") == "csv":
            return csv_download(fit_frame(analysis, context.labels, lang), f"{slug}-fit.csv")
        charts = diagnostics_charts(analysis, context.labels, lang) if analysis else None
        fields = [(k, v) for k, v in request.query_params.multi_items() if k in SCHEME_FIXES[:-1] and v]
        if context.target_set is not None:  # the version shown, even when a newer one arrives meanwhile
            fields.append(("targets", str(context.target_set.version)))
        return _page(request, "analyst/weighting.html", status=400 if error else 200, ctx=context,
                     analysis=analysis, charts=charts, error=error, query=_query(request),
                     scheme_fields=fields)  # fmt: skip

    @get("/{slug:str}/results", media_type=HTML, sync_to_thread=True)
    def results(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[Any]:
        context, analysis, error = self._analysis(request, workbench_service, slug)
        lang = workbench_language(request)
        items = (
            [{"result": r, "chart": question_chart(r, lang)} for r in analysis.results] if analysis else []
        )
        groups = comment_groups(analysis.comments, PAGE_COMMENTS) if analysis else []
        if analysis and request.query_params.get("format") == "csv":
            return csv_download(results_frame(analysis, lang), f"{slug}-results.csv")
        keep = [(k, v) for k, v in request.query_params.multi_items() if k not in ("key", "format")]
        chosen = {row["question"] for row in analysis.summary.to_dict()["rows"]} if analysis else set()
        return _page(request, "analyst/results.html", status=400 if error else 200, ctx=context,
                     analysis=analysis, items=items, comment_groups=groups, error=error, query=_query(request),
                     spec_fields=keep, key_choices=key_choices(analysis) if analysis else [], chosen=chosen)  # fmt: skip

    @get("/{slug:str}/breakdown", media_type=HTML, sync_to_thread=True)
    def breakdown(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[Any]:
        """One question by a subgroup: weighted shares or means with CIs (and the Rao–Scott test).

        The picker offers single-choice, numeric and multiple-choice questions; the default stays the
        last single-choice question, the consultation's key question in the demo.
        """
        context, analysis, error = self._analysis(request, workbench_service, slug)
        choices = breakdown_choices(context.questionnaire, analysis.data) if analysis else []
        kinds = question_choices(context.questionnaire, analysis.data) if analysis else {}
        single = [c for c in choices if c != "mode"]
        question = request.query_params.get("question") or (single[-1] if single else "")
        by = request.query_params.get("by") or "mode"
        table = chart = None
        if analysis and not error:
            try:
                table = crosstab(analysis, context.questionnaire, question, by)
            except WeightingError as exc:
                error = weighting_message(exc, workbench_language(request))
        if table is not None:
            chart = breakdown_chart(table, context.labels, workbench_language(request))
        if table is not None and request.query_params.get("format") == "csv":
            return csv_download(breakdown_frame(table, context.labels, workbench_language(request)),
                                f"{slug}-{question}-by-{by}.csv")  # fmt: skip
        keep = [(k, v) for k, v in request.query_params.items() if k not in ("question", "by", "format")]
        return _page(request, "analyst/breakdown.html", status=400 if error else 200, ctx=context,
                     analysis=analysis, table=table, chart=chart, choices=choices, kinds=kinds, question=question, by=by,
                     spec_fields=keep, error=error, query=_query(request))  # fmt: skip

    @get("/{slug:str}/bias", media_type=HTML, sync_to_thread=True)
    def bias(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[Any]:
        context, analysis, error = self._analysis(request, workbench_service, slug)
        lang = workbench_language(request)
        audit = bias_audit(context, analysis, lang) if analysis else None
        if audit and request.query_params.get("format") == "csv":
            return csv_download(bias_frame(audit, context.labels, lang), f"{slug}-sample-make-up.csv")
        return _page(request, "analyst/bias.html", status=400 if error else 200, ctx=context, analysis=analysis,
                     audit=audit, margins=bias_chart(audit, context.labels, lang) if audit else [], error=error, query=_query(request))  # fmt: skip

    @post("/{slug:str}/snapshots", media_type=HTML)
    async def freeze(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> Response[Any]:
        form = await _form(request)
        return await to_thread.run_sync(
            partial(self._freeze, request, workbench_service, slug, publish=form.get("publish") == "1")
        )

    def _freeze(
        self, request: Request[Any, Any, Any], service: WorkbenchService, slug: str, *, publish: bool
    ) -> Response[Any]:
        """Run the analysis and keep it as a snapshot (in a thread: weighting takes up to a second)."""
        context, analysis, error = self._analysis(request, service, slug)
        if analysis is None:
            return self._overview(
                request, service, slug, status=400, errors=[error or _words(request)["targets_first"]]
            )
        try:
            snapshot = service.freeze(context, analysis, actor=_user(request), publish=publish)
        except DuplicateSnapshotError as exc:
            words = snapshot_text(workbench_language(request))
            return self._overview(
                request, service, slug, status=409, errors=[words["duplicate"].format(id=exc.existing_id)]
            )
        return self._overview(request, service, slug, notice=_words(request)["frozen"].format(id=snapshot.id))


class AnalystApiController(Controller):
    """JSON for scripts and notebooks; the same guard as the pages (401 instead of a redirect)."""

    path = "/analyst/api"
    guards = [auth.staff_guard]  # noqa: RUF012
    dependencies = {"workbench_service": provide_stateful_service(WorkbenchService.of_state)}  # noqa: RUF012

    @get("/{slug:str}/results", sync_to_thread=True, summary="Weighted results of a consultation")
    def results(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> dict[str, Any]:
        _, analysis, head = api_analysis(request, workbench_service, slug)
        return {
            **head,
            "n": analysis.n,
            "diagnostics": [d.to_dict() for d in analysis.diagnostics],
            "summary": analysis.summary.to_dict(),
            "questions": [{"name": r.name, "kind": r.kind, "rows": r.rows} for r in analysis.results],
        }

    @get(
        "/{slug:str}/summary",
        sync_to_thread=True,
        summary="What weighting changed: the key questions' shifts",
    )
    def summary(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> dict[str, Any]:
        """The results page's summary alone (``?key=`` chooses the key questions, as on the page)."""
        _, analysis, head = api_analysis(request, workbench_service, slug)
        return {**head, "n": analysis.n, **analysis.summary.to_dict()}

    @get("/{slug:str}/breakdown", sync_to_thread=True, summary="One question by a subgroup, with 95% CIs")
    def breakdown(
        self,
        request: Request[Any, Any, Any],
        workbench_service: NamedDependency[WorkbenchService],
        slug: FromPath[str],
    ) -> dict[str, Any]:
        """The breakdown page's table: ``?question=`` (single-choice, numeric or multiple-choice) ``&by=``."""
        context, analysis, head = api_analysis(request, workbench_service, slug)
        question, by = request.query_params.get("question") or "", request.query_params.get("by") or "mode"
        return {**head, **crosstab(analysis, context.questionnaire, question, by).to_dict()}


ANALYST_ROUTES: list[ControllerRouterHandler] = [
    LoginController,
    WorkbenchController,
    SnapshotController,
    CommentsController,
    AttachmentsController,
    AttachmentApiController,
    AnalystApiController,
    PublicResultsController,
    RepresentativenessController,
    RepresentativenessApiController,
    create_static_files_router(path="/static/analyst", directories=[STATIC], include_in_schema=False),
]
