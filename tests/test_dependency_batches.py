"""No two dependencies that may run at once off the event loop share one request's database session.

Why: Litestar resolves the dependencies of one level together (an anyio task group). A provider
run in a thread (``sync_to_thread=True``) that queries the request's session goes on in its thread
when a sibling fails and the group is cancelled, while the failed request's session is rolled back
and closed (``survey.http.deps.finish_failed_request``): two threads on one connection, which the
``sqlite3`` module answers with a segmentation fault. So a level that holds such a provider holds
beside it only plain providers run on the loop, which only build objects (``provide_service``).
Read from the app's own route table, so a new route is checked as soon as it is registered.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

from litestar import Litestar, get
from litestar.di import NamedDependency, Provide

from survey.app import create_app
from survey.settings import load_settings


def _uses_session(dependency: Any) -> bool:
    return bool(dependency.key == "db_session" or any(_uses_session(d) for d in dependency.dependencies))


def _off_loop(dependency: Any) -> bool:
    """Runs in a thread, or is a coroutine or async generator that may await one."""
    provider = getattr(dependency.provide.dependency, "func", dependency.provide.dependency)
    return bool(
        dependency.provide.sync_to_thread
        or inspect.iscoroutinefunction(provider)
        or inspect.isasyncgenfunction(provider)
    )


def _app(tmp_path: Path) -> Litestar:
    return create_app(
        load_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "k" * 32})
    )


def _shared_levels(app: Litestar) -> list[str]:
    found = []
    for route in app.routes:
        for method, (_handler, kwargs_model) in getattr(route, "route_handler_map", {}).items():
            for level in kwargs_model.dependency_batches:
                threaded = [d for d in level if d.key != "db_session" and _uses_session(d) and _off_loop(d)]
                others = [d for d in level if d not in threaded and _off_loop(d)]
                if threaded and (others or len(threaded) > 1):
                    found.append(f"{method} {route.path}: {sorted(d.key for d in level)}")
    return found


def test_no_session_user_in_a_thread_runs_beside_another_dependency_off_the_loop(tmp_path: Path) -> None:
    assert _shared_levels(_app(tmp_path)) == []


def test_the_check_sees_two_threads_on_one_session() -> None:
    def staff(db_session: NamedDependency[object]) -> object:
        return db_session

    def device(db_session: NamedDependency[object]) -> object:
        return db_session

    async def db_session() -> AsyncGenerator[object, None]:
        yield object()

    @get("/", sync_to_thread=False)
    def page(staff: NamedDependency[object], device: NamedDependency[object]) -> None:
        return None

    app = Litestar(
        [page],
        dependencies={
            "db_session": Provide(db_session),
            "staff": Provide(staff, sync_to_thread=True),
            "device": Provide(device, sync_to_thread=True),
        },
    )
    assert _shared_levels(app) == ["GET /: ['device', 'staff']"]


def test_the_route_table_is_read(tmp_path: Path) -> None:
    """The check sees the levels it judges: the coordinators' page resolves ``staff`` (a thread)
    beside ``coordinator_service`` (on the loop), which is allowed."""
    app = _app(tmp_path)
    levels = [
        sorted(d.key for d in level)
        for route in app.routes
        if route.path == "/field/coordinator"
        for method, (_h, model) in route.route_handler_map.items()  # type: ignore[attr-defined]
        if method == "GET"
        for level in model.dependency_batches
    ]
    assert ["coordinator_service", "staff"] in levels
