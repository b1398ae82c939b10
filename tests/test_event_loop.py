"""Nothing blocks the event loop: an async handler touches the store only through awaited calls.

Why: a handler declared ``async def`` runs on the worker's event loop; a blocking query or a
weighting run there stalls every other request of that worker (freeze and publish used to run the
analysis, up to a second, on the loop). Handlers that need the store are either plain functions run
in a thread (``sync_to_thread=True``) or async handlers that hand the session, or a service holding
it (a ``*_service`` dependency), only to awaited calls (``to_thread.run_sync``,
``staff_door_service.sign_in``). Read from the app's own route table, so a new handler is checked
as soon as it is registered.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

from survey.app import create_app
from survey.settings import load_settings


def _blocking(name: str) -> bool:
    """The request's session, or a service opened on it (``progress_service``, ``staff_door_service``)."""
    return name == "db_session" or name.endswith("_service")


def _async_handlers(tmp_path: Path) -> list[object]:
    app = create_app(
        load_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "k" * 32})
    )
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if inspect.iscoroutinefunction(handler.fn):
                found.append(handler.fn)
    return found


def _unawaited_uses(fn: object, name: str) -> list[int]:
    """Lines where ``name`` is used outside any ``await`` expression in ``fn``'s body."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))  # type: ignore[arg-type]
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            ancestor: ast.AST | None = parents.get(node)
            while ancestor is not None and not isinstance(ancestor, ast.Await):
                ancestor = parents.get(ancestor)
            if ancestor is None:
                lines.append(node.lineno)
    return lines


def test_async_handlers_hand_the_session_only_to_awaited_calls(tmp_path: Path) -> None:
    handlers = _async_handlers(tmp_path)
    with_session = {
        fn: [name for name in inspect.signature(fn).parameters if _blocking(name)]  # type: ignore[arg-type]
        for fn in handlers
    }
    assert any(names for names in with_session.values()), "the check must see async handlers with the store"
    offenders = {
        f"{fn.__module__}.{fn.__qualname__}": lines  # type: ignore[attr-defined]
        for fn, names in with_session.items()
        for name in names
        if (lines := _unawaited_uses(fn, name))
    }
    assert offenders == {}, f"blocking use of the session on the event loop (relative lines): {offenders}"


def test_the_check_sees_a_blocking_use() -> None:
    async def blocking(db_session: object) -> None:
        db_session.flush()  # type: ignore[attr-defined]

    async def offloaded(db_session: object) -> None:
        await to_thread(db_session)  # type: ignore[name-defined]  # noqa: F821

    async def service_on_loop(progress_service: object) -> None:
        progress_service.answers()  # type: ignore[attr-defined]

    assert _unawaited_uses(blocking, "db_session") != []
    assert _unawaited_uses(offloaded, "db_session") == []
    assert _blocking("progress_service") and _unawaited_uses(service_on_loop, "progress_service") != []
