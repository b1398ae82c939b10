"""Dependency providers: one database session per request, committed once at the end."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from anyio import to_thread
from litestar.datastructures import State
from sqlalchemy.orm import Session


async def provide_db_session(state: State) -> AsyncGenerator[Session, None]:
    """One request, one transaction: commit when the handler succeeded, roll back otherwise.

    The handlers run in worker threads (``sync_to_thread``); the commit, rollback and close run in
    one too, because a COMMIT waits on the database's disk flush and would otherwise stall the event
    loop, and with it every other request of the worker.
    """
    session: Session = state.session_factory()
    try:
        yield session
        await to_thread.run_sync(session.commit)
    except BaseException:
        await to_thread.run_sync(session.rollback)
        raise
    finally:
        await to_thread.run_sync(session.close)
