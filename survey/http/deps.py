"""Dependency providers: one database session per request, committed once at the end."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from anyio import to_thread
from litestar.datastructures import State
from sqlalchemy.orm import Session


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
