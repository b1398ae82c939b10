"""ODK Collect app users: a coordinator's QR code configures Collect, whose key then opens the OpenRosa routes.

The QR payload is decoded as Collect's scanner does (base64, then zlib, then JSON) and its
``server_url`` is the only thing the Collect-like client of test_collect.py is given: no password.
"""

from __future__ import annotations

import base64
import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from field_app.openrosa.app_user_texts import TEXTS
from field_app.openrosa.app_users import LABEL
from survey.cli.main import app as cli
from survey.http import csrf
from survey.http.qr import qr_svg
from survey.questionnaire.model import Questionnaire
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import AuditEntry, Device, Response, Role
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.users import UserService
from tests.field_app.conftest import (
    FORM,
    PASSWORD,
    FieldEnv,
    Server,
    basic,
    server,  # noqa: F401  (the live server fixture, for the browser test)
)
from tests.openrosa.test_collect import ANSWERS, LIST, OPENROSA, count, fill, message
from tests.web.conftest import axe_source

SEED = "app-user-test-seed"
PAYLOAD = re.compile(r"<pre><code>([^<]+)</code></pre>")
PAGE = "/field/coordinator/consultations/{slug}/collect"


def _post(client: TestClient, settings: Settings, url: str, data: dict[str, str], user: str = "coord") -> Any:  # type: ignore[type-arg]
    """A coordinator's form post: HTTP Basic, the browser's CSRF seed cookie and the form's token."""
    client.cookies.set(csrf.COOKIE, SEED)
    token = csrf.token(settings.secret_key, SEED)
    return client.post(
        url, data={**data, "csrf_token": token}, headers={**basic(user), "Accept": "text/html"},
        follow_redirects=False,
    )  # fmt: skip


def decode(payload: str) -> dict[str, Any]:
    """What Collect's QR scanner does with the code's text."""
    decoded: dict[str, Any] = json.loads(zlib.decompress(base64.b64decode(payload)).decode("utf-8"))
    return decoded


def make_app_user(
    client: TestClient, settings: Settings, slug: str, name: str = "Tablette 3", lang: str = "en"
) -> tuple[str, dict[str, Any]]:  # type: ignore[type-arg]
    """Create an app user on the coordinators' page; the QR payload and the settings it holds."""
    reply = _post(
        client, settings, PAGE.format(slug=slug) + f"?lang={lang}", {"interviewer": "int1", "name": name}
    )
    assert reply.status_code == 201, reply.text
    found = PAYLOAD.search(reply.text)
    assert found, reply.text
    payload = html.unescape(found[1])
    # the QR code drawn on the page is the code of exactly this text
    title = {"en": "QR code that sets ODK Collect up"}.get(lang, "")
    if title:
        assert str(qr_svg(payload, title)) in reply.text
    return payload, decode(payload)


def collect_download(client: TestClient, server_url: str) -> tuple[dict[str, str], str]:  # type: ignore[type-arg]
    """Form list, then the form at the URL the list gives, with no credentials but the key in the URL."""
    listed = client.get(server_url + "/formList", headers=OPENROSA)
    assert listed.status_code == 200, listed.text
    entry = ET.fromstring(listed.text).find(f"{LIST}xform")
    assert entry is not None
    fields = {child.tag.removeprefix(LIST): child.text or "" for child in entry}
    assert fields["downloadUrl"] == server_url + "/form.xml"
    assert fields["manifestUrl"] == server_url + "/manifest"
    xform = client.get(fields["downloadUrl"], headers=OPENROSA)
    assert xform.status_code == 200, xform.text
    return fields, xform.text


def collect_submit(client: TestClient, server_url: str, document: bytes) -> Any:  # type: ignore[type-arg]
    files = {"xml_submission_file": ("submission.xml", document, "text/xml")}
    return client.post(server_url + "/submission", files=files, headers=OPENROSA)


