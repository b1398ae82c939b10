"""Signed staff sessions, shared by the analyst workbench, the console and the coordinator pages.

Their forms' CSRF tokens are the product's one scheme (:mod:`survey.http.csrf`); this module only reads
a posted staff form and refuses it when the token does not hold.

Why our own small signer: the cookie holds only a user id, a role and an expiry; HMAC-SHA256 is
enough and avoids app-wide session middleware that other parts of the app do not want. The
role in the cookie is re-checked against the database on every request, so a demoted or
deactivated account loses access at once. One cookie serves every staff area: an admin signed in
on the workbench can open the coordinator pages, while each area still checks the role it needs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from anyio import to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, FormMultiDict
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.response import Redirect
from sqlalchemy.orm import Session

from survey.http import csrf
from survey.http.session_store import DatabaseSessions, SessionStore, id_hash
from survey.store.models import User

SESSION_COOKIE = "staff_session"
SESSION_SECONDS = 8 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), f"{purpose}|{payload}".encode(), hashlib.sha256).digest())


def sign_session(secret: str, user: User, *, now: float | None = None, sid: str = "") -> str:
    """``payload.signature``; the purpose tag stops a CSRF token being replayed as a session."""
    body = {"uid": user.id, "role": user.role, "exp": int((now or time.time()) + SESSION_SECONDS), "sid": sid}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, 'session', payload)}"


def read_session(secret: str, cookie: str | None, *, now: float | None = None) -> dict[str, Any] | None:
    """The session body if the signature holds and it has not expired, else None."""
    if not cookie or "." not in cookie:
        return None
    payload, signature = cookie.rsplit(".", 1)
    if not csrf.same_text(signature, _mac(secret, "session", payload)):
        return None
    try:
        body: dict[str, Any] = json.loads(_unb64(payload))
    except ValueError:
        return None
    if int(body.get("exp", 0)) < (now or time.time()):
        return None
    return body


def cookie(
    name: str, value: str, *, path: str = "/", max_age: int | None = None, secure: bool = False
) -> Cookie:
    """A staff cookie: HttpOnly, SameSite=Lax, and Secure when the page came over HTTPS.

    Lax, not Strict: with Strict, a signed-in coordinator who follows a link from an e-mail lands
    on the sign-in form (the cookies are withheld) and the fresh CSRF seed set there breaks the
    forms open in other tabs. Every state-changing request is a POST with a CSRF token, and Lax
    never sends the cookies on a cross-site POST.
    """
    return Cookie(
        key=name, value=value, path=path, httponly=True, samesite="lax", max_age=max_age, secure=secure
    )


def is_https(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether the browser reached us over HTTPS (uvicorn reads a trusted proxy's forwarded scheme)."""
    return connection.url.scheme == "https"


def sessions_of(connection: ASGIConnection[Any, Any, Any, Any]) -> SessionStore:
    """The app's session store (Redis when configured), or the database's table."""
    store: SessionStore | None = getattr(connection.app.state, "staff_sessions", None)
    return store if store is not None else DatabaseSessions()


def start_session(request: Request[Any, Any, Any], db: Session, user: User) -> Cookie:
    """Record a new session for ``user`` and return the cookie that names it, in either staff area."""
    sid = secrets.token_urlsafe(32)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=SESSION_SECONDS)
    sessions_of(request).start(db, user.id, id_hash(sid), expires)
    value = sign_session(request.app.state.settings.secret_key, user, sid=sid)
    return cookie(SESSION_COOKIE, value, max_age=SESSION_SECONDS, secure=is_https(request))


def end_session(request: Request[Any, Any, Any], db: Session) -> None:
    """Sign-out: the session the cookie names ends on the server, whatever copies of the cookie exist."""
    body = read_session(request.app.state.settings.secret_key, request.cookies.get(SESSION_COOKIE))
    if body is not None and isinstance(body.get("sid"), str) and body["sid"]:
        sessions_of(request).end(db, id_hash(body["sid"]))


async def read_form(request: Request[Any, Any, Any]) -> FormMultiDict:
    """The posted staff form, or 400: a part in an unknown charset or with bytes that are not text
    is refused here rather than failing as a 500 in whichever handler reads it."""
    try:
        return await request.form()
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        raise ClientException("the form could not be read: send it as ordinary UTF-8 text") from exc


async def checked_form(request: Request[Any, Any, Any]) -> FormMultiDict:
    """The posted staff form once its CSRF token holds: 400 if unreadable, 403 if forged or stale."""
    form = await read_form(request)
    if not csrf.form_ok(request, form):
        raise PermissionDeniedException("missing or invalid CSRF token: reload the page and try again")
    return form


def current_user(
    connection: ASGIConnection[Any, Any, Any, Any], session: Session | None = None
) -> User | None:
    """The signed-in staff member (any role), checked against the database, or None.

    Pass the request's ``session`` where a handler already has one; guards, which have none,
    get a short session of their own.
    """
    body = read_session(connection.app.state.settings.secret_key, connection.cookies.get(SESSION_COOKIE))
    if body is None:
        return None
    store = sessions_of(connection)
    if session is not None:
        return _still_valid(session, body, store)
    own: Session
    with connection.app.state.session_factory() as own:
        user = _still_valid(own, body, store)
        if user is not None:
            own.expunge(user)
        return user


def _still_valid(session: Session, body: dict[str, Any], store: SessionStore) -> User | None:
    """The account the cookie names, if its session is still open on the server, the account is
    still active and still has the role it was signed for."""
    sid = body.get("sid")
    if not isinstance(sid, str) or not sid:
        return None
    try:
        uid = int(body["uid"])
    except (KeyError, TypeError, ValueError):
        return None
    user = session.get(User, uid)
    if user is None or not user.active or user.role != body.get("role"):
        return None
    return user if store.alive(session, uid, id_hash(sid)) else None


async def sign_out(
    request: Request[Any, Any, Any], db: Session, location: str, headers: dict[str, str] | None = None
) -> Redirect:
    """The sign-out every staff page shares: CSRF-checked, the session ended on the server (a copied
    cookie opens nothing afterwards), the cookie deleted, then on to ``location``."""
    await checked_form(request)
    await to_thread.run_sync(end_session, request, db)
    redirect = Redirect(location, status_code=303, headers=headers)
    redirect.delete_cookie(SESSION_COOKIE, path="/")
    return redirect
