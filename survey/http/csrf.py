"""The product's one CSRF scheme, for every form: citizens', console, workbench and coordinators'.

Signed double submit. The browser holds a random seed in the ``survey_csrf`` cookie (HttpOnly,
SameSite=Lax); each form carries ``HMAC(app key, "csrf|" + seed)`` in its ``csrf_token`` field. A
cross-site page can make the browser send the cookie but can neither read it nor compute the MAC
without the app's key, so a token that does not match the cookie's seed means a forged post. A
seed planted by a neighbouring site (cookie tossing) gives no token either. The JSON APIs carry no
cookies and need none of this.

Why one scheme: the citizen pages and the staff pages had two (the token itself in the cookie, or a
seed and its MAC); two implementations are two places for a mistake. Upgrading keeps forms working
where it is cheap: a seed in the former staff cookie (``staff_csrf``) is still read, and carried
into the new cookie with the next page, so a staff form loaded before the upgrade posts as before;
a citizen form loaded before it fails once with "page expired" and the page shown then works.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any, TypeVar

from litestar import Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

COOKIE = "survey_csrf"
FORMER_COOKIE = "staff_csrf"  # the staff pages' seed before the two schemes became one
FIELD = "csrf_token"

ResponseT = TypeVar("ResponseT", bound=Response[Any])


def same_text(given: str, expected: str) -> bool:
    """Constant-time comparison that any text can reach (compare_digest refuses non-ASCII str: a 500)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def token(secret_key: str, seed: str) -> str:
    """The form token for a browser's seed (the purpose tag keeps it apart from a signed session)."""
    mac = hmac.new(secret_key.encode(), f"csrf|{seed}".encode("utf-8", "surrogatepass"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def new_seed() -> str:
    return secrets.token_urlsafe(24)


def seed_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The browser's seed: the cookie's, else the former staff cookie's, else none yet."""
    return connection.cookies.get(COOKIE) or connection.cookies.get(FORMER_COOKIE) or None


def form_token(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, str | None]:
    """The token for a page's forms and, when the browser has no seed in the cookie yet, the seed
    to set with that page (:func:`remember`)."""
    seed = seed_of(connection)
    fresh = None if connection.cookies.get(COOKIE) else (seed or new_seed())
    return token(connection.app.state.settings.secret_key, seed or str(fresh)), fresh


def seed_cookie(seed: str, *, secure: bool) -> Cookie:
    """The seed cookie: HttpOnly, SameSite=Lax (never sent on a cross-site POST), Secure over HTTPS.

    Lax, not Strict: with Strict, a signed-in coordinator who follows a link from an e-mail would get
    a page without the cookie, and the fresh seed set then would break the forms open in other tabs.
    """
    return Cookie(key=COOKIE, value=seed, path="/", httponly=True, samesite="lax", secure=secure)


def remember(
    response: ResponseT, fresh: str | None, connection: ASGIConnection[Any, Any, Any, Any]
) -> ResponseT:
    """Set the seed a page's forms were signed with when it is new (Secure when reached over HTTPS:
    the connection is required so that no page can forget to say how it was reached)."""
    if fresh:
        response.set_cookie(seed_cookie(fresh, secure=connection.url.scheme == "https"))
    return response


def check(secret_key: str, seed: str | None, submitted: object) -> bool:
    """A post is genuine when its field is the token of the browser's seed."""
    if not seed or not isinstance(submitted, str) or not submitted:
        return False
    return same_text(submitted, token(secret_key, seed))


def form_ok(connection: ASGIConnection[Any, Any, Any, Any], form: Mapping[str, Any]) -> bool:
    """Whether a posted form's token holds for this browser (a file posted in its place does not)."""
    return check(connection.app.state.settings.secret_key, seed_of(connection), form.get(FIELD))
