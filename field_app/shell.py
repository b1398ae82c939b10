"""The PWA's static shell, served from /field/ so the service worker's scope covers it all.

Files are read from ``field_app/static`` by a fixed whitelist (no path from the URL ever reaches
the filesystem) and sent with ``no-cache``: the service worker, not the HTTP cache, decides
what is kept offline, and a new deployment is picked up at the next online start.
"""

from __future__ import annotations

import json
from pathlib import Path

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from field_app.tablet_texts import TEXTS
from survey.catalogue import per_language

STATIC = Path(__file__).parent / "static"
ASSETS: dict[str, str] = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript",
    "i18n.js": "text/javascript",
    "ui.js": "text/javascript",
    "quotas.js": "text/javascript",
    "interview.js": "text/javascript",
    "questions.js": "text/javascript",
    "account.js": "text/javascript",
    "home.js": "text/javascript",
    "db.js": "text/javascript",
    "form.js": "text/javascript",
    "sync.js": "text/javascript",
    "app.css": "text/css",
    "sw.js": "text/javascript",
    "manifest.webmanifest": "application/manifest+json",
    "icon.svg": "image/svg+xml",
    "icon-192.png": "image/png",
    "icon-512.png": "image/png",
}


TEXTS_MARK = "/*TEXTS*/{ fr: {}, nl: {}, en: {} }"


def _with_texts(script: bytes) -> bytes:
    """``i18n.js`` with the tablet's texts from the catalogue written in: one file, offline from the first
    start, and no second translation table to keep in step (the mark missing would ship no words: fail)."""
    source = script.decode()
    if TEXTS_MARK not in source:
        raise RuntimeError("field_app/static/i18n.js lost its /*TEXTS*/ mark")
    return source.replace(TEXTS_MARK, json.dumps(per_language(TEXTS), ensure_ascii=False)).encode()


def _asset(name: str) -> Response[bytes]:
    if name not in ASSETS:
        raise NotFoundException(f"no field app file '{name}'")
    headers = {"Cache-Control": "no-cache"}
    if name == "sw.js":
        headers["Service-Worker-Allowed"] = "/field/"
    if name == "index.html":  # the interviewer's "record position" button (geopoint forms only) may ask
        headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    body = (STATIC / name).read_bytes()
    return Response(
        _with_texts(body) if name == "i18n.js" else body, media_type=ASSETS[name], headers=headers
    )


@get("/field", include_in_schema=False)
async def field_index(request: Request) -> Response[bytes] | Redirect:
    """The single page of the app, always at ``/field/`` so it lies inside the worker's scope."""
    if not bytes(request.scope.get("raw_path") or b"/").endswith(b"/"):
        return Redirect("/field/")
    return _asset("index.html")


@get("/field/{name:str}", include_in_schema=False)
async def field_asset(name: FromPath[str]) -> Response[bytes]:
    """One whitelisted shell file."""
    return _asset(name)


SHELL_ROUTES = [field_index, field_asset]
