"""Staff accounts: scrypt password hashes (stdlib, no extra dependency), roles, activation."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey.store.bounds import has_nul
from survey.store.errors import AuthError, StoreError
from survey.store.models import Role, StaffSession, User
from survey.store.services.audit import record

PRODUCTION_SCRYPT_N = 2**14
SCRYPT_N_VARIABLE = "SURVEY_SCRYPT_N"
_R, _P = 8, 1


def scrypt_n() -> int:
    """The scrypt cost N for new hashes: 2**14 unless ``SURVEY_SCRYPT_N`` names another power of two.

    Why a setting: the test suite creates and signs in thousands of accounts, and at the production
    cost scrypt was a large share of its time, so the tests set a cheap N. Each hash records its own N,
    so accounts hashed at any cost keep verifying. A production deployment refuses a cost below the
    default, so the setting cannot weaken real passwords by accident.
    """
    raw = os.environ.get(SCRYPT_N_VARIABLE, "").strip()
    if not raw:
        return PRODUCTION_SCRYPT_N
    n = int(raw) if raw.isascii() and raw.isdigit() else 0
    if n < 2 or n & (n - 1):
        raise ValueError(f"{SCRYPT_N_VARIABLE}: {raw!r} is not a power of two such as 16384")
    if n < PRODUCTION_SCRYPT_N and os.environ.get("SURVEY_ENV") == "production":
        raise ValueError(f"{SCRYPT_N_VARIABLE}: below {PRODUCTION_SCRYPT_N} is for tests, not production")
    return n


def _decoy_hash() -> str:
    """A hash no password matches, with today's parameters: checked when the user name is unknown."""
    return _decoy_hash_for(scrypt_n())


@functools.cache
def _decoy_hash_for(n: int) -> str:
    return hash_password(secrets.token_urlsafe(24), n)


def hash_password(password: str, n: int | None = None) -> str:
    """``scrypt$N$r$p$salt$hash``: parameters stored so they can be raised later."""
    n = scrypt_n() if n is None else n
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=_R, p=_P, dklen=32)
    return "$".join(
        [
            "scrypt",
            str(n),
            str(_R),
            str(_P),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison against a stored hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


class UserService:
    """Create and authenticate staff members."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, username: str, password: str, role: Role, *, actor: str, display_name: str = "") -> User:
        if len(password) < 8:
            raise StoreError("password: at least 8 characters")
        if self.session.scalar(select(User).where(User.username == username)) is not None:
            raise StoreError(f"username '{username}' is already taken")
        user = User(
            username=username,
            password_hash=hash_password(password),
            role=role.value,
            display_name=display_name,
        )
        self.session.add(user)
        self.session.flush()
        record(
            self.session,
            actor=actor,
            action="create",
            entity="user",
            entity_id=user.id,
            details={"role": role},
        )
        return user

    def authenticate(self, username: str, password: str) -> User:
        """The active account with this password, or AuthError saying no more than that.

        An unknown name costs the same scrypt work as a wrong password, so the time taken does
        not tell a guesser which user names exist.
        """
        # A name PostgreSQL cannot compare (a NUL in it) belongs to no one, like any unknown name.
        user = (
            None if has_nul(username) else self.session.scalar(select(User).where(User.username == username))
        )
        if user is None:
            verify_password(password, _decoy_hash())
            raise AuthError("unknown user or wrong password")
        if not verify_password(password, user.password_hash) or not user.active:
            raise AuthError("unknown user or wrong password")
        return user

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def named(self, username: str) -> User:
        user = (
            None if has_nul(username) else self.session.scalar(select(User).where(User.username == username))
        )
        if user is None:
            raise StoreError(f"no user '{username}'")
        return user

    def set_password(self, username: str, password: str, *, actor: str) -> User:
        """A new password ends every session the account had: whoever knew the old one is out."""
        if len(password) < 8:
            raise StoreError("password: at least 8 characters")
        user = self.named(username)
        user.password_hash = hash_password(password)
        self._end_sessions(user)
        record(self.session, actor=actor, action="set_password", entity="user", entity_id=user.id)
        return user

    def set_role(self, username: str, role: Role, *, actor: str) -> User:
        """A new role ends every session the account had, so none keeps the old role's pages open."""
        user = self.named(username)
        old, user.role = user.role, role.value
        self._end_sessions(user)
        record(self.session, actor=actor, action="set_role", entity="user", entity_id=user.id,
               details={"from": old, "to": role.value})  # fmt: skip
        return user

    def set_active(self, username: str, active: bool, *, actor: str) -> User:
        """Disable (or enable again) an account; disabling ends every session it had."""
        user = self.named(username)
        user.active = active
        if not active:
            self._end_sessions(user)
        record(self.session, actor=actor, action="enable" if active else "disable", entity="user",
               entity_id=user.id)  # fmt: skip
        return user

    def _end_sessions(self, user: User) -> None:
        self.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        self.session.flush()
