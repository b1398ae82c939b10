"""Erasure and retention: a person's answers removed on request, unfinished responses purged.

Why here: a respondent who asks to be forgotten (GDPR art. 17) is found by what they hold, not by
name (the store has none): the resume link's token, their invitation code, or the response id an
organiser gives. Everything stored from them goes: the response, its answers, a correction chain it
belongs to (the same person's answers, corrected), the field receipt (with the interviewer's note),
the tablets' manifest lines and any refused resubmission kept under the same UUID (field_conflicts). An audit line says that an erasure happened, how it was asked
for and which response identifiers went, never any answer; the identifiers are also kept in
``erased_responses`` so that a tablet sending the interview again is refused instead of restoring it. The
photos, recordings and files the person gave (``attachments``) go with the answers.

Analyses and snapshots frozen afterwards no longer include the person; a snapshot frozen before holds
aggregates only (no row, no free text) and is left as published.

The field tables are named here as plain tables (not through ``field_app``'s models) because the store
must not import the field app; the migrations create them with every schema.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import CursorResult, Executable, column, delete, or_, select, table, update
from sqlalchemy.orm import Session

from survey.store.bounds import id_in_range
from survey.store.errors import NotFoundError, StoreError
from survey.store.models import Answer, ErasedResponse, Invitation, Response, ResponseStatus, utcnow
from survey.store.services.attachments import delete_attachments
from survey.store.services.audit import record
from survey.store.services.invitations import hash_code
from survey.store.tokens import hash_token

__all__ = ["Erased", "Purged", "erase", "find_responses", "purge_unfinished"]

By = Literal["resume_token", "invitation_code", "response"]
_RECEIPTS = table("field_receipts", column("uuid"))
_MANIFESTS = table("field_manifest_entries", column("uuid"))
_CONFLICTS = table("field_conflicts", column("uuid"))
_IN_CHUNK = 500  # bound IN lists (SQLite caps bound parameters)
MAX_DAYS = 36_500


@dataclass(frozen=True)
class Erased:
    """What one erasure removed (counts and identifiers only)."""

    by: By
    uuids: tuple[str, ...]
    answers: int
    receipts: int
    manifest_lines: int


@dataclass(frozen=True)
class Purged:
    """Unfinished responses removed for being older than the retention period."""

    cutoff: dt.datetime
    responses: int
    answers: int
    released_codes: int


def _rows(session: Session, statement: Executable) -> int:
    """Rows a DELETE or UPDATE touched."""
    return int(cast("CursorResult[Any]", session.execute(statement)).rowcount)


def _starting_points(session: Session, by: By, value: str) -> list[Response]:
    value = value.strip()
    if not value or len(value) > 200:
        raise StoreError(f"{by.replace('_', ' ')}: empty or too long")
    if by == "resume_token":
        if "/r/" in value:  # the whole resume link was pasted: /c/<slug>/r/<token>[/p/<n>]
            value = value.split("/r/", 1)[1].split("/", 1)[0].split("?", 1)[0]
        query = select(Response).where(Response.resume_token_hash == hash_token(value))
    elif by == "invitation_code":
        used = select(Invitation.response_uuid).where(Invitation.code_hash == hash_code(value))
        query = select(Response).where(Response.uuid.in_(used.scalar_subquery()))
    elif value.isdigit():
        if not id_in_range(int(value)):
            raise StoreError("response: no such response id")
        query = select(Response).where(Response.id == int(value))
    else:
        try:
            query = select(Response).where(Response.uuid == str(uuid_lib.UUID(value)))
        except ValueError:
            raise StoreError("response: give a response id (a number) or its UUID") from None
    return list(session.scalars(query))


def find_responses(session: Session, by: By, value: str) -> list[Response]:
    """The response named, with every response of its correction chain (corrections and originals)."""
    found = {r.uuid: r for r in _starting_points(session, by, value)}
    if not found:
        raise NotFoundError(f"no response found for that {by.replace('_', ' ')}")
    frontier = set(found)
    while frontier:
        linked = session.scalars(
            select(Response).where(
                or_(
                    Response.replaces_uuid.in_(sorted(frontier)),
                    Response.uuid.in_(
                        sorted({r.replaces_uuid for r in found.values() if r.replaces_uuid} - set(found))
                    ),
                )
            )
        ).all()
        frontier = {r.uuid for r in linked} - set(found)
        found.update((r.uuid, r) for r in linked)
    return sorted(found.values(), key=lambda r: r.id)


def _delete_responses(session: Session, responses: list[Response]) -> tuple[int, int, int]:
    """Answers, attachments, receipts, manifest lines and kept resubmissions, then the responses;
    returns the counts of answers, receipts and manifest lines."""
    ids, uuids = [r.id for r in responses], [r.uuid for r in responses]
    answers = receipts = manifests = 0
    for start in range(0, len(ids), _IN_CHUNK):
        chunk_ids, chunk_uuids = ids[start : start + _IN_CHUNK], uuids[start : start + _IN_CHUNK]
        answers += _rows(session, delete(Answer).where(Answer.response_id.in_(chunk_ids)))
        receipts += _rows(session, delete(_RECEIPTS).where(_RECEIPTS.c.uuid.in_(chunk_uuids)))
        manifests += _rows(session, delete(_MANIFESTS).where(_MANIFESTS.c.uuid.in_(chunk_uuids)))
        session.execute(delete(_CONFLICTS).where(_CONFLICTS.c.uuid.in_(chunk_uuids)))
        delete_attachments(session, chunk_uuids)
        session.execute(
            update(Invitation).where(Invitation.response_uuid.in_(chunk_uuids)).values(response_uuid=None)
        )
        session.execute(delete(Response).where(Response.id.in_(chunk_ids)))
    session.expunge_all()
    return answers, receipts, manifests


def _tombstones(session: Session, uuids: tuple[str, ...]) -> None:
    """Remember the erased UUIDs (nothing else), so a tablet's replay is refused, not stored anew."""
    held = set(session.scalars(select(ErasedResponse.uuid).where(ErasedResponse.uuid.in_(uuids))))
    session.add_all(ErasedResponse(uuid=uuid) for uuid in uuids if uuid not in held)
    session.flush()