def test_the_qr_code_configures_collect_for_list_download_and_submission(
    client: TestClient,
    settings: Settings,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, scanned = make_app_user(client, settings, field_env.slug)
    server_url = scanned["general"]["server_url"]
    assert scanned == {
        "general": {
            "server_url": server_url,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": "Field test"},
    }
    key = server_url.rsplit("/", 1)[1]
    assert server_url == f"{client.base_url}/openrosa/{field_env.slug}/key/{key}" and len(key) > 60
    client.cookies.clear()
    probe = client.head(server_url + "/submission", headers=OPENROSA)
    assert probe.status_code == 204 and int(probe.headers["X-OpenRosa-Accept-Content-Length"]) > 0
    fields, xform = collect_download(client, server_url)
    assert (fields["formID"], fields["version"]) == ("field_test", "1")
    manifest = client.get(fields["manifestUrl"], headers=OPENROSA)
    assert manifest.status_code == 200 and manifest.headers["X-OpenRosa-Version"] == "1.0"
    instance_id = str(uuid.uuid4())
    document = fill(xform, ANSWERS, f"uuid:{instance_id}")
    first = collect_submit(client, server_url, document)
    assert first.status_code == 201, first.text
    again = collect_submit(client, server_url, document)  # the acknowledgement was lost
    assert again.status_code == 202, again.text
    assert count(sessions) == 1
    with sessions() as session:
        response = session.scalar(select(Response).where(Response.uuid == instance_id))
        assert response is not None and response.mode == "field"
        device = session.get(Device, response.device_id)
        assert device is not None and device.label == f"{LABEL} · {field_env.slug} · Tablette 3"
        assert device.token_hash != key and key not in device.label  # only the hash is kept
        assert device.last_seen_at is not None
        owner = UserService(session).named("int1")
        assert response.interviewer_id == owner.id == device.user_id
        made = session.scalar(select(AuditEntry).where(AuditEntry.action == "create_app_user"))
        assert made is not None and made.actor == "coord" and str(made.entity_id) == str(device.id)
    # the coordinators' tablet list shows the app user like any tablet
    overview = client.get("/field/coordinator?lang=en", headers=basic("coord"))
    assert "Tablette 3" in overview.text and PAGE.format(slug=field_env.slug) in overview.text


def test_a_revoked_app_user_is_refused_at_once(
    client: TestClient,
    settings: Settings,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, scanned = make_app_user(client, settings, field_env.slug)
    server_url = scanned["general"]["server_url"]
    _, xform = collect_download(client, server_url)
    with sessions() as session:
        device_id = session.scalar(select(Device.id).where(Device.label.startswith(LABEL)))
    listing = client.get(PAGE.format(slug=field_env.slug) + "?lang=en", headers=basic("coord"))
    assert f"/collect/{device_id}/revoke" in listing.text
    revoked = _post(client, settings, PAGE.format(slug=field_env.slug) + f"/{device_id}/revoke", {})
    assert revoked.status_code == 303, revoked.text
    client.cookies.clear()
    for reply in (
        client.get(server_url + "/formList", headers=OPENROSA),
        client.head(server_url + "/submission", headers=OPENROSA),
        collect_submit(client, server_url, fill(xform, ANSWERS, f"uuid:{uuid.uuid4()}")),
    ):
        assert reply.status_code == 401, reply.text
    refused = client.get(server_url + "/formList", headers=OPENROSA)
    assert "revoked" in message(refused) and refused.headers["X-OpenRosa-Version"] == "1.0"
    assert count(sessions) == 0
    listing = client.get(PAGE.format(slug=field_env.slug) + "?lang=en", headers=basic("coord"))
    assert f"/collect/{device_id}/revoke" not in listing.text and "revoked" in listing.text
    with sessions() as session:
        assert session.scalar(
            select(AuditEntry).where(AuditEntry.action == "revoke", AuditEntry.entity_id == str(device_id))
        )


def test_an_app_user_of_one_consultation_gets_404_on_another(
    client: TestClient,
    settings: Settings,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    with transaction(sessions) as session:  # int1 collects for both consultations
        service = ConsultationService(session)
        other = service.create("other-field", {"en": "Other"}, actor="test")
        service.add_version(other, Questionnaire.from_dict(FORM), source_name="test", actor="test")
        assign(session, UserService(session).named("int1"), other, actor="test")
    _, scanned = make_app_user(client, settings, field_env.slug)
    server_url = scanned["general"]["server_url"]
    key = server_url.rsplit("/", 1)[1]
    elsewhere = f"{client.base_url}/openrosa/other-field/key/{key}"
    for leaf in ("/formList", "/form.xml", "/manifest", "/submission"):
        assert client.get(elsewhere + leaf, headers=OPENROSA).status_code == 404, leaf
    assert client.get(server_url + "/formList", headers=OPENROSA).status_code == 200
    # a tablet's own token is no app-user key
    token = client.post(
        "/field/api/login", json={"username": "int1", "password": PASSWORD, "device_label": "t"}
    ).json()["token"]
    assert client.get(f"/openrosa/{field_env.slug}/key/{token}/formList", headers=OPENROSA).status_code == 401


def test_guessing_keys_is_throttled_like_sign_ins(
    client: TestClient,
    settings: Settings,
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, scanned = make_app_user(client, settings, field_env.slug)
    server_url = scanned["general"]["server_url"]
    statuses = []
    for attempt in range(30):
        reply = client.get(f"/openrosa/{field_env.slug}/key/1.guess{attempt}/formList", headers=OPENROSA)
        statuses.append(reply.status_code)
        if reply.status_code == 429:
            break
    assert statuses[0] == 401 and statuses[-1] == 429 and len(statuses) <= 21, statuses
    assert int(reply.headers["Retry-After"]) > 0 and reply.headers["X-OpenRosa-Version"] == "1.0"
    # the client stays locked out for the window, even with a right key
    assert client.get(server_url + "/formList", headers=OPENROSA).status_code == 429


def test_the_page_refuses_bad_input_naming_the_field(
    client: TestClient,
    settings: Settings,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    url = PAGE.format(slug=field_env.slug) + "?lang=en"
    for data, field in (
        ({"interviewer": "int1", "name": "  "}, "name:"),
        ({"interviewer": "int1", "name": "x" * 101}, "name:"),
        ({"interviewer": "int2", "name": "T"}, "interviewer:"),  # not assigned here
        ({"interviewer": "boss", "name": "T"}, "interviewer:"),  # not an interviewer
        ({"interviewer": "nobody", "name": "T"}, "interviewer:"),
    ):
        reply = _post(client, settings, url, data)
        assert reply.status_code == 400 and field in reply.text, (data, reply.text[:300])
        assert "<pre><code>" not in reply.text
    forged = client.post(
        url, data={"interviewer": "int1", "name": "T", "csrf_token": "x"}, headers=basic("coord")
    )
    assert forged.status_code == 403
    free_text = _post(client, settings, url, {"interviewer": "int1", "name": "<b>T</b>"})
    assert (
        free_text.status_code == 201
        and "<b>T</b>" not in free_text.text
        and "&lt;b&gt;T&lt;/b&gt;" in free_text.text
    )
    for lang, words in (
        ("fr", "Applis ODK Collect : Test terrain"),
        ("nl", "ODK Collect-apps: Veldtest"),
        ("en", "ODK Collect app users: Field test"),
    ):
        page = client.get(PAGE.format(slug=field_env.slug) + f"?lang={lang}", headers=basic("coord"))
        assert page.status_code == 200 and page.headers["Content-Language"] == lang
        assert f"<h1>{words}</h1>" in page.text, lang
    with sessions() as session:
        assert len(session.scalars(select(Device).where(Device.label.startswith(LABEL))).all()) == 1
    assert client.get(PAGE.format(slug=field_env.slug), headers=basic("int1")).status_code == 403


def test_cli_creates_lists_and_revokes_app_users(
    client: TestClient,
    settings: Settings,
    field_env: FieldEnv,  # type: ignore[type-arg]
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    database = ["--database-url", settings.database_url]
    qr_file = tmp_path / "tablet.svg"
    made = runner.invoke(
        cli,
        ["collect", "app-user", "create", field_env.slug, "int1", "--name", "T9", "--server",
         "https://consult.example.org/", "--qr-file", str(qr_file), *database],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    payload = next(line for line in made.stdout.splitlines() if line.startswith("QR payload: ")).split(
        ": ", 1
    )[1]
    server_url = decode(payload)["general"]["server_url"]
    assert server_url.startswith(f"https://consult.example.org/openrosa/{field_env.slug}/key/")
    assert qr_file.read_text().startswith("<?xml")
    local = server_url.replace("https://consult.example.org", str(client.base_url))
    assert client.get(local + "/formList", headers=OPENROSA).status_code == 200
    listed = runner.invoke(cli, ["collect", "app-user", "list", field_env.slug, *database])
    assert listed.exit_code == 0 and "T9\tint1\tactive" in listed.stdout, listed.output
    device_id = listed.stdout.split("\t", 1)[0]
    revoked = runner.invoke(cli, ["collect", "app-user", "revoke", field_env.slug, device_id, *database])
    assert revoked.exit_code == 0, revoked.output
    assert client.get(local + "/formList", headers=OPENROSA).status_code == 401
    assert (
        "T9\tint1\trevoked"
        in runner.invoke(cli, ["collect", "app-user", "list", field_env.slug, *database]).stdout
    )
    for args, words in (
        (["create", field_env.slug, "int2", "--name", "x", "--server", "https://a.b"], "interviewer:"),
        (["create", field_env.slug, "int1", "--name", "x", "--server", "a.b"], "--server"),
        (["create", "nope", "int1", "--name", "x", "--server", "https://a.b"], "nope"),
        (["revoke", field_env.slug, "999999"], "app user"),
    ):
        failed = runner.invoke(cli, ["collect", "app-user", *args, *database])
        assert failed.exit_code != 0 and words in failed.output, (args, failed.output)


@pytest.mark.browser
def test_the_app_user_page_passes_axe(server: Server, browser: Any) -> None:  # noqa: F811 (the fixture)
    context = browser.new_context(locale="nl-BE", bypass_csp=True, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(server.url + "/field/coordinator/login?next=" + PAGE.format(slug="field-test"))
        page.fill("#username", "coord")
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_url(server.url + PAGE.format(slug="field-test"))
        page.focus("#name")
        page.keyboard.type("Tablet 4")
        page.keyboard.press("Enter")
        page.wait_for_selector("svg.qr")
        assert "App-gebruiker" in page.text_content("#made")
        page.add_script_tag(content=axe_source())
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]][:2]) for v in violations]
    finally:
        context.close()


def test_every_page_text_is_in_french_dutch_and_english_with_the_same_placeholders() -> None:
    missing = [
        (key, code) for key, texts in TEXTS.items() for code in ("fr", "nl", "en") if not texts.get(code)
    ]
    assert missing == []
    names = {
        key: {frozenset(re.findall(r"{(\w+)}", text)) for text in texts.values()}
        for key, texts in TEXTS.items()
    }
    assert [key for key, found in names.items() if len(found) != 1] == []


def test_the_key_follows_its_interviewer_account_and_assignment(
    client: TestClient,
    settings: Settings,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    _, scanned = make_app_user(client, settings, field_env.slug)
    form_list = scanned["general"]["server_url"] + "/formList"
    with transaction(sessions) as session:
        UserService(session).named("int1").active = False
    disabled = client.get(form_list, headers=OPENROSA)
    assert disabled.status_code == 401 and "disabled" in message(disabled), disabled.text
    with transaction(sessions) as session:
        interviewer = UserService(session).named("int1")
        interviewer.active = True
        consultation = ConsultationService(session).get(field_env.slug)
        assert grants.revoke(
            session, user_id=interviewer.id, consultation_id=consultation.id, role=Role.INTERVIEWER, by="test"
        )
    assert client.get(form_list, headers=OPENROSA).status_code == 404  # no longer assigned there
