"""Route handlers of the analyst workbench (guarded) and the public results pages (open).

Handlers stay thin: parse the request, call ``services`` / ``snapshots``, render. Weighting
errors are shown on the page (400) with the library's own message naming the problem.
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
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.analyst import auth, snapshots
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
from survey.analyst.services import (
    METHODS,
    Context,
    WeightingSpec,
    load_context,
    run_analysis,
    weighting_shown,
)
from survey.analyst.snapshot_routes import SnapshotController
from survey.analyst.snapshot_text import snapshot_text
from survey.analyst.targets_csv import parse_targets_bytes
from survey.analyst.weighting_text import weighting_message
from survey.analyst.workbench_text import target_problem, workbench_language
from survey.http import staff_session
from survey.http.login_throttle import TooManyAttempts, throttled_sign_in
from survey.store.errors import AuthError, NotFoundError, TargetsInvalidError
from survey.store.models import Role, TargetSet, WeightingScheme
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.schemes import SchemeChoice, SchemeError, SchemeService, check_choice
from survey.store.services.targets import TargetService
from weighting import WeightingError

PAGE_COMMENTS = 200  # per question on the results page; `survey export` has them all
LOGIN_LIMITER_KEY = "analyst_login_limiter"
SCHEME_FIXES = ("method", "variables", "bounds_lo", "bounds_hi", "trim_lo", "trim_hi", "targets")


def _pair(lo: str | None, hi: str | None, what: str) -> tuple[float, float] | None:
    if not lo and not hi:
        return None
    try:
        return float(lo or ""), float(hi or "")
    except ValueError as exc:
        raise WeightingError(f"{what}: give two numbers, low and high", code=f"{what}_pair") from exc


def choice_from(fields: Any) -> SchemeChoice:
    """Method, margins, bounds and trimming from a query string or a form (one reading for both),
    checked by the rule ``survey scheme add`` applies too; refusals are WeightingError for the page."""
    choice = SchemeChoice(
        method=fields.get("method") or "rake",
        variables=tuple(v for v in fields.getall("variables", []) if v),
        bounds=_pair(fields.get("bounds_lo"), fields.get("bounds_hi"), "bounds"),
        trim=_pair(fields.get("trim_lo"), fields.get("trim_hi"), "trim"),
    )
    try:
        check_choice(choice)
    except SchemeError as exc:
        raise WeightingError(str(exc), code=exc.code, **exc.values) from None
    return choice


def selection(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Which targets to load: ``?scheme=NAME`` (its own version) or ``?targets=VERSION`` (else the latest)."""
    q = request.query_params
    raw = (q.get("targets") or "").strip()
    if raw and not raw.isdigit():
        raise NotFoundError(f"no targets version {raw!r}")
    return {"targets": int(raw) if raw else None, "scheme": (q.get("scheme") or "").strip() or None}


def spec_from_query(request: Request[Any, Any, Any], scheme: WeightingScheme | None = None) -> WeightingSpec:
    """The weighting choices carried in the query string, so every page is a bookmarkable GET.

    With a saved ``scheme`` the choices are the scheme's; a query that also sets some of them is
    refused rather than one of the two silently ignored.
    """
    q = request.query_params
    keys = tuple(dict.fromkeys(k for k in q.getall("key", []) if k))
    if scheme is not None:
        given = [name for name in SCHEME_FIXES if any(v.strip() for v in q.getall(name, []))]
        if given:
            raise WeightingError(
                f"scheme {scheme.name} fixes its targets, method, margins, bounds and trimming; "
                f"{given[0]} cannot be given with it: choose the scheme or your own settings",
                code="scheme_and_settings", name=scheme.name, given=given[0],
            )  # fmt: skip
        return WeightingSpec.of_scheme(scheme, keys)
    choice = choice_from(q)
    return WeightingSpec(method=choice.method, variables=choice.variables, bounds=choice.bounds,
                         trim=choice.trim, keys=keys)  # fmt: skip


def context_and_spec(
    request: Request[Any, Any, Any], session: Session, slug: str
) -> tuple[Context, WeightingSpec]:
    """The context the query chooses (scheme or targets version) and the weighting to run on it."""
    context = load_context(session, slug, **selection(request))
    return context, spec_from_query(request, context.scheme)


def _query(request: Request[Any, Any, Any]) -> str:
    return request.url.query or ""


