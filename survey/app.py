"""The Litestar application factory: settings in, fully wired app out."""

from __future__ import annotations

import functools
import gc
import logging
import sys
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.config.cors import CORSConfig
from litestar.config.response_cache import ResponseCacheConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from litestar.types import Receive, Scope, Send

from field_app.console_ops import FieldConsoleOps
from field_app.errors import FIELD_EXCEPTION_HANDLERS
from field_app.routes import FIELD_ROUTES
from survey import __version__
from survey.analyst.analysis_cache import ANALYSIS_CACHE, AnalysisCache
from survey.analyst.routes import ANALYST_ROUTES
from survey.api.consultations import ConsultationController
from survey.api.health import HealthController
from survey.api.responses import ResponseController
from survey.api.schema_page import SchemaPage
from survey.console.routes import CONSOLE_ROUTES
from survey.http import shared_counts
from survey.http.body_type import refuse_undeclared_body_type
from survey.http.deps import finish_failed_request, finish_request, open_request, provide_db_session
from survey.http.errors import (
    DatabaseUnavailable,
    http_error_handler,
    internal_error_handler,
    nesting_error_handler,
    store_error_handler,
    weighting_error_handler,
)
from survey.http.head import head_as_get
from survey.http.observe import observed
from survey.http.openapi_errors import DocumentedJson
from survey.http.security import refuse_nul_in_path, security_headers
from survey.http.templates import environment
from survey.http.text_policy import apply_text_policy
from survey.logs import configure_logging
from survey.ops.routes import MetricsController, ReadyController
from survey.settings import Settings, get_settings
from survey.store.db import make_engine, session_factory
from survey.store.errors import StoreError, UnavailableError, first_line
from survey.store.services.intake import OnlineTargets, SubmissionBatcher
from survey.web.routes import WEB_ROUTES
from weighting import WeightingError

WEB = Path(__file__).parent / "web"
log = logging.getLogger("survey.web")


@get("/static/expressions.js", include_in_schema=False, media_type="text/javascript", cache=3600)
async def expressions_js() -> Response[bytes]:
    """The shared expression evaluator, served to the citizen pages and the field app alike."""
    source = (Path(__file__).parent / "questionnaire" / "expressions.js").read_bytes()
    return Response(source, media_type="text/javascript")


@functools.cache
def _freeze_startup_objects() -> None:
    """Keep what start-up loaded (modules, the app, its caches) out of the garbage collector's scans.

    Every full collection otherwise walks those objects again, in the middle of some request;
    under load that showed as pauses in the slowest percentiles of online submissions. Done once per
    process, which the cache remembers: a server worker starts one app, and where a process starts
    several (the tests' live servers), a full collection at each start cost more than it kept out of
    later scans. Not ``gc.get_freeze_count()`` to tell: it counts the frozen objects one by one (a
    linked list); a test worker that has collected the suite holds about 425,000, and the call took
    43 ms there at each of the app starts its tests make (measured on this machine).
    """
    gc.collect()
    gc.freeze()


async def _edge_checks(request: Request) -> None:
    """What every request must pass before its handler reads anything (one hook: each costs a call)."""
    await refuse_nul_in_path(request)
    await refuse_undeclared_body_type(request)
    await apply_text_policy(request)


def _redis_down(request: Request, exc: Exception) -> Response[Any]:
    """Redis (REDIS_URL) not answering: 503 with Retry-After, like a store that is briefly down."""
    log.warning("redis unavailable", extra={"path": request.scope["path"], "error": type(exc).__name__})
    unavailable = UnavailableError("the shared session and rate-limit store is unavailable; retry shortly")
    return _store_error(request, unavailable)


def _unforeseen(request: Request, exc: Exception) -> Response[Any]:
    """What no other handler takes: a Redis error, else a 500 (a field API error keeps its ``code``).

    A Redis error is told by its class here, not by a handler registered for it, because the class
    exists only once the Redis client is loaded, which happens only with REDIS_URL (``_shared_state``).
    """
    redis = sys.modules.get("redis")
    if redis is not None and isinstance(exc, redis.RedisError):
        return _redis_down(request, exc)
    return _internal_error(request, exc)


def _store_busy(request: Request, exc: Exception) -> Response[Any]:
    """The database busy (SQLite's lock held past its timeout) or gone (a cut connection): the request's
    transaction was rolled back, so nothing of it was stored and a retry is safe: 503 with Retry-After,
    as the online intake answers a batch the database refused, not a 500."""
    log.warning("store unavailable", extra={"path": request.scope["path"], "error": first_line(exc)})
    unavailable = UnavailableError("the database is busy or unreachable; nothing was stored, retry shortly")
    return _by_area(store_error_handler, FIELD_EXCEPTION_HANDLERS[StoreError])(request, unavailable)


def _by_area(handler: Any, field_handler: Any) -> Any:
    """An app-wide error handler that gives ``/field/api`` errors their stable ``code`` even when no
    field route was matched (an unknown path, a refused body type), as the field API documents."""

    def handle(request: Request, exc: Exception) -> Response[Any]:
        chosen = field_handler if request.scope["path"].startswith("/field/api/") else handler
        return chosen(request, exc)

    return handle


