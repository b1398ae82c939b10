"""``survey doctor``: every check an operator would otherwise do by hand, one line each.

Each check returns ok, warn or fail with a line saying what was found and, when not ok, what to
do. ``fail`` means the service would not work correctly (no database, schema behind, weak secret in
production, no PDF); ``warn`` means it works but something will bite later (a development key,
a slightly wrong clock).
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from survey.ops.readiness import readiness
from survey.settings import ConfigurationError, Settings, load_settings
from survey.store.db import make_engine
from survey.store.errors import first_line

Status = Literal["ok", "warn", "fail"]
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128.0  # estimated from the characters' spread: a random 32-char key has ~190
DEV_SECRETS = frozenset(
    {"secret", "changeme", "change-me", "dev", "development", "test", "password", "survey"}
)
SKEW_WARN_SECONDS = 2.0
SKEW_FAIL_SECONDS = 30.0


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    status: Status
    detail: str


def secret_bits(secret: str) -> float:
    """A rough entropy estimate: length times the Shannon entropy of its characters (bits)."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


def check_secret(environ: Mapping[str, str], settings: Settings) -> Check:
    """SECRET_KEY set, long, varied and not a well-known placeholder; in production, a weak one fails."""
    raw = environ.get("SECRET_KEY", "")
    weak: Status = "fail" if settings.is_production else "warn"
    if not raw:
        return Check(
            "secret", "warn", "SECRET_KEY unset: a random key per process, sessions end at each restart"
        )
    lowered = raw.lower()
    if lowered in DEV_SECRETS or "change" in lowered or "example" in lowered:
        return Check(
            "secret",
            weak,
            "SECRET_KEY is a placeholder: set a random one (python -c 'import secrets; print(secrets.token_urlsafe(48))')",
        )
    if len(raw) < MIN_SECRET_LENGTH:
        return Check(
            "secret",
            weak,
            f"SECRET_KEY has {len(raw)} characters: use at least {MIN_SECRET_LENGTH} random ones",
        )
    bits = secret_bits(raw)
    if bits < MIN_SECRET_BITS:
        return Check(
            "secret", weak, f"SECRET_KEY looks predictable (about {bits:.0f} bits): use a random one"
        )
    return Check("secret", "ok", f"SECRET_KEY: {len(raw)} characters, about {bits:.0f} bits")


def check_folders(settings: Settings) -> list[Check]:
    """The data folder (and the SQLite file's folder) exist or can be made, and take a file."""
    folders = {settings.data_dir}
    if (
        settings.is_sqlite
        and (database := make_url(settings.database_url).database)
        and database != ":memory:"
    ):
        folders.add(Path(database).resolve().parent)
    checks = []
    for folder in sorted(folders):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
                pass
            checks.append(Check("folders", "ok", f"{folder} is writable"))
        except OSError as exc:
            checks.append(Check("folders", "fail", f"{folder} is not writable: {exc.strerror or exc}"))
    return checks


def check_database(engine: Engine) -> list[Check]:
    """Reachability and schema revision, by the same function as ``/ready``."""
    verdict = readiness(engine)
    if verdict.database != "ok":
        return [Check("database", "fail", f"unreachable: {verdict.error}")]
    checks = [Check("database", "ok", f"reachable ({engine.dialect.name})")]
    status: Status = "ok" if verdict.ready else "fail"
    checks.append(
        Check(
            "schema",
            status,
            f"database {verdict.schema_revision or 'empty'}, head {verdict.head_revision}"
            + ("" if verdict.ready else f": {verdict.detail}"),
        )
    )
    return checks


def check_clock(engine: Engine) -> Check:
    """This machine's clock against the database server's (timestamps come from both)."""
    if engine.dialect.name == "sqlite":
        return Check("clock", "ok", "SQLite runs on this machine: one clock")
    before = time.time()
    with engine.connect() as connection:
        server = connection.scalar(text("SELECT clock_timestamp()"))
    after = time.time()
    skew = server.timestamp() - (before + after) / 2
    status: Status = (
        "fail" if abs(skew) >= SKEW_FAIL_SECONDS else "warn" if abs(skew) >= SKEW_WARN_SECONDS else "ok"
    )
    advice = "" if status == "ok" else ": synchronise the clocks (NTP)"
    return Check("clock", status, f"database clock {skew:+.2f} s from this machine's{advice}")


def check_pdf() -> Check:
    """WeasyPrint renders a tiny page with accented text (Pango and fonts are installed)."""
    try:
        from weasyprint import HTML  # noqa: PLC0415 - heavy, and the check must report its absence

        pdf = HTML(string="<p>Bruxelles — Brussel: ça, één</p>").write_pdf()
    except Exception as exc:  # OSError when Pango is missing, anything else WeasyPrint raises
        return Check(
            "pdf", "fail", f"PDF reports cannot be made: {first_line(exc)} (install Pango and fonts)"
        )
    if not pdf or not pdf.startswith(b"%PDF"):
        return Check("pdf", "fail", "WeasyPrint returned no PDF")
    return Check("pdf", "ok", f"WeasyPrint rendered a page ({len(pdf)} bytes)")


def check_redis(settings: Settings) -> Check:
    """Redis answers a PING when REDIS_URL is set (rate limits and staff sessions live there)."""
    if not settings.redis_url:
        return Check("redis", "ok", "not configured (REDIS_URL unset): limits and sessions kept per server")
    try:
        import redis  # noqa: PLC0415

        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # a bad URL, a refused connection, a wrong password
        return Check("redis", "fail", f"REDIS_URL does not answer: {first_line(exc)}")
    return Check("redis", "ok", "answers PING")


def run_checks(environ: Mapping[str, str]) -> list[Check]:
    """Every check, in the order an operator would fix them; later ones need the earlier ones."""
    try:
        settings = load_settings(dict(environ))
    except ConfigurationError as exc:
        return [Check("configuration", "fail", str(exc))]
    checks = [Check("configuration", "ok", f"{settings.environment}, data in {settings.data_dir}")]
    checks.append(check_secret(environ, settings))
    checks.extend(check_folders(settings))
    engine = make_engine(settings.database_url)
    try:
        database = check_database(engine)
        checks.extend(database)
        if database[0].status == "ok":
            checks.append(check_clock(engine))
    finally:
        engine.dispose()
    checks.append(check_redis(settings))
    checks.append(check_pdf())
    return checks


def report_line(check: Check) -> str:
    """``ok    database      reachable (postgresql)``: status, name and detail in columns."""
    return f"{check.status:<5} {check.name:<13} {check.detail}"


def checked_at() -> str:
    """When the report was made (UTC), for the first line."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
