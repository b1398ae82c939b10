"""Signed double-submit CSRF tokens for the citizen forms.

The token is ``nonce.signature`` with an HMAC of the nonce under the app's secret key; the same
token travels in a cookie and in a hidden form field. A cross-site page can make the browser send
the cookie but cannot read it, and cannot forge a signed value, so a mismatch means a forged post.
This is deliberately local to the citizen pages: the JSON APIs share the app and carry no cookies.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "survey_csrf"
FIELD = "csrf_token"


def same_text(given: str, expected: str) -> bool:
    """Constant-time comparison that any text can reach (compare_digest refuses non-ASCII str: a 500)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _sign(secret_key: str, nonce: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def new_token(secret_key: str) -> str:
    """A fresh token: random nonce plus its signature."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(secret_key, nonce)}"


def is_signed(secret_key: str, token: str | None) -> bool:
    """True when the token was made by :func:`new_token` with this key."""
    if not token or "." not in token:
        return False
    nonce, signature = token.rsplit(".", 1)
    return same_text(signature, _sign(secret_key, nonce))


def token_for(secret_key: str, cookie: str | None) -> str:
    """The token to embed in a page: the visitor's cookie if valid, otherwise a new one."""
    return cookie if cookie and is_signed(secret_key, cookie) else new_token(secret_key)


def check(secret_key: str, cookie: str | None, submitted: object) -> bool:
    """A post is genuine when the field equals the cookie and the cookie is signed by us."""
    if not isinstance(submitted, str) or not cookie:
        return False
    return same_text(cookie, submitted) and is_signed(secret_key, cookie)
