"""``survey erase`` and ``survey purge`` (issue #14): a person's answers go, an audit line without
content stays, later analyses no longer see them; unfinished responses expire.

Run on SQLite and PostgreSQL through the real command line, progress service and sync endpoint.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuid_lib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.analyst.services import load_context
from survey.cli.main import app
from survey.store.db import transaction
from survey.store.models import (
    Answer,
    AuditEntry,
    FieldManifestEntry,
    FieldReceipt,
    Invitation,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
)
from survey.store.services.consultations import ConsultationService
from survey.store.services.invitations import InvitationService
from survey.store.services.progress import ProgressService
from tests.field_app.conftest import SLUG, FieldEnv, login
from tests.field_app.test_api import interview, sync

runner = CliRunner()
SECRET = "my neighbour is Jan Peeters, 12 rue Haute"
ANSWERS = {"sex": "F", "age": 40, "votes": "yes", "comment": SECRET}


def survey(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--database-url", database_url])
    return result.exit_code, result.output


def _online(
    sessions: sessionmaker[Session], env: FieldEnv, *, finish: bool = True, code: str | None = None
) -> tuple[str, str]:
    """A citizen's response through the progress service: (uuid, resume token)."""
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, env.version_id)
        assert version is not None
        store = ProgressService(session)
        response, token = store.start(version, "en", False)
        uuid = response.uuid
        consultation = ConsultationService(session).get(env.slug)
        if code:
            InvitationService(session).claim(consultation, code, uuid)
        if finish:
            store.complete(response, version, ANSWERS, "en", False)
            if code:
                InvitationService(session).use_claimed(uuid)
    return uuid, token


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _audit(sessions: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _data_hash(sessions: sessionmaker[Session]) -> tuple[str, set[str]]:
    with sessions() as session:
        context = load_context(session, SLUG)
    return context.data_hash(), set(context.frame["uuid"])


def test_erase_by_resume_link_leaves_an_audit_line_without_content(
    sessions, database_url: str, field_env: FieldEnv
) -> None:
    kept, _ = _online(sessions, field_env)
    gone, token = _online(sessions, field_env)
    before, uuids = _data_hash(sessions)
    assert uuids == {kept, gone}
    code, output = survey(
        database_url, "erase", "--resume-token", f"https://x.example/c/{SLUG}/r/{token}/p/2"
    )
    assert code == 0, output
    assert "erased 1 response(s)" in output and gone in output
    after, uuids = _data_hash(sessions)
    assert uuids == {kept} and after != before  # a snapshot frozen now names other data
    (entry,) = _audit(sessions, "erase")
    details = json.dumps(entry.details)
    assert gone in details and SECRET not in details and "Peeters" not in details
    assert entry.details["by"] == "resume_token" and entry.details["answers"] == 4
    with sessions() as session:
        assert session.scalar(select(func.count(Answer.response_id))) == 4  # the other person's


def test_erase_by_invitation_code_keeps_the_code_used_but_unlinked(
    sessions, database_url: str, field_env: FieldEnv
) -> None:
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        (issued,) = InvitationService(session).issue(consultation, 1, actor="test")
    uuid, _ = _online(sessions, field_env, code=issued)
    typed = issued.replace("-", "").lower()  # as people type it
    code, output = survey(database_url, "erase", "--invitation-code", typed)
    assert code == 0, output
    assert _count(sessions, Response) == 0 and uuid in output
    with sessions() as session:
        invitation = session.scalar(select(Invitation))
        assert invitation is not None and invitation.response_uuid is None and invitation.used_at is not None
    code, output = survey(database_url, "erase", "--invitation-code", typed)
    assert code == 2 and "no response found" in output


def test_erase_by_response_id_takes_the_correction_chain_receipts_notes_and_manifests(
    client, sessions, database_url: str, field_env: FieldEnv
) -> None:
    token = login(client)["token"]
    original = interview(field_env, answers=ANSWERS, note=SECRET)
    correction = interview(field_env, answers={**ANSWERS, "sex": "M"}, replaces_uuid=original["uuid"])
    other = interview(field_env)
    manifest = [{"uuid": i["uuid"], "client_hash": i["client_hash"]} for i in (original, correction, other)]
    results = sync(client, token, [original, correction, other], manifest=manifest).json()["results"]
    assert [r["status"] for r in results] == ["stored"] * 3
    with sessions() as session:
        response_id = session.scalar(select(Response.id).where(Response.uuid == original["uuid"]))
    code, output = survey(database_url, "erase", "--response", str(response_id))
    assert code == 0, output
    assert "erased 2 response(s)" in output and "2 field receipt(s), 2 tablet manifest line(s)" in output
    with sessions() as session:
        assert set(session.scalars(select(Response.uuid))) == {other["uuid"]}
        assert set(session.scalars(select(FieldReceipt.uuid))) == {other["uuid"]}
        assert SECRET not in "".join(session.scalars(select(FieldReceipt.note)))
        assert set(session.scalars(select(FieldManifestEntry.uuid))) == {other["uuid"]}
    replay = sync(client, token, [original, correction, other]).json()["results"]  # the ack was lost
    assert [r["status"] for r in replay] == ["invalid", "invalid", "duplicate"]
    assert "erased at its respondent's request" in replay[0]["detail"]
    with sessions() as session:
        assert set(session.scalars(select(Response.uuid))) == {other["uuid"]}


def test_dry_run_and_bad_requests_change_nothing(sessions, database_url: str, field_env: FieldEnv) -> None:
    uuid, _ = _online(sessions, field_env)
    code, output = survey(database_url, "erase", "--response", uuid, "--dry-run")
    assert code == 0 and "would erase 1 response(s)" in output
    assert _count(sessions, Response) == 1 and _audit(sessions, "erase") == []
    for args in (
        ["erase"],
        ["erase", "--response", "1", "--resume-token", "abc"],
        ["erase", "--response", "not-an-id"],
        ["erase", "--response", "99999999999999999999"],
        ["erase", "--resume-token", "no-such-token"],
        ["purge", "--older-than", "-1"],
    ):
        code, output = survey(database_url, *args)
        assert code == 2, (args, output)
        assert output.startswith("error:") and "Traceback" not in output
    assert _count(sessions, Response) == 1


def test_purge_removes_only_old_unfinished_responses_and_releases_their_codes(
    sessions, database_url: str, field_env: FieldEnv
) -> None:
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        (issued,) = InvitationService(session).issue(consultation, 1, actor="test")
    stale, _ = _online(sessions, field_env, finish=False, code=issued)
    recent, _ = _online(sessions, field_env, finish=False)
    finished, _ = _online(sessions, field_env)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    with transaction(sessions) as session:
        session.execute(update(Response).where(Response.uuid.in_([stale, finished])).values(received_at=old))
    code, output = survey(database_url, "purge", "--older-than", "30", "--dry-run")
    assert code == 0 and "would purge 1 unfinished response(s)" in output and _count(sessions, Response) == 3
    code, output = survey(database_url, "purge", "--older-than", "30")
    assert (
        code == 0
        and "purged 1 unfinished response(s)" in output
        and "1 invitation code(s) released" in output
    )
    with sessions() as session:
        assert set(session.scalars(select(Response.uuid))) == {recent, finished}
        statuses = set(session.scalars(select(Response.status)))
        assert statuses == {ResponseStatus.IN_PROGRESS.value, ResponseStatus.COMPLETE.value}
        invitation = session.scalar(select(Invitation))
        assert invitation is not None and invitation.response_uuid is None and invitation.used_at is None
    (entry,) = _audit(sessions, "purge_unfinished")
    assert entry.details["responses"] == 1 and entry.details["older_than_days"] == 30
    assert str(uuid_lib.UUID(stale)) not in json.dumps(entry.details)