class LoginController(Controller):
    """Login and logout of staff; open to everyone."""

    path = "/analyst"
    include_in_schema = False

    @get("/login", media_type=HTML)
    async def login_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return _page(request, "analyst/login.html", error=None)

    @post("/login", media_type=HTML)
    async def login(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[Any]:
        form = await _form(request)
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        words = _words(request)
        try:
            user = await throttled_sign_in(request, LOGIN_LIMITER_KEY, db_session, username, password)
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
        response.set_cookie(await to_thread.run_sync(staff_session.start_session, request, db_session, user))
        return response

    @post("/logout", media_type=HTML)
    async def logout(self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> Redirect:
        """End the session on the server too: a copy of the cookie opens nothing afterwards."""
        return await staff_session.sign_out(request, db_session, auth.LOGIN_PATH)


class WorkbenchController(Controller):
    """Analyst pages: targets, weighting, results, bias audit, snapshots (analyst or admin)."""

    path = "/analyst"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False

    @get("/", media_type=HTML, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]) -> Response[str]:
        mine = grants.consultations_for(db_session, _user(request), Role.ANALYST)  # only granted ones
        return _page(request, "analyst/index.html", consultations=mine)

    @get("/{slug:str}", media_type=HTML, sync_to_thread=True)
    def consultation(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        return self._overview(request, db_session, slug)

    def _overview(self, request: Request[Any, Any, Any], session: Session, slug: str, status: int = 200,
                  **extra: Any) -> Response[str]:  # fmt: skip
        context = load_context(session, slug)
        versions = list(
            session.scalars(
                select(TargetSet)
                .where(TargetSet.consultation_id == context.consultation.id)
                .order_by(TargetSet.version.desc())
            )
        )
        return _page(
            request, "analyst/consultation.html", status=status, ctx=context, versions=versions, methods=METHODS,
            snapshots=snapshots.snapshots(session, context.consultation, published_only=False),
            schemes=[(s, SchemeService(session).target_set(s)) for s in SchemeService(session).all(context.consultation)],
            st=snapshot_text(workbench_language(request)),
            variables=sorted({r.variable for r in context.target_rows}), **extra,
        )  # fmt: skip

    @post("/{slug:str}/targets", media_type=HTML)
    async def upload_targets(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        form = await _form(request)
        upload: Any = form.get("file")
        raw = await upload.read() if hasattr(upload, "read") else str(upload or "").encode()
        return await to_thread.run_sync(partial(self._store_targets, request, db_session, slug, form, raw))

    def _store_targets(
        self,
        request: Request[Any, Any, Any],
        db_session: Session,
        slug: str,
        form: dict[str, Any],
        raw: bytes,
    ) -> Response[str]:
        """Check and store an uploaded target file (in a thread: it loads the consultation and its frame)."""
        upload: Any = form.get("file")
        rows, problems = parse_targets_bytes(raw)
        context = load_context(db_session, slug)
        if not problems:
            population = str(form.get("population") or "").strip()
            try:
                pop = float(population) if population else context.population
                TargetService(db_session).add(
                    context.consultation, rows, context.questionnaire, actor=_user(request).username,
                    label=str(form.get("label") or getattr(upload, "filename", "") or ""), population=pop,
                    source=str(getattr(upload, "filename", "") or "upload"),
                )  # fmt: skip
            except TargetsInvalidError as exc:
                problems = exc.problems
            except ValueError:
                problems = [_words(request)["population_number"]]
        if problems:
            lang = workbench_language(request)
            errors = [target_problem(p, lang) for p in problems]
            return self._overview(request, db_session, slug, status=422, errors=errors)
        db_session.flush()
        return self._overview(
            request, db_session, slug, notice=_words(request)["targets_stored"].format(n=len(rows))
        )

    @post("/{slug:str}/schemes", media_type=HTML)
    async def add_scheme(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        """Save a weighting under a name: targets version, method, margins, bounds, trimming."""
        form = await staff_session.checked_form(request)
        return await to_thread.run_sync(partial(self._store_scheme, request, db_session, slug, form))

    def _store_scheme(
        self, request: Request[Any, Any, Any], db_session: Session, slug: str, form: Any
    ) -> Response[str]:
        """Check the choice, try it on the data (a scheme that cannot weight is refused now, not when
        a page or a report first uses it), store it; in a thread, as weighting takes up to a second."""
        words = _words(request)
        name = str(form.get("name") or "").strip()
        raw = str(form.get("targets") or "").strip()
        try:
            if raw and not raw.isdigit():
                raise NotFoundError(f"no targets version {raw!r}")
            context = load_context(db_session, slug, targets=int(raw) if raw else None)
            if context.target_set is None:
                raise NotFoundError(words["targets_first"])
            choice = choice_from(form)
            run_analysis(context, WeightingSpec(method=choice.method, variables=choice.variables,
                                                bounds=choice.bounds, trim=choice.trim))  # fmt: skip
            user = _user(request)
            SchemeService(db_session).add(context.consultation, name, context.target_set, choice,
                                          actor=user.username, actor_id=user.id)  # fmt: skip
        except (WeightingError, SchemeError) as exc:
            problem = weighting_message(exc, workbench_language(request))
        except NotFoundError as exc:
            problem = str(exc)
        else:
            db_session.flush()
            return self._overview(request, db_session, slug, notice=words["scheme_saved"].format(name=name))
        return self._overview(request, db_session, slug, status=422, errors=[problem],
                              errors_title=words["scheme_not_stored"])  # fmt: skip

    @post("/{slug:str}/schemes/{name:str}/remove", media_type=HTML)
    async def remove_scheme(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        slug: FromPath[str],
        name: FromPath[str],
    ) -> Response[str]:
        """Delete a saved scheme; snapshots made with it keep its name and definition."""
        await staff_session.checked_form(request)
        return await to_thread.run_sync(partial(self._remove_scheme, request, db_session, slug, name))

    def _remove_scheme(
        self, request: Request[Any, Any, Any], db_session: Session, slug: str, name: str
    ) -> Response[str]:
        user = _user(request)
        consultation = ConsultationService(db_session).get(slug)
        SchemeService(db_session).remove(consultation, name, actor=user.username, actor_id=user.id)
        db_session.flush()
        return self._overview(
            request, db_session, slug, notice=_words(request)["scheme_removed"].format(name=name)
        )

    def _analysis(
        self, request: Request[Any, Any, Any], session: Session, slug: str
    ) -> tuple[Context, Any, str | None]:
        context = load_context(session, slug, **selection(request))
        if not context.target_rows:
            return context, None, _words(request)["targets_first"]
        try:
            return context, run_analysis(context, spec_from_query(request, context.scheme)), None
        except WeightingError as exc:
            return context, None, weighting_message(exc, workbench_language(request))

    @get("/{slug:str}/weighting", media_type=HTML, sync_to_thread=True)
    def weighting(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[Any]:
        context, analysis, error = self._analysis(request, db_session, slug)
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
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[Any]:
        context, analysis, error = self._analysis(request, db_session, slug)
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
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[Any]:
        """One question by a subgroup: weighted shares or means with CIs (and the Rao–Scott test).

        The picker offers single-choice, numeric and multiple-choice questions; the default stays the
        last single-choice question, the consultation's key question in the demo.
        """
        context, analysis, error = self._analysis(request, db_session, slug)
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
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[Any]:
        context, analysis, error = self._analysis(request, db_session, slug)
        lang = workbench_language(request)
        audit = bias_audit(context, analysis, lang) if analysis else None
        if audit and request.query_params.get("format") == "csv":
            return csv_download(bias_frame(audit, context.labels, lang), f"{slug}-sample-make-up.csv")
        return _page(request, "analyst/bias.html", status=400 if error else 200, ctx=context, analysis=analysis,
                     audit=audit, margins=bias_chart(audit, context.labels, lang) if audit else [], error=error, query=_query(request))  # fmt: skip

    @post("/{slug:str}/snapshots", media_type=HTML)
    async def freeze(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[Any]:
        form = await _form(request)
        return await to_thread.run_sync(
            partial(self._freeze, request, db_session, slug, publish=form.get("publish") == "1")
        )

    def _freeze(
        self, request: Request[Any, Any, Any], db_session: Session, slug: str, *, publish: bool
    ) -> Response[Any]:
        """Run the analysis and keep it as a snapshot (in a thread: weighting takes up to a second)."""
        context, analysis, error = self._analysis(request, db_session, slug)
        if analysis is None:
            return self._overview(
                request, db_session, slug, status=400, errors=[error or _words(request)["targets_first"]]
            )
        user = _user(request)
        try:
            snapshot = snapshots.create_snapshot(
                db_session, context, analysis, actor=user.username, actor_id=user.id, publish=publish
            )
        except snapshots.DuplicateSnapshotError as exc:
            words = snapshot_text(workbench_language(request))
            return self._overview(
                request, db_session, slug, status=409, errors=[words["duplicate"].format(id=exc.existing_id)]
            )
        return self._overview(
            request, db_session, slug, notice=_words(request)["frozen"].format(id=snapshot.id)
        )


class AnalystApiController(Controller):
    """JSON for scripts and notebooks; the same guard as the pages (401 instead of a redirect)."""

    path = "/analyst/api"
    guards = [auth.staff_guard]  # noqa: RUF012

    @get("/{slug:str}/results", sync_to_thread=True, summary="Weighted results of a consultation")
    def results(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> dict[str, Any]:
        context, spec = context_and_spec(request, db_session, slug)
        analysis = run_analysis(context, spec)
        return {
            "consultation": slug,
            "spec": analysis.spec.to_dict(),
            "weighting": weighting_shown(context, analysis),
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
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> dict[str, Any]:
        """The results page's summary alone (``?key=`` chooses the key questions, as on the page)."""
        context, spec = context_and_spec(request, db_session, slug)
        analysis = run_analysis(context, spec)
        return {"consultation": slug, "spec": analysis.spec.to_dict(), "n": analysis.n,
                "weighting": weighting_shown(context, analysis), **analysis.summary.to_dict()}  # fmt: skip

    @get("/{slug:str}/breakdown", sync_to_thread=True, summary="One question by a subgroup, with 95% CIs")
    def breakdown(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> dict[str, Any]:
        """The breakdown page's table: ``?question=`` (single-choice, numeric or multiple-choice) ``&by=``."""
        context, spec = context_and_spec(request, db_session, slug)
        analysis = run_analysis(context, spec)
        question, by = request.query_params.get("question") or "", request.query_params.get("by") or "mode"
        table = crosstab(analysis, context.questionnaire, question, by)
        return {"consultation": slug, "spec": analysis.spec.to_dict(),
                "weighting": weighting_shown(context, analysis), **table.to_dict()}  # fmt: skip


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
