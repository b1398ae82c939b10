"""One CSRF scheme behind every form: one seed cookie, the same token on citizen and staff pages.

Also the upgrade from two schemes: a staff form loaded before it (seed in ``staff_csrf``) still posts,
and a citizen form loaded before it (the token itself in ``survey_csrf``) is refused once with
"page expired", after which the page shown works.
"""

from __future__ import annotations

import re

from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.http import csrf
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import QuestionnaireVersion, Role
from survey.store.services.users import UserService
from tests.security.conftest import SLUG

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long enough password 1"
FORMS = (f"/c/{SLUG}", "/analyst/login", "/console/login", "/field/coordinator/login")


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found is not None, html[:300]
    return found.group(1)


def _seed_set_by(reply: object) -> list[str]:
    cookies = reply.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return [c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith(f"{csrf.COOKIE}=")]


def test_citizen_and_staff_forms_share_one_seed_and_one_token(
    client: TestClient,  # type: ignore[type-arg]
    settings: Settings,
    version: QuestionnaireVersion,
) -> None:
    first = client.get(FORMS[0])
    [seed] = _seed_set_by(first)
    expected = csrf.token(settings.secret_key, seed)
    assert _token(first.text) == expected
    for path in FORMS[1:]:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert _token(page.text) == expected, path
        assert _seed_set_by(page) == [], path  # the seed is set once, not replaced by each area
    assert "staff_csrf" not in str(client.cookies)


def test_a_staff_form_loaded_before_the_upgrade_still_posts(
    client: TestClient,  # type: ignore[type-arg]
    settings: Settings,
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as session:
        UserService(session).create("coord", PASSWORD, Role.COORDINATOR, actor="test")
    old_seed = "seed-from-before-the-upgrade"
    client.cookies.set(csrf.FORMER_COOKIE, old_seed)
    page = client.get("/field/coordinator/login")
    assert _seed_set_by(page) == [old_seed]  # carried into the one cookie
    client.cookies.delete(csrf.COOKIE)  # the form was loaded before: only the former cookie
    posted = client.post(
        "/field/coordinator/login",
        data={
            "csrf_token": csrf.token(settings.secret_key, old_seed),
            "username": "coord",
            "password": PASSWORD,
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text


def test_a_citizen_form_loaded_before_the_upgrade_expires_once(
    client: TestClient,  # type: ignore[type-arg]
    version: QuestionnaireVersion,
) -> None:
    former = "nonce-of-the-former-scheme.0123abcd"  # the former token was its own cookie and field
    client.cookies.set(csrf.COOKIE, former)
    refused = client.post(f"/c/{SLUG}/start", data={"consent": "yes", "csrf_token": former})
    assert refused.status_code == 403
    assert "expired" in refused.text.lower() or "expiré" in refused.text
    again = client.get(f"/c/{SLUG}")
    started = client.post(
        f"/c/{SLUG}/start", data={"consent": "yes", "csrf_token": _token(again.text)}, follow_redirects=False
    )
    assert started.status_code in (302, 303), started.text[:300]
