"""The services under the console's people, audit, invitation and target pages, on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from survey.cli.main import app as cli
from survey.store.db import transaction
from survey.store.errors import StoreError
from survey.store.models import AuditEntry, Invitation, Role, StaffSession, User
from survey.store.services.audit import AuditFilter, audit_page
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitation_batches import (
    DownloadFormat,
    DownloadRefusedError,
    batches,
    derived_code,
    issue_batch,
    take_batch,
)
from survey.store.services.invitations import InvitationService, hash_code
from survey.store.services.password_reset import (
    RESET_SECONDS,
    ResetLinkError,
    issue_reset_link,
    redeem_reset_link,
    reset_link_user,
)
from survey.store.services.population_targets import PopulationError, margins_of
from survey.store.services.users import UserService

SECRET = "test-secret-key-0123456789"


def _user(sessions, name: str = "ana", role: Role = Role.ANALYST) -> int:
    with transaction(sessions) as session:
        return UserService(session).create(name, "correct horse", role, actor="test").id


def _session_of(sessions, user_id: int) -> None:
    with transaction(sessions) as session:
        session.add(
            StaffSession(id_hash=f"h{user_id}{time.time_ns()}", user_id=user_id,
                         expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        )  # fmt: skip


def test_a_reset_link_works_once_ends_sessions_and_is_audited(sessions) -> None:
    uid = _user(sessions)
    _session_of(sessions, uid)
    with transaction(sessions) as session:
        link = issue_reset_link(session, "ana", secret=SECRET, actor="boss")
    with transaction(sessions) as session:
        assert reset_link_user(session, link.token, secret=SECRET).id == uid
        redeem_reset_link(session, link.token, "a new secret", secret=SECRET)
    with transaction(sessions) as session:
        assert UserService(session).authenticate("ana", "a new secret").id == uid
        assert session.scalars(select(StaffSession).where(StaffSession.user_id == uid)).all() == []
        with pytest.raises(ResetLinkError, match="already used"):
            redeem_reset_link(session, link.token, "yet another one", secret=SECRET)
        actions = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.entity == "user"))]
        assert actions == ["create", "reset_link", "set_password"]


def test_a_reset_link_expires_and_cannot_be_forged(sessions) -> None:
    _user(sessions)
    with transaction(sessions) as session:
        link = issue_reset_link(session, "ana", secret=SECRET, actor="boss", now=1_000_000.0)
        assert link.expires == 1_000_000 + RESET_SECONDS
        with pytest.raises(ResetLinkError, match="expired"):
            reset_link_user(session, link.token, secret=SECRET, now=1_000_000.0 + RESET_SECONDS + 1)
        with pytest.raises(ResetLinkError):
            reset_link_user(session, link.token, secret="another-secret", now=1_000_000.0)
        for bad in ("", "x", "é.ü", link.token + "A", "eyJ1aWQiOjF9.abc"):
            with pytest.raises(ResetLinkError):
                reset_link_user(session, bad, secret=SECRET, now=1_000_000.0)


def test_disabling_ends_sessions_and_blocks_sign_in_and_reset(sessions) -> None:
    uid = _user(sessions)
    _session_of(sessions, uid)
    with transaction(sessions) as session:
        link = issue_reset_link(session, "ana", secret=SECRET, actor="boss")
        UserService(session).set_active("ana", False, actor="boss")
    with transaction(sessions) as session:
        assert session.scalars(select(StaffSession).where(StaffSession.user_id == uid)).all() == []
        assert session.get(User, uid).active is False
        with pytest.raises(ResetLinkError, match="disabled"):
            reset_link_user(session, link.token, secret=SECRET)
        with pytest.raises(StoreError, match="disabled"):
            issue_reset_link(session, "ana", secret=SECRET, actor="boss")
        UserService(session).set_active("ana", True, actor="boss")
    with sessions() as session:
        assert UserService(session).authenticate("ana", "correct horse").id == uid


def test_console_batches_download_once_per_format_and_match_the_stored_hashes(sessions) -> None:
    with transaction(sessions) as session:
        consultation = ConsultationService(session).create("panel", {"en": "Panel"}, actor="test")
        nonce = issue_batch(session, consultation, 5, "wave 1", secret=SECRET, actor="boss")
        InvitationService(session).issue(consultation, 2, batch="cli", actor="cli")
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get("panel")
        label, codes = take_batch(
            session, consultation, nonce, DownloadFormat.CSV, secret=SECRET, actor="boss"
        )
        assert label == "wave 1" and len(set(codes)) == 5
        stored = set(session.scalars(select(Invitation.code_hash)))
        assert {hash_code(c) for c in codes} <= stored and not any(c in str(stored) for c in codes)
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get("panel")
        with pytest.raises(DownloadRefusedError, match="already downloaded"):
            take_batch(session, consultation, nonce, DownloadFormat.CSV, secret=SECRET, actor="boss")
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get("panel")
        _, letters = take_batch(
            session, consultation, nonce, DownloadFormat.LETTERS, secret=SECRET, actor="boss"
        )
        assert letters == codes
        InvitationService(session).claim(consultation, codes[0], "00000000-0000-4000-8000-000000000001")
        summary = {b.label: b for b in batches(session, consultation)}
        assert summary["wave 1"].csv_taken and summary["wave 1"].letters_taken
        assert (summary["wave 1"].issued, summary["wave 1"].started, summary["wave 1"].used) == (5, 1, 0)
        assert summary["cli"].nonce == "" and summary["cli"].issued == 2
        downloads = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "download_invitations")
        ).all()
        assert [d.details["format"] for d in downloads] == ["csv", "letters"]


def test_a_batch_whose_secret_changed_is_refused_and_stays_downloadable(sessions) -> None:
    with transaction(sessions) as session:
        consultation = ConsultationService(session).create("panel", {"en": "Panel"}, actor="test")
        nonce = issue_batch(session, consultation, 3, "", secret=SECRET, actor="boss")
    for nonce_tried, secret, message in (
        (nonce, "rotated", "secret key changed"),
        ("ZZZZZZZZZZ", SECRET, "no such"),
    ):
        with pytest.raises(DownloadRefusedError, match=message), transaction(sessions) as session:
            consultation = ConsultationService(session).get("panel")
            take_batch(session, consultation, nonce_tried, DownloadFormat.CSV, secret=secret, actor="boss")
    with transaction(sessions) as session:  # the refusal marked nothing
        consultation = ConsultationService(session).get("panel")
        _, codes = take_batch(session, consultation, nonce, DownloadFormat.CSV, secret=SECRET, actor="boss")
        assert codes == [derived_code(SECRET, consultation.id, nonce, i) for i in range(3)]


def test_audit_pages_filter_by_actor_action_consultation_and_dates(sessions) -> None:
    with transaction(sessions) as session:
        service = ConsultationService(session)
        one = service.create("one", {"en": "One"}, actor="alice")
        two = service.create("two", {"en": "Two"}, actor="bob")
        for _ in range(3):
            InvitationService(session).set_required(one, True, actor="alice")
        InvitationService(session).set_required(two, True, actor="bob")
        UserService(session).create("carol", "correct horse", Role.ANALYST, actor="alice")
        ids = (one.id, two.id)
    with sessions() as session:
        everything = audit_page(session, AuditFilter(), size=100).entries
        assert len(everything) == 7
        by_alice = audit_page(session, AuditFilter(actor="alice"), size=100).entries
        assert {e.actor for e in by_alice} == {"alice"} and len(by_alice) == 5
        on_one = audit_page(session, AuditFilter(consultation_id=ids[0]), size=100).entries
        assert {e.entity_id for e in on_one} == {str(ids[0])} and len(on_one) == 4
        scoped = audit_page(session, AuditFilter(consultations=frozenset({ids[1]})), size=100).entries
        assert {e.entity_id for e in scoped} == {str(ids[1])} and all(
            e.entity == "consultation" for e in scoped
        )
        assert (
            audit_page(session, AuditFilter(action="invitation_only", actor="bob")).entries[0].actor == "bob"
        )
        today = dt.datetime.now(dt.UTC).date()
        assert len(audit_page(session, AuditFilter(since=today, until=today), size=100).entries) == 7
        assert audit_page(session, AuditFilter(until=today - dt.timedelta(days=1))).entries == []
        first, second = (
            audit_page(session, AuditFilter(), 1, size=4),
            audit_page(session, AuditFilter(), 2, size=4),
        )
        assert first.more and not second.more and len(second.entries) == 3
        assert not {e.id for e in first.entries} & {e.id for e in second.entries}


def test_population_margins_are_the_cli_rule_and_bad_tables_name_the_column(tmp_path: Path) -> None:
    table = tmp_path / "pop.csv"
    table.write_text("sex,age,count\nF,young,30\nF,old,20\nM,young,40\nM,old,10\n")
    shares, total = margins_of(table, ["sex", "sex:age"], shown="pop.csv")
    assert total == 100
    got = {(r.variable, r.category): round(r.share, 6) for r in shares.itertuples()}
    assert got == {("sex", "F"): 0.5, ("sex", "M"): 0.5, ("sex:age", "F:old"): 0.2, ("sex:age", "F:young"): 0.3,
                   ("sex:age", "M:old"): 0.1, ("sex:age", "M:young"): 0.4}  # fmt: skip
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(cli, ["targets", "from-population", str(table), "--variables", "sex,sex:age",
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open() as handle:
        cli_rows = {
            (r["variable"], r["category"]): round(float(r["share"]), 6) for r in csv.DictReader(handle)
        }
    assert cli_rows == got
    with pytest.raises(PopulationError, match="no column 'region'"):
        margins_of(table, ["region"], shown="pop.csv")
    (tmp_path / "gap.csv").write_text("sex,count\nF,3\n,4\n")
    with pytest.raises(PopulationError, match=r"gap\.csv: column 'sex' is empty at data row 2"):
        margins_of(tmp_path / "gap.csv", ["sex"], shown="gap.csv")
    (tmp_path / "zero.csv").write_text("sex,count\nF,0\nM,0\n")
    with pytest.raises(PopulationError, match="count"):
        margins_of(tmp_path / "zero.csv", ["sex"], shown="zero.csv")


def test_cli_user_reset_disable_and_role_use_the_same_services(
    sessions, database_url: str, monkeypatch
) -> None:
    _user(sessions, "ivan", Role.INTERVIEWER)
    runner = CliRunner()
    monkeypatch.delenv("SECRET_KEY", raising=False)
    refused = runner.invoke(cli, ["user", "reset", "ivan", "--database-url", database_url])
    assert refused.exit_code != 0 and "SECRET_KEY" in refused.output
    monkeypatch.setenv("SECRET_KEY", SECRET)
    printed = runner.invoke(cli, ["user", "reset", "ivan", "--base-url", "https://x.example",
                                  "--database-url", database_url])  # fmt: skip
    assert printed.exit_code == 0, printed.output
    link = printed.output.strip()
    assert link.startswith("https://x.example/console/reset/")
    with transaction(sessions) as session:
        redeem_reset_link(session, link.rsplit("/", 1)[1], "new password!", secret=SECRET)
    assert runner.invoke(cli, ["user", "disable", "ivan", "--database-url", database_url]).exit_code == 0
    assert runner.invoke(cli, ["user", "role", "ivan", "--role", "coordinator",
                               "--database-url", database_url]).exit_code == 0  # fmt: skip
    missing = runner.invoke(cli, ["user", "disable", "nobody", "--database-url", database_url])
    assert missing.exit_code != 0 and "nobody" in missing.output
    with sessions() as session:
        ivan = session.scalar(select(User).where(User.username == "ivan"))
        assert ivan is not None and not ivan.active and ivan.role == "coordinator"
        actions = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.actor == "cli"))]
        assert actions == ["reset_link", "disable", "set_role"]
