"""Invitation codes in the console: issue, download once as CSV and once as letters, follow use."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import AuditEntry, Consultation, Invitation
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitation_batches import batches
from survey.store.services.invitations import hash_code
from tests.console.conftest import post

PAGE = "/console/c/panel/invitations"


def _consultation(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        ConsultationService(session).create("panel", {"en": "Panel", "fr": "Panel"}, actor="test")


def _nonce(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        consultation = session.scalar(select(Consultation).where(Consultation.slug == "panel"))
        return next(b.nonce for b in batches(session, consultation) if b.nonce)


def test_codes_download_once_as_csv_and_the_second_download_is_refused(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _consultation(sessions)
    issued = post(client, f"{PAGE}/issue", {"count": "4", "label": "wave 1"}, token_from=PAGE)
    assert issued.status_code == 303
    nonce = _nonce(sessions)
    first = post(client, f"{PAGE}/download", {"batch": nonce, "format": "csv"}, token_from=PAGE)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/csv")
    assert "attachment" in first.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(first.text)))
    assert len(rows) == 4 and all(r["link"].endswith(f"/c/panel?code={r['code']}") for r in rows)
    with sessions() as session:
        stored = set(session.scalars(select(Invitation.code_hash)))
    assert {hash_code(r["code"]) for r in rows} == stored
    second = post(client, f"{PAGE}/download?lang=en", {"batch": nonce, "format": "csv"}, token_from=PAGE)
    assert (
        second.status_code == 409
        and "already downloaded" in second.text
        and rows[0]["code"] not in second.text
    )
    page = client.get(f"{PAGE}?lang=fr").text
    assert "Émis : 4 · commencés : 0 · utilisés : 0" in page and "CSV déjà téléchargé." in page


def test_letters_are_a_pdf_with_one_page_per_code(
    client: TestClient, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _consultation(sessions)
    post(client, f"{PAGE}/issue", {"count": "3", "label": ""}, token_from=PAGE)
    nonce = _nonce(sessions)
    pdf = post(
        client, f"{PAGE}/download", {"batch": nonce, "format": "pdf", "letter_lang": "nl"}, token_from=PAGE
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+3$", info, re.M)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    codes = re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", words)
    assert len(set(codes)) == 3 and "Scan deze code met uw telefoon" in words
    with sessions() as session:
        assert {hash_code(c) for c in codes} == set(session.scalars(select(Invitation.code_hash)))
    again = post(client, f"{PAGE}/download", {"batch": nonce, "format": "pdf"}, token_from=PAGE)
    assert again.status_code == 409
    with sessions() as session:
        formats = [a.details["format"] for a in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "download_invitations"))]  # fmt: skip
    assert formats == ["letters"]


def test_bad_counts_and_labels_name_the_field_and_store_nothing(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _consultation(sessions)
    for data, needle in (({"count": "0"}, "Aantal codes"), ({"count": "abc"}, "Aantal codes"),
                         ({"count": "100001"}, "Aantal codes"), ({"count": "2", "label": "a#b"}, "Label:")):  # fmt: skip
        answer = post(client, f"{PAGE}/issue?lang=nl", data, token_from=PAGE)
        assert answer.status_code == 400 and needle in answer.text
    assert (
        post(client, f"{PAGE}/download", {"batch": "nope", "format": "csv"}, token_from=PAGE).status_code
        == 409
    )
    assert client.post(f"{PAGE}/issue", data={"count": "2", "csrf_token": "forged"}).status_code == 403
    assert (
        post(client, "/console/c/ghost/invitations/issue", {"count": "2"}, token_from=PAGE).status_code == 404
    )
    with sessions() as session:
        assert session.scalars(select(Invitation)).all() == []


def test_closing_the_open_link_is_a_post_and_audited(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _consultation(sessions)
    assert post(client, f"{PAGE}/access", {"required": "1"}, token_from=PAGE).status_code == 303
    with sessions() as session:
        assert session.scalar(select(Consultation.invitation_only)) is True
        assert (
            session.scalar(select(AuditEntry.action).where(AuditEntry.actor == "organiser"))
            == "invitation_only"
        )
