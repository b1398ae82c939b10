"""The questionnaire section: upload with the CLI's report, size limits, import, versions with their
response counts, and the preview that stores nothing. Both backends, the real app."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import Mode, QuestionnaireVersion, Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.form_check import MAX_FORM_BYTES
from survey.store.services.responses import ResponseService, Submission
from tests.console.conftest import csrf, post, write_form
from tests.entry_point import run_survey

SLUG = "city-future"
PAGE = f"/console/c/{SLUG}/questionnaire"


def _consultation(client: TestClient) -> None:
    data = {"slug": SLUG, "title_en": "Future", "title_nl": "Toekomst"}
    assert post(client, "/console/new", data, token_from="/console/new").status_code == 303


def _upload(client: TestClient, name: str, content: bytes, action: str = "check", lang: str = "en") -> object:
    token = csrf(client, PAGE)
    return client.post(f"{PAGE}?lang={lang}", data={"csrf_token": token, "_action": action},
                       files={"file": (name, content, "application/octet-stream")}, follow_redirects=False)  # fmt: skip


def _versions(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(QuestionnaireVersion)) or 0)


def test_broken_form_gets_the_cli_report_then_the_fixed_one_imports(client: TestClient, sessions: sessionmaker[Session],
                                                                      database_url: str, tmp_path: Path) -> None:  # fmt: skip
    _consultation(client)
    broken = write_form(tmp_path / "broken.xlsx", broken=True)
    answer = _upload(client, "broken.xlsx", broken.read_bytes(), action="import")
    assert answer.status_code == 422
    rows = re.findall(
        r"<tr><td>(.*?)</td><td class=\"n\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", answer.text
    )
    assert rows == [("survey", "6", "type", "pyxform: List name not in choices sheet: agree_list")]
    assert "1 problem(s): nothing was stored." in answer.text
    cli = run_survey("form", "validate", str(broken))
    assert cli.returncode != 0
    assert (
        "sheet 'survey', row 6, column 'type': pyxform: List name not in choices sheet: agree_list"
        in cli.stdout + cli.stderr
    )
    assert _versions(sessions) == 0

    good = write_form(tmp_path / "good.xlsx").read_bytes()
    checked = _upload(client, "good.xlsx", good, action="check", lang="nl")
    assert checked.status_code == 200
    assert "Geldig formulier: 2 vragen op 2 pagina&#39;s, talen fr, nl, en." in checked.text
    assert _versions(sessions) == 0  # checking stores nothing
    imported = _upload(client, "good.xlsx", good, action="import")
    assert imported.headers["location"] == f"{PAGE}?imported=1"
    assert "Imported as version 1." in client.get(f"{PAGE}?imported=1&lang=en").text
    assert _upload(client, "good.xlsx", good, action="import").headers["location"] == f"{PAGE}?identical=1"
    second = write_form(tmp_path / "v2.xlsx", extra="comment").read_bytes()
    assert _upload(client, "v2.xlsx", second, action="import").headers["location"] == f"{PAGE}?imported=2"
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        first = ConsultationService(session).versions(consultation)[0]
        for _ in range(3):
            ResponseService(session).submit(Submission(uuid=str(uuid.uuid4()), version=first, mode=Mode.FIELD,
                                                       language="fr", answers={"resident": "yes", "merge": "no"}))  # fmt: skip
    history = client.get(PAGE).text
    counts = dict(re.findall(r'<tr data-number="(\d)">.*?<td class="n">(\d+)</td>', history, re.S))
    assert counts == {"1": "3", "2": "0"}


def test_uploads_are_limited_and_named(client: TestClient, sessions: sessionmaker[Session]) -> None:
    _consultation(client)
    wrong = _upload(client, "notes.txt", b"hello")
    assert (
        wrong.status_code == 422 and "is not an XLSForm workbook: upload a .xlsx or .xls file" in wrong.text
    )
    empty = _upload(client, "form.xlsx", b"")
    assert empty.status_code == 422 and "the file is empty" in empty.text
    large = _upload(client, "form.xlsx", b"x" * (MAX_FORM_BYTES + 10))
    assert large.status_code == 413 and "the file is larger than 2 MB" in large.text
    huge = _upload(client, "form.xlsx", b"x" * (MAX_FORM_BYTES + 200 * 1024))
    assert huge.status_code == 413 and "Traceback" not in huge.text
    garbage = _upload(client, "form.xlsx", b"PK\x03\x04 not really a workbook")
    assert garbage.status_code == 422 and "Traceback" not in garbage.text
    token = csrf(client, PAGE)
    nothing = client.post(
        f"{PAGE}?lang=en", data={"csrf_token": token, "_action": "check"}, files={"other": ("a", b"b")}
    )
    assert nothing.status_code == 400 and "Choose a file." in nothing.text
    forged = client.post(PAGE, data={"csrf_token": "forged"}, files={"file": ("f.xlsx", b"x")})
    assert forged.status_code == 403
    assert _versions(sessions) == 0


def test_preview_in_dutch_easy_read_stores_nothing(client: TestClient, sessions: sessionmaker[Session],
                                                    tmp_path: Path) -> None:  # fmt: skip
    _consultation(client)
    _upload(client, "good.xlsx", write_form(tmp_path / "good.xlsx").read_bytes(), action="import")
    history = client.get(PAGE).text
    assert f'href="/console/c/{SLUG}/preview/1/p/1?lang=nl&amp;easy=1"' in history
    shown = client.get(f"/console/c/{SLUG}/preview/1/p/1?lang=nl&easy=1")
    assert shown.status_code == 200
    assert "Woont u in Brussel? (makkelijk)" in shown.text
    assert "Voorbeeld: wat een burger ziet. Er wordt niets opgeslagen." in shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert "Habitez-vous Bruxelles" in client.get(f"/console/c/{SLUG}/preview/1/p/1?lang=fr&easy=0").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token is not None
    missing = client.post(f"/console/c/{SLUG}/preview/1/p/1", data={"csrf_token": token.group(1), "_lang": "nl",
                                                                   "_easy": "1", "_action": "next"})  # fmt: skip
    assert missing.status_code == 422
    answered = client.post(f"/console/c/{SLUG}/preview/1/p/1", data={"csrf_token": token.group(1), "_lang": "nl",
                                                                    "_easy": "1", "_action": "next", "resident": "yes"},
                           follow_redirects=False)  # fmt: skip
    assert answered.headers["location"] == f"/console/c/{SLUG}/preview/1/p/2?lang=nl&easy=1"
    assert "Gemeenten samen maken?" in client.get(answered.headers["location"]).text
    assert client.get(f"/console/c/{SLUG}/preview/9/p/1").status_code == 404
    assert client.get(f"/console/c/{SLUG}/preview/1/p/9").status_code == 404
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_preview_and_upload_need_a_console_session(anonymous: TestClient) -> None:
    for path in (f"/console/c/{SLUG}/preview/1/p/1", PAGE):
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/console/login?next=")
