"""Invitation-only consultations: one code, one complete response, through the pages and the API."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.errors import InvitationError
from survey.store.models import AuditEntry, Invitation, Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitations import InvitationService, hash_code, normalise_code
from tests.factories import valid_answers
from tests.web.conftest import SLUG
from tests.web.test_flow import PAGE_1, PAGE_3, PAGE_4, post, token

API = f"/api/consultations/{SLUG}/responses"


def panel(sessions: sessionmaker[Session], count: int = 2) -> list[str]:
    """Close the demo consultation to a panel and issue ``count`` codes."""
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        service = InvitationService(session)
        service.set_required(consultation, True, actor="test")
        return service.issue(consultation, count, batch="wave-1", actor="test")


def begin(client, code: str, lang: str = "en"):
    landing = client.get(f"/c/{SLUG}?code={code}", headers={"accept-language": lang})
    return client.post(
        f"/c/{SLUG}/start",
        data={"csrf_token": token(landing.text), "consent": "yes", "code": code, "_lang": lang, "_easy": "0"},
    )


def finish(client, page):
    page = post(client, page, PAGE_1)
    page = post(client, page, {"merge_municipalities": "neutral"})
    page = post(client, page, PAGE_3)
    page = post(client, page, PAGE_4)
    return post(client, page, {})


def complete_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count(Response.id)).where(Response.status == "complete")) or 0)


def test_codes_are_stored_hashed_readable_and_counted(sessions, version) -> None:
    codes = panel(sessions, 3)
    assert len(set(codes)) == 3
    assert all(
        re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", c) for c in codes
    )
    assert normalise_code(codes[0].lower().replace("-", " ")) == codes[0].replace("-", "")
    with sessions() as session:
        stored = set(session.scalars(select(Invitation.code_hash)))
        assert stored == {hash_code(c) for c in codes}
        assert not any(c.replace("-", "") in h for c in codes for h in stored)
        counts = InvitationService(session).counts(ConsultationService(session).get(SLUG))
        assert (counts.issued, counts.started, counts.used) == (3, 0, 0)
        assert session.scalar(select(func.count()).where(AuditEntry.action == "issue_invitations")) == 1


def test_landing_asks_for_the_code_and_refuses_bad_ones(client, sessions, version) -> None:
    codes = panel(sessions)
    landing = client.get(f"/c/{SLUG}?code={codes[0]}", headers={"accept-language": "nl"})
    assert 'name="code"' in landing.text and f'value="{codes[0]}"' in landing.text
    assert "Uitnodigingscode" in landing.text
    missing = begin(client, "", lang="fr")
    assert missing.status_code == 403 and "Saisissez votre code" in missing.text
    unknown = begin(client, "AAAA-BBBB-CCCC", lang="en")
    assert unknown.status_code == 403 and "does not exist" in unknown.text
    assert 'aria-invalid="true"' in unknown.text and 'value="AAAA-BBBB-CCCC"' in unknown.text
    escaped = begin(client, "<b>x</b>")
    assert "<b>x</b>" not in escaped.text and "&lt;b&gt;x&lt;/b&gt;" in escaped.text
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 0


def test_one_code_one_response_through_the_pages(client, sessions, version) -> None:
    codes = panel(sessions)
    page = begin(client, codes[0].lower())
    assert page.status_code == 200 and "/p/1" in str(page.url)
    done = finish(client, page)
    assert "/thanks" in str(done.url)
    again = begin(client, codes[0])
    assert again.status_code == 403 and "already been used" in again.text
    assert complete_count(sessions) == 1
    with sessions() as session:
        used = session.scalars(select(Invitation).where(Invitation.code_hash == hash_code(codes[0]))).one()
        response = session.scalars(select(Response).where(Response.status == "complete")).one()
        assert used.used_at is not None and used.response_uuid == response.uuid


def test_starting_again_moves_the_claim_so_only_one_can_finish(client, sessions, version) -> None:
    codes = panel(sessions)
    first = begin(client, codes[1])
    second = begin(client, codes[1])
    assert first.status_code == second.status_code == 200
    assert finish(client, second).url.path.endswith("/thanks")
    stale = finish(client, first)
    assert stale.status_code == 403 and "already been used" in stale.text
    assert complete_count(sessions) == 1


def test_api_needs_a_valid_unused_code_and_replays_stay_idempotent(client, sessions, version) -> None:
    codes = panel(sessions)
    payload = {
        "uuid": str(uuid.uuid4()),
        "version_id": version.id,
        "language": "fr",
        "answers": valid_answers(),
    }
    without = client.post(API, json=payload)
    assert without.status_code == 403 and "needs an invitation code" in without.json()["detail"]
    wrong = client.post(API, json={**payload, "invitation_code": "ZZZZ-ZZZZ-ZZZZ"})
    assert wrong.status_code == 403 and "unknown" in wrong.json()["detail"]
    assert complete_count(sessions) == 0
    ok = client.post(API, json={**payload, "invitation_code": codes[0]})
    assert ok.status_code == 201, ok.text
    replay = client.post(API, json={**payload, "invitation_code": codes[0]})
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    other = {**payload, "uuid": str(uuid.uuid4()), "invitation_code": codes[0]}
    reused = client.post(API, json=other)
    assert reused.status_code == 403 and "already been used" in reused.json()["detail"]
    assert complete_count(sessions) == 1


def test_service_refuses_a_second_use_and_bad_counts(sessions, version) -> None:
    codes = panel(sessions)
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        service = InvitationService(session)
        service.use(consultation, codes[0], str(uuid.uuid4()))
        with pytest.raises(InvitationError, match="already been used"):
            service.use(consultation, codes[0], str(uuid.uuid4()))
        with pytest.raises(InvitationError, match="count must be"):
            service.issue(consultation, 0, actor="test")


def test_cli_issues_codes_with_links_and_reports_status(
    tmp_path: Path, database_url, sessions, version
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "survey", "invite"]
    closed = subprocess.run([*command, "require", SLUG], env=env, capture_output=True, text=True, check=False)
    assert closed.returncode == 0, closed.stderr
    out = tmp_path / "codes.csv"
    made = subprocess.run(
        [*command, "create", SLUG, "--count", "5", "--out", str(out), "--base-url", "https://consult.example/"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 5 and rows[0]["link"] == f"https://consult.example/c/{SLUG}?code={rows[0]['code']}"
    again = subprocess.run(
        [*command, "create", SLUG, "--count", "5", "--out", str(out)], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert again.returncode == 2 and "--out" in again.stderr and "Traceback" not in again.stderr
    status = subprocess.run([*command, "status", SLUG], env=env, capture_output=True, text=True, check=False)
    assert "invitation only; issued 5, started 0, used 0" in status.stdout
    unknown = subprocess.run(
        [*command, "status", "nope"], env=env, capture_output=True, text=True, check=False
    )
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    with sessions() as session:
        assert session.scalar(select(func.count(Invitation.id))) == 5