_store_error = _by_area(store_error_handler, FIELD_EXCEPTION_HANDLERS[StoreError])
_internal_error = _by_area(internal_error_handler, FIELD_EXCEPTION_HANDLERS[Exception])


def _cors(settings: Settings) -> CORSConfig | None:
    """No CORS by default: browsers then keep other sites from reading or (given JSON's preflight)
    sending to the APIs. ``SURVEY_CORS_ORIGINS`` lists the sites that may, without cookies."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT"],
        allow_headers=["Content-Type", "Authorization"],
        allow_credentials=False,
        max_age=600,
    )


class SurveyApp(Litestar):
    """The Litestar app, answering HEAD where GET works (see :mod:`survey.http.head`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._routed = head_as_get(observed(super().__call__))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        if scope["type"] != "http":
            await self._routed(scope, receive, send)
            return
        held = open_request(scope)
        try:
            await self._routed(scope, receive, send)
        finally:  # a session whose dependency clean-up never ran (survey.http.deps.RequestSession)
            await finish_request(held)


def _shared_state(settings: Settings) -> dict[str, Any]:
    """With REDIS_URL, limits, throttles and staff sessions are shared with every other server there;
    without it they stay in the memory this server's workers share (staff sessions in the store)."""
    if not settings.redis_url:
        shared_counts.use_remote(None)
        return {}
    # Loaded only here: the Redis client is a seventh of the app's imports (0.12 of 0.76 s, `python -X
    # importtime -c "import survey.app"`), paid at every worker start by servers that have no Redis.
    from survey.http.shared_store import (  # noqa: PLC0415
        RedisSessions,
        RedisSlotCounts,
        connect,
        counts_secret,
    )

    client = connect(settings.redis_url)
    secret = counts_secret(settings.secret_key)
    shared_counts.use_remote(lambda name: RedisSlotCounts(shared_counts.SPECS[name], client, secret, name))
    return {"staff_sessions": RedisSessions(client), "redis": client}


def app_state(settings: Settings) -> State:
    """What an app holds for its run: settings, the store's engine and the services' shared parts.

    Apart from the app object so that the state can be made again for an app already built for the
    same :func:`construction_key` (the tests reuse apps: building one registers ~250 handlers).
    """
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    return State(
        {
            **_shared_state(settings),
            "settings": settings,
            "engine": engine,
            "session_factory": factory,
            "online_targets": OnlineTargets(factory),
            "submission_batcher": SubmissionBatcher(factory),
            "console_field": FieldConsoleOps(),  # the console reaches the field app through this port
            ANALYSIS_CACHE: AnalysisCache(),  # the workbench's frames and analyses, per app and state
        }
    )


def construction_key(settings: Settings) -> tuple[object, ...]:
    """The settings the app object itself is built from; everything else is read from its state."""
    return (settings.is_production, tuple(settings.cors_origins), settings.max_body_bytes)


async def _dispose(app: Litestar) -> None:
    """Finish queued submissions, then close the store's connections (read from the state the app
    holds now, which may have been made again since it was built)."""
    await app.state.submission_batcher.aclose()
    app.state.engine.dispose()


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app; tests pass their own settings, production reads the environment."""
    settings = settings or get_settings()
    state = app_state(settings)

    return SurveyApp(
        route_handlers=[
            HealthController,
            ReadyController,
            MetricsController,
            ConsultationController,
            *WEB_ROUTES,
            ResponseController,
            *FIELD_ROUTES,
            *ANALYST_ROUTES,
            *CONSOLE_ROUTES,
            expressions_js,
            create_static_files_router(
                path="/static/web", directories=[WEB / "static"], include_in_schema=False
            ),
        ],
        dependencies={"db_session": Provide(provide_db_session)},
        state=state,
        on_startup=[_freeze_startup_objects],
        on_shutdown=[_dispose],
        after_exception=[finish_failed_request],
        exception_handlers={
            StoreError: _store_error,
            WeightingError: weighting_error_handler,
            RecursionError: nesting_error_handler,
            DatabaseUnavailable: _store_busy,
            HTTPException: _by_area(http_error_handler, FIELD_EXCEPTION_HANDLERS[HTTPException]),
            Exception: _unforeseen,
        },
        middleware=[security_headers(hsts=settings.is_production)],
        before_request=_edge_checks,
        cors_config=_cors(settings),
        openapi_config=OpenAPIConfig(
            title="Civic consultation platform",
            version=__version__,
            path="/schema",
            description="Collect online and field responses in one store; weight them to population margins.",
            render_plugins=[SchemaPage(), DocumentedJson()],
        ),
        template_config=TemplateConfig(
            instance=JinjaTemplateEngine.from_environment(environment(WEB / "templates"))
        ),
        response_cache_config=ResponseCacheConfig(),
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,
        debug=False,
    )


app_factory = create_app
