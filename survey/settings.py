"""Configuration from the environment, read once; every secret comes from here, never from code.

| variable            | default                              | meaning                                     |
|---------------------|--------------------------------------|---------------------------------------------|
| DATABASE_URL        | sqlite:///<SURVEY_DATA_DIR>/survey.sqlite3 | SQLAlchemy URL; PostgreSQL: postgresql+psycopg://… |
| SURVEY_DATA_DIR     | ./var                                | where the SQLite file and exports live      |
| SECRET_KEY          | random per process (dev only)        | signs sessions and CSRF tokens; required when SURVEY_ENV=production |
| SURVEY_ENV          | development                          | ``production`` refuses to start without SECRET_KEY |
| SURVEY_HOST / SURVEY_PORT | 127.0.0.1 / 8000               | where ``survey serve`` listens              |
| SURVEY_MAX_BODY_BYTES | 1048576                            | request bodies above this get a 413         |
| SURVEY_MAX_ATTACHMENT_BYTES | 10485760                     | largest photo, recording or file kept for one answer (a request carrying files may reach 64 MiB) |
| LOG_LEVEL           | INFO                                 | structured JSON logs on stderr              |
| SURVEY_CORS_ORIGINS | (none)                               | comma-separated origins allowed to call the JSON APIs from a browser |
| REDIS_URL           | (none)                               | share rate limits, sign-in throttles and staff sessions between servers |
| POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD | (none) | without DATABASE_URL but with POSTGRES_HOST, the PostgreSQL URL is built from these parts (any character in the password works: it is encoded here) |
| SURVEY_SCRYPT_N      | 16384                                | scrypt cost of new staff password hashes (a power of two); lower only for tests, refused below 16384 when SURVEY_ENV=production |
| SECRET_KEY_FILE, DATABASE_URL_FILE, POSTGRES_PASSWORD_FILE, REDIS_URL_FILE | (none) | read that secret from a file instead (Docker/Kubernetes secrets); one trailing newline is dropped; giving both the variable and its ``_FILE`` is an error |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A setting is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """All settings of one process; frozen so nothing changes them behind a request's back."""

    database_url: str
    data_dir: Path
    secret_key: str
    environment: str
    host: str
    port: int
    max_body_bytes: int
    log_level: str
    cors_origins: tuple[str, ...] = ()
    redis_url: str = ""
    max_attachment_bytes: int = 10 * 1024 * 1024

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from exc


def _origins(raw: str) -> tuple[str, ...]:
    """``https://a.example, https://b.example`` as a tuple; each must be a bare scheme://host[:port]."""
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in ("http", "https") or not rest or "/" in rest or origin == "*":
            raise ConfigurationError(
                f"SURVEY_CORS_ORIGINS: {origin!r} is not an origin such as https://consult.example"
            )
    return origins


def _postgres_url(env: dict[str, str]) -> str:
    """The URL from POSTGRES_* parts, password encoded (a pasted URL broke on ``@``, ``:`` or ``/``)."""
    if not env.get("POSTGRES_HOST"):
        return ""
    from sqlalchemy.engine import URL  # noqa: PLC0415 - only here: `survey --help` must not load SQLAlchemy

    return URL.create(
        "postgresql+psycopg",
        username=env.get("POSTGRES_USER") or None,
        password=env.get("POSTGRES_PASSWORD") or None,
        host=env["POSTGRES_HOST"],
        port=_int(env, "POSTGRES_PORT", 5432),
        database=env.get("POSTGRES_DB") or None,
    ).render_as_string(hide_password=False)


SECRET_FILES = ("SECRET_KEY", "DATABASE_URL", "POSTGRES_PASSWORD", "REDIS_URL")


def _with_secret_files(env: dict[str, str]) -> dict[str, str]:
    """The environment with each ``NAME_FILE`` read into ``NAME``.

    Why: container platforms hand secrets over as files (``/run/secrets/...``) so that they stay out
    of ``docker inspect`` and process listings; a secret in a plain variable is visible there.
    """
    found = dict(env)
    for name in SECRET_FILES:
        path = env.get(f"{name}_FILE", "").strip()
        if not path:
            continue
        if env.get(name):
            raise ConfigurationError(f"{name} and {name}_FILE are both set: keep one")
        try:
            value = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"{name}_FILE: cannot read {path}: {exc.__class__.__name__}") from exc
        value = value.removesuffix("\n").removesuffix("\r")
        if not value.strip():
            raise ConfigurationError(f"{name}_FILE: {path} is empty")
        found[name] = value
    return found


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from an environment mapping (``os.environ`` by default)."""
    env = _with_secret_files(dict(os.environ) if environ is None else environ)
    data_dir = Path(env.get("SURVEY_DATA_DIR") or "var").resolve()
    database_url = env.get("DATABASE_URL") or _postgres_url(env) or f"sqlite:///{data_dir / 'survey.sqlite3'}"
    environment = env.get("SURVEY_ENV", "development")
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if environment == "production":
            raise ConfigurationError("SECRET_KEY must be set when SURVEY_ENV=production")
        secret_key = secrets.token_urlsafe(32)
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        secret_key=secret_key,
        environment=environment,
        host=env.get("SURVEY_HOST", "127.0.0.1"),
        port=_int(env, "SURVEY_PORT", 8000),
        max_body_bytes=_int(env, "SURVEY_MAX_BODY_BYTES", 1_048_576),
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
        cors_origins=_origins(env.get("SURVEY_CORS_ORIGINS", "")),
        redis_url=env.get("REDIS_URL", "").strip(),
        max_attachment_bytes=_attachment_limit(env),
    )


def _attachment_limit(env: dict[str, str]) -> int:
    """SURVEY_MAX_ATTACHMENT_BYTES, at least 1 kB and at most what an upload request may carry."""
    limit = _int(env, "SURVEY_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
    if not 1024 <= limit <= 64 * 1024 * 1024:
        raise ConfigurationError("SURVEY_MAX_ATTACHMENT_BYTES must be between 1024 and 67108864 (64 MiB)")
    return limit


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing the env."""
    return load_settings()
