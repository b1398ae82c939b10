"""Dependency providers: one database session per request, committed once at the end, and the
services that controllers receive instead of it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import TypeVar

from anyio import to_thread
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.orm import Session

ServiceT = TypeVar("ServiceT")


def _finish(session: Session, succeeded: bool) -> None:
    try:
        if succeeded:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def provide_db_session(state: State) -> AsyncGenerator[Session, None]:
    """One request, one transaction: commit when the handler succeeded, roll back otherwise.

    The handlers run in worker threads (``sync_to_thread``); the commit or rollback and the close
    run in one too, in a single hop, because a COMMIT waits on the database's disk flush and would
    otherwise stall the event loop, and with it every other request of the worker.
    """
    session: Session = state.session_factory()
    try:
        yield session
    except BaseException:
        await to_thread.run_sync(_finish, session, False)
        raise
    await to_thread.run_sync(_finish, session, True)


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
