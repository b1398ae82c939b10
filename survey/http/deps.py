"""Dependency providers: one database session per request, committed once at the end, and the
services that controllers receive instead of it."""

from __future__ import annotations

import threading
from collections.abc import AsyncGenerator, Callable
from typing import Any, TypeVar, cast

from anyio import to_thread
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.types import Scope
from sqlalchemy.orm import Session

ServiceT = TypeVar("ServiceT")

SESSIONS = "survey.request_sessions"
"""Scope key: the sessions this request opened, a list the app puts there before routing (shared by
the copies of the scope that HEAD handling makes), so the request's end can finish any left open."""


def _finish(session: Session, succeeded: bool) -> None:
    try:
        if succeeded:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


class RequestSession:
    """A request's session and whether it has been finished (committed or rolled back, then closed).

    Why: Litestar (2.x) cleans a generator dependency up only once every dependency of the handler
    is resolved. When a later one fails (HTTP Basic refused, a 404 from a grant check), the
    generator is left suspended and the session keeps its pooled connection until the garbage
    collector finds both, in whatever thread it runs. The pool then took the SQLite connection back
    through its weak reference while the generator's late clean-up rolled back and checked in the
    same connection again, by then lent to another request: two threads on one ``sqlite3``
    connection, and a segmentation fault in ``cursor.execute``. ``finish`` runs once, whoever calls
    it first: the dependency's own clean-up or the end of the request (:func:`finish_request`).
    """

    __slots__ = ("_lock", "finished", "session")

    def __init__(self, session: Session) -> None:
        self.session = session
        self.finished = False
        self._lock = threading.Lock()

    def finish(self, succeeded: bool) -> None:
        """Commit (``succeeded``) or roll back, then close; later calls do nothing."""
        with self._lock:
            if self.finished:
                return
            self.finished = True
        _finish(self.session, succeeded)


def open_request(scope: Scope) -> list[RequestSession]:
    """Give the request a place for the sessions it opens (the app does this before routing)."""
    held: list[RequestSession] = []
    cast(dict[str, Any], scope)[SESSIONS] = held
    return held


async def finish_request(held: list[RequestSession]) -> None:
    """Roll back and close what the request left open, before its worker takes another request.

    Only a request whose handler never ran (a dependency failed) or that was cancelled leaves one:
    the dependency's own clean-up finishes every other session, and then this costs nothing.
    """
    for request_session in held:
        if not request_session.finished:
            await to_thread.run_sync(request_session.finish, False)


async def finish_failed_request(_exc: Exception, scope: Scope) -> None:
    """``after_exception`` hook: the failed request's session ends before the error response goes
    out, so a client that retries at once finds the connection (and SQLite's write lock) free."""
    await finish_request(cast(dict[str, Any], scope).get(SESSIONS, []))


async def provide_db_session(state: State, scope: Scope) -> AsyncGenerator[Session, None]:
    """One request, one transaction: commit when the handler succeeded, roll back otherwise.

    The handlers run in worker threads (``sync_to_thread``); the commit or rollback and the close
    run in one too, in a single hop, because a COMMIT waits on the database's disk flush and would
    otherwise stall the event loop, and with it every other request of the worker. The session is
    also registered with the request (:class:`RequestSession`), whose end finishes it if this
    generator's clean-up never runs.
    """
    held = RequestSession(state.session_factory())
    registry = cast(dict[str, Any], scope)
    if SESSIONS in registry:
        registry[SESSIONS].append(held)
    else:  # an app that did not call open_request: at least the failure hook can find it
        open_request(scope).append(held)
    try:
        yield held.session
    except BaseException:
        if not held.finished:
            await to_thread.run_sync(held.finish, False)
        raise
    await to_thread.run_sync(held.finish, True)


def provide_service(make: Callable[[Session], ServiceT]) -> Provide:
    """A dependency that opens ``make`` (a service class) on the request's session.

    Controllers name the service they need (``progress_service: ProgressService``) and never the
    session: the data work stays in ``survey/store/services``, as in litestar-fullstack. Building a
    service only keeps the session, so the provider runs on the event loop; the handler that uses it
    runs in a thread (``sync_to_thread=True``) or hands it to an awaited thread call.
    """

    def provider(db_session: NamedDependency[Session]) -> ServiceT:
        return make(db_session)

    return Provide(provider, sync_to_thread=False)


def provide_stateful_service(make: Callable[[Session, State], ServiceT]) -> Provide:
    """Like :func:`provide_service`, for a service that also takes something the app holds in its state
    (the analysis cache): per app, so two apps, or one app's successive states in the tests, never share it."""

    def provider(db_session: NamedDependency[Session], state: State) -> ServiceT:
        return make(db_session, state)

    return Provide(provider, sync_to_thread=False)