def erase(session: Session, by: By, value: str, *, actor: str) -> Erased:
    """Remove everything stored from the person the token, code or response id leads to.

    An invitation code stays used (it cannot give a second response) but no longer points at
    anything. Raises NotFoundError when nothing matches, so a typo is never reported as done.
    """
    responses = find_responses(session, by, value)
    uuids = tuple(r.uuid for r in responses)
    consultations = sorted({r.consultation_id for r in responses})
    answers, receipts, manifests = _delete_responses(session, responses)
    _tombstones(session, uuids)
    record(session, actor=actor, action="erase", entity="response", entity_id=",".join(uuids)[:80],
           details={"by": by, "uuids": list(uuids), "consultations": consultations, "answers": answers,
                    "field_receipts": receipts, "manifest_lines": manifests})  # fmt: skip
    return Erased(by, uuids, answers, receipts, manifests)


def purge_unfinished(
    session: Session, older_than_days: int, *, actor: str, now: dt.datetime | None = None
) -> Purged:
    """Delete unfinished responses not saved for ``older_than_days`` days; their invitation codes are
    released (a code only counts as used once its response is complete)."""
    if not 0 <= older_than_days <= MAX_DAYS:
        raise StoreError(f"--older-than: a number of days between 0 and {MAX_DAYS}")
    cutoff = (now or utcnow()) - dt.timedelta(days=older_than_days)
    stale = list(
        session.scalars(
            select(Response).where(
                Response.status == ResponseStatus.IN_PROGRESS.value, Response.received_at < cutoff
            )
        )
    )
    uuids = [r.uuid for r in stale]
    released = 0
    for start in range(0, len(uuids), _IN_CHUNK):
        chunk = uuids[start : start + _IN_CHUNK]
        released += _rows(
            session,
            update(Invitation)
            .where(Invitation.response_uuid.in_(chunk), Invitation.used_at.is_(None))
            .values(response_uuid=None),
        )
    answers, _, _ = _delete_responses(session, stale)
    record(session, actor=actor, action="purge_unfinished", entity="response", entity_id=str(len(stale)),
           details={"older_than_days": older_than_days, "cutoff": cutoff.isoformat(),
                    "responses": len(stale), "answers": answers, "released_codes": released})  # fmt: skip
    return Purged(cutoff, len(stale), answers, released)
