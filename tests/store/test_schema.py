"""Respondents stay anonymous: no column anywhere can hold an IP address, a user agent or a position."""

from __future__ import annotations

import re

from sqlalchemy import inspect

from survey.store.db import make_engine

FORBIDDEN = re.compile(
    r"(^|_)(ip|ip_address|ipaddr|remote_addr|user_agent|useragent|latitude|longitude|gps|geo)($|_)"
)


def test_no_identifying_column_in_any_table(database_url: str) -> None:
    engine = make_engine(database_url)
    inspector = inspect(engine)
    columns = [(t, c["name"]) for t in inspector.get_table_names() for c in inspector.get_columns(t)]
    engine.dispose()
    assert len(columns) > 40  # the whole schema was inspected, not an empty database
    offenders = [f"{t}.{c}" for t, c in columns if FORBIDDEN.search(c.lower())]
    assert offenders == []


def test_forbidden_pattern_catches_what_it_must() -> None:
    for name in ("ip", "client_ip", "ip_address", "user_agent", "latitude", "gps_point"):
        assert FORBIDDEN.search(name), name
    for name in ("description", "recipient", "participation", "shipping"):
        assert not FORBIDDEN.search(name), name
