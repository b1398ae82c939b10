"""Route handlers of the analyst workbench (guarded) and the public results pages (open).

Handlers stay thin: parse the request, call ``services`` / ``snapshots``, render. Weighting
errors are shown on the page (400) with the library's own message naming the problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any
from urllib.parse import urlencode

from anyio import to_thread
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.analyst import auth, snapshots
from survey.analyst.audit import bias_audit
from survey.analyst.charts import grouped_bars
from survey.analyst.crosstab import breakdown_choices, crosstab
from survey.analyst.labels import Labels
from survey.analyst.models import ResultSnapshot
from survey.analyst.public import PublicResultsController
from survey.analyst.render import (
    STATIC,
    bias_chart,
    comment_groups,
    diagnostics_charts,
    question_chart,
    render,
)
from survey.analyst.report_text import mode_name, report_text
from survey.analyst.representativeness_routes import (
    RepresentativenessApiController,
    RepresentativenessController,
)
from survey.analyst.services import METHODS, Context, WeightingSpec, load_context, run_analysis
from survey.analyst.targets_csv import parse_targets_csv
from survey.analyst.weighting_text import weighting_message
from survey.analyst.workbench_text import LANGUAGE_COOKIE, target_problem, workbench_language, workbench_text
from survey.api.params import PathId
from survey.store.errors import AuthError, NotFoundError, TargetsInvalidError
from survey.store.models import Role, TargetSet, User
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.targets import TargetService
from survey.web import staff_session
from survey.web.i18n import LANGUAGE_NAMES
from survey.web.login_throttle import TooManyAttempts, throttled_sign_in
from weighting import WeightingError

HTML = MediaType.HTML
PAGE_COMMENTS = 200  # per question on the results page; `survey export` has them all
LOGIN_LIMITER_KEY = "analyst_login_limiter"
LANGUAGE_SECONDS = 365 * 24 * 3600


def _switcher(request: Request[Any, Any, Any]) -> list[tuple[str, str, str]]:
    """(code, name, link) per language: the same page and weighting choices in another language.

    After a form post (an upload, a freeze) the page shown is the consultation's overview, and the
    posted URL only takes POST: the links then lead to the overview.
    """
    path, kept = request.url.path, [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if request.method != "GET":
        slug = request.path_params.get("slug")
        path, kept = (f"/analyst/{slug}" if slug else "/analyst"), []
    return [(code, name, f"{path}?{urlencode([*kept, ('lang', code)])}") for code, name in LANGUAGE_NAMES]


def _page(request: Request[Any, Any, Any], template: str, status: int = 200, **context: Any) -> Response[str]:
    token, fresh = staff_session.form_token(request)
    user = getattr(request.state, "analyst_user", None)
    ctx = context.get("ctx")
    lang = workbench_language(request)
    context.setdefault("lab", ctx.labels if ctx is not None else Labels())
    body = render(template, csrf=token, user=user, lang=lang, rt=report_text(lang), wt=workbench_text(lang),
                  languages=_switcher(request), **context)  # fmt: skip
    secure = staff_session.is_https(request)
    cookies = [staff_session.csrf_seed_cookie(fresh, secure=secure)] if fresh else []
    if request.query_params.get("lang") == lang:  # an explicit choice is remembered
        cookies.append(
            staff_session.cookie(
                LANGUAGE_COOKIE, lang, path="/analyst", max_age=LANGUAGE_SECONDS, secure=secure
            )
        )
    return Response(body, media_type=HTML, status_code=status, cookies=cookies)


def _words(request: Request[Any, Any, Any]) -> Mapping[str, str]:
    return workbench_text(workbench_language(request))


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return dict(await staff_session.checked_form(request))


def _pair(lo: str | None, hi: str | None, what: str) -> tuple[float, float] | None:
    if not lo and not hi:
        return None
    try:
        return float(lo or ""), float(hi or "")
    except ValueError as exc:
        raise WeightingError(f"{what}: give two numbers, low and high", code=f"{what}_pair") from exc


def spec_from_query(request: Request[Any, Any, Any]) -> WeightingSpec:
    """The weighting choices carried in the query string, so every page is a bookmarkable GET."""
    q = request.query_params
    method = q.get("method") or "rake"
    if method not in METHODS:
        raise WeightingError(
            f"unknown method {method!r}; choose one of {', '.join(METHODS)}",
            code="unknown_method",
            method=method,
            methods=", ".join(METHODS),
        )
    return WeightingSpec(
        method=method,
        variables=tuple(v for v in q.getall("variables", []) if v),
        bounds=_pair(q.get("bounds_lo"), q.get("bounds_hi"), "bounds"),
        trim=_pair(q.get("trim_lo"), q.get("trim_hi"), "trim"),
    )


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
        await _form(request)
        await to_thread.run_sync(staff_session.end_session, request, db_session)
        response = Redirect(auth.LOGIN_PATH, status_code=303)
        response.delete_cookie(staff_session.SESSION_COOKIE, path="/")
        return response


def _user(request: Request[Any, Any, Any]) -> User:
    user: User = request.state.analyst_user
    return user


def _own_snapshot(session: Session, slug: str, snapshot_id: int) -> None:
    """404 unless the snapshot belongs to the consultation in the path: a snapshot of another
    consultation must not be published through this one's URL (and its pages and audit trail)."""
    consultation = ConsultationService(session).get(slug)
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None or snapshot.consultation_id != consultation.id:
        raise NotFoundError(f"consultation '{slug}' has no snapshot {snapshot_id}")


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
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._overview(request, db_session, slug, status=422, errors=[_words(request)["not_utf8"]])
        rows, problems = parse_targets_csv(text)
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

    def _analysis(
        self, request: Request[Any, Any, Any], session: Session, slug: str
    ) -> tuple[Context, Any, str | None]:
        context = load_context(session, slug)
        if not context.target_rows:
            return context, None, _words(request)["targets_first"]
        try:
            return context, run_analysis(context, spec_from_query(request)), None
        except WeightingError as exc:
            return context, None, weighting_message(exc, workbench_language(request))

    @get("/{slug:str}/weighting", media_type=HTML, sync_to_thread=True)
    def weighting(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        context, analysis, error = self._analysis(request, db_session, slug)
        lang = workbench_language(request)
        charts = diagnostics_charts(analysis, context.labels, lang) if analysis else None
        return _page(request, "analyst/weighting.html", status=400 if error else 200, ctx=context,
                     analysis=analysis, charts=charts, error=error, query=_query(request))  # fmt: skip

    @get("/{slug:str}/results", media_type=HTML, sync_to_thread=True)
    def results(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        context, analysis, error = self._analysis(request, db_session, slug)
        lang = workbench_language(request)
        items = (
            [{"result": r, "chart": question_chart(r, lang)} for r in analysis.results] if analysis else []
        )
        groups = comment_groups(analysis.comments, PAGE_COMMENTS) if analysis else []
        return _page(request, "analyst/results.html", status=400 if error else 200, ctx=context,
                     analysis=analysis, items=items, comment_groups=groups, error=error, query=_query(request))  # fmt: skip

    @get("/{slug:str}/breakdown", media_type=HTML, sync_to_thread=True)
    def breakdown(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        """One question by a subgroup: weighted shares with CIs and the Rao–Scott test."""
        context, analysis, error = self._analysis(request, db_session, slug)
        choices = breakdown_choices(context.questionnaire, analysis.data) if analysis else []
        questions = [c for c in choices if c != "mode"]
        question = request.query_params.get("question") or (questions[-1] if questions else "")
        by = request.query_params.get("by") or "mode"
        table = chart = None
        if analysis and not error:
            try:
                table = crosstab(analysis, context.questionnaire, question, by)
            except WeightingError as exc:
                error = weighting_message(exc, workbench_language(request))
        if table is not None:
            lang, labels = workbench_language(request), context.labels
            words = workbench_text(lang)
            label = words["mode"] if by == "mode" else labels.question(by, lang)
            series: dict[str, Sequence[float]] = {
                mode_name(g, lang) if by == "mode" else labels.choice(by, g, lang): v
                for g, v in table.series().items()
            }
            chart = grouped_bars(
                words["by_title"].format(question=labels.question(question, lang), by=label),
                [labels.choice(question, c, lang) for c in table.categories], series,
                desc=words["crosstab_desc"], lang=lang,
            )  # fmt: skip
        keep = [(k, v) for k, v in request.query_params.items() if k not in ("question", "by")]
        return _page(request, "analyst/breakdown.html", status=400 if error else 200, ctx=context,
                     analysis=analysis, table=table, chart=chart, choices=choices, question=question, by=by,
                     spec_fields=keep, error=error, query=_query(request))  # fmt: skip

    @get("/{slug:str}/bias", media_type=HTML, sync_to_thread=True)
    def bias(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        context, analysis, error = self._analysis(request, db_session, slug)
        lang = workbench_language(request)
        audit = bias_audit(context, analysis, lang) if analysis else None
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
        snapshot = snapshots.create_snapshot(
            db_session,
            context,
            analysis,
            actor=user.username,
            actor_id=user.id,
            publish=publish,
        )
        return self._overview(
            request, db_session, slug, notice=_words(request)["frozen"].format(id=snapshot.id)
        )

    @post("/{slug:str}/snapshots/{snapshot_id:int}/publish", media_type=HTML)
    async def publish(self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str],
                      snapshot_id: FromPath[PathId]) -> Response[Any]:  # fmt: skip
        await _form(request)
        return await to_thread.run_sync(self._publish, request, db_session, slug, snapshot_id)

    def _publish(
        self, request: Request[Any, Any, Any], db_session: Session, slug: str, snapshot_id: int
    ) -> Response[Any]:
        user = _user(request)
        _own_snapshot(db_session, slug, snapshot_id)
        snapshots.publish(db_session, snapshot_id, actor=user.username, actor_id=user.id)
        return self._overview(
            request, db_session, slug, notice=_words(request)["made_public"].format(id=snapshot_id)
        )


class AnalystApiController(Controller):
    """JSON for scripts and notebooks; the same guard as the pages (401 instead of a redirect)."""

    path = "/analyst/api"
    guards = [auth.staff_guard]  # noqa: RUF012

    @get("/{slug:str}/results", sync_to_thread=True, summary="Weighted results of a consultation")
    def results(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> dict[str, Any]:
        context = load_context(db_session, slug)
        analysis = run_analysis(context, spec_from_query(request))
        return {
            "consultation": slug,
            "spec": analysis.spec.to_dict(),
            "n": analysis.n,
            "diagnostics": [d.to_dict() for d in analysis.diagnostics],
            "questions": [{"name": r.name, "kind": r.kind, "rows": r.rows} for r in analysis.results],
        }


ANALYST_ROUTES: list[ControllerRouterHandler] = [
    LoginController,
    WorkbenchController,
    AnalystApiController,
    PublicResultsController,
    RepresentativenessController,
    RepresentativenessApiController,
    create_static_files_router(path="/static/analyst", directories=[STATIC], include_in_schema=False),
]
