"""Dependency providers: one database session per request, committed once at the end."""

from __future__ import annotations

from collections.abc import Generator

from litestar.datastructures import State
from sqlalchemy.orm import Session


def provide_db_session(state: State) -> Generator[Session, None, None]:
    """One request, one transaction: commit when the handler succeeded, roll back otherwise."""
    session: Session = state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
