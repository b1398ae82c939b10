"""One-time password-reset links for staff accounts, without a table of their own.

Why a signed token rather than a stored one: the link carries the account id and an expiry, signed
with the server's secret together with the account's *current* password hash. Setting a password
through the link changes that hash (a fresh salt every time), so the same link can never work twice,
and any other password change or an expired clock kills it too. Nothing is stored that could sign
anyone in, and the CLI and the console issue the same links.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from survey.store.errors import StoreError
from survey.store.models import User
from survey.store.services.audit import record
from survey.store.services.users import UserService

RESET_SECONDS = 24 * 3600
RESET_PATH = "/console/reset"  # where the console answers a link: /console/reset/<token>
_PURPOSE = "password-reset"


class ResetLinkError(StoreError):
    """The link is malformed, forged, expired, already used, or its account is disabled."""


@dataclass(frozen=True)
class ResetLink:
    """A token to put in a link, and when it stops working (Unix seconds)."""

    token: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _signature(secret: str, payload: str, password_hash: str) -> str:
    message = f"{_PURPOSE}|{payload}|{password_hash}".encode()
    return _b64(hmac.new(secret.encode(), message, hashlib.sha256).digest())


def issue_reset_link(
    session: Session, username: str, *, secret: str, actor: str, now: float | None = None
) -> ResetLink:
    """A link for ``username`` valid for :data:`RESET_SECONDS`; audited (the token itself is not kept)."""
    user = UserService(session).named(username)
    if not user.active:
        raise StoreError(f"'{username}' is disabled: enable the account before sending a reset link")
    expires = int((now if now is not None else time.time()) + RESET_SECONDS)
    payload = _b64(json.dumps({"uid": user.id, "exp": expires}, separators=(",", ":")).encode())
    record(session, actor=actor, action="reset_link", entity="user", entity_id=user.id,
           details={"expires": expires})  # fmt: skip
    return ResetLink(f"{payload}.{_signature(secret, payload, user.password_hash)}", expires)


def reset_link_user(session: Session, token: str, *, secret: str, now: float | None = None) -> User:
    """The account a link is for, if it is genuine, unexpired, unused and the account active."""
    payload, _, signature = token.partition(".")
    try:
        body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        uid, expires = int(body["uid"]), int(body["exp"])
    except (ValueError, KeyError, TypeError):
        raise ResetLinkError("this reset link is not valid") from None
    user = session.get(User, uid) if 0 < uid < 2**31 else None
    if user is None or not hmac.compare_digest(
        signature.encode("utf-8", "surrogatepass"), _signature(secret, payload, user.password_hash).encode()
    ):
        raise ResetLinkError("this reset link is not valid, or it was already used")
    if expires < (now if now is not None else time.time()):
        raise ResetLinkError("this reset link has expired: ask an administrator for a new one")
    if not user.active:
        raise ResetLinkError("this account is disabled")
    return user


def redeem_reset_link(
    session: Session, token: str, password: str, *, secret: str, now: float | None = None
) -> User:
    """Set the new password (which ends every session of the account and kills the link)."""
    user = reset_link_user(session, token, secret=secret, now=now)
    return UserService(session).set_password(user.username, password, actor=f"{user.username} (reset link)")
