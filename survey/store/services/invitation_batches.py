"""Invitation batches issued from the console: codes downloaded once as CSV and once as letters.

Why codes are derived, not drawn by chance: the browser asks for its CSV (or PDF) after the codes
were issued, and the store keeps only their hashes. Each code of a console batch is the HMAC of the
server's secret, the batch's random nonce and the code's position, so the server can rebuild the
batch for its one download and check every rebuilt code against the stored hashes (a changed
secret is then refused with a clear message, never a file of codes that do not work). Whether a
format was already downloaded is written into the rows' ``batch`` label by one conditional UPDATE,
so two simultaneous downloads cannot both succeed, on SQLite and PostgreSQL alike.

Label format in the ``batch`` column: ``<label>#<nonce><flags>``, flags ``c`` (CSV taken) and
``p`` (letters taken). Batches issued by ``survey invite create`` have no ``#`` and no download:
the command wrote their codes to a file when it issued them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from survey.store.errors import InvitationError, StoreError
from survey.store.models import Consultation, Invitation
from survey.store.services.audit import record
from survey.store.services.invitations import ALPHABET, InvitationService, hash_code

MAX_LABEL = 60
_NONCE_LENGTH = 10


class DownloadFormat(StrEnum):
    """The two ways a batch leaves the server, each once."""

    CSV = "c"
    LETTERS = "p"


class DownloadRefusedError(StoreError):
    """The batch was already downloaded in this format, is unknown, or cannot be rebuilt."""


@dataclass(frozen=True)
class BatchSummary:
    """One batch as the console lists it."""

    nonce: str  # empty for a CLI batch
    label: str
    issued: int
    started: int
    used: int
    created_at: dt.datetime
    csv_taken: bool
    letters_taken: bool


def _split(stored: str) -> tuple[str, str, str]:
    """``(label, nonce, flags)`` of a stored batch value; a CLI batch has no nonce."""
    label, sep, rest = stored.rpartition("#")
    if not sep or len(rest) < _NONCE_LENGTH:
        return stored, "", ""
    return label, rest[:_NONCE_LENGTH], rest[_NONCE_LENGTH:]


def derived_code(secret: str, consultation_id: int, nonce: str, index: int) -> str:
    """The ``index``-th code of a batch: 60 bits of an HMAC, in the invitation alphabet."""
    digest = hmac.new(
        secret.encode(), f"invitation|{consultation_id}|{nonce}|{index}".encode(), hashlib.sha256
    )
    number = int.from_bytes(digest.digest()[:8], "big") >> 4  # 60 bits
    chars = "".join(ALPHABET[(number >> (5 * k)) & 31] for k in range(12))
    return "-".join(chars[g : g + 4] for g in (0, 4, 8))


def issue_batch(
    session: Session, consultation: Consultation, count: int, label: str, *, secret: str, actor: str
) -> str:
    """Issue ``count`` derived codes under ``label``; returns the batch's nonce (its download key)."""
    label = label.strip()
    if len(label) > MAX_LABEL or "#" in label or "\x00" in label:
        raise InvitationError(f"label: at most {MAX_LABEL} characters, without '#'", "label")
    nonce = "".join(secrets.choice(ALPHABET) for _ in range(_NONCE_LENGTH))
    InvitationService(session).issue(
        consultation,
        count,
        batch=f"{label}#{nonce}",
        actor=actor,
        make_code=lambda i: derived_code(secret, consultation.id, nonce, i),
    )
    return nonce


def batches(session: Session, consultation: Consultation) -> list[BatchSummary]:
    """Every batch of the consultation, newest first, with issued / started / used counts."""
    rows = session.execute(
        select(
            Invitation.batch,
            func.count(Invitation.id),
            func.count(Invitation.response_uuid),
            func.count(Invitation.used_at),
            func.min(Invitation.created_at),
        )
        .where(Invitation.consultation_id == consultation.id)
        .group_by(Invitation.batch)
    ).all()
    found = []
    for stored, issued, claimed, used, created in rows:
        label, nonce, flags = _split(stored)
        found.append(
            BatchSummary(
                nonce=nonce,
                label=label,
                issued=int(issued),
                started=int(claimed) - int(used),
                used=int(used),
                created_at=created,
                csv_taken=DownloadFormat.CSV in flags,
                letters_taken=DownloadFormat.LETTERS in flags,
            )
        )
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def take_batch(
    session: Session,
    consultation: Consultation,
    nonce: str,
    form: DownloadFormat,
    *,
    secret: str,
    actor: str,
) -> tuple[str, list[str]]:
    """The batch's label and codes in clear, once per format; every later call is refused."""
    if len(nonce) != _NONCE_LENGTH or any(c not in ALPHABET for c in nonce):
        raise DownloadRefusedError("no such batch of invitation codes")
    stored = session.scalar(
        select(Invitation.batch)
        .where(Invitation.consultation_id == consultation.id, Invitation.batch.contains(f"#{nonce}"))
        .limit(1)
    )
    if stored is None:
        raise DownloadRefusedError("no such batch of invitation codes")
    label, _, flags = _split(stored)
    if form in flags:
        raise DownloadRefusedError("these codes were already downloaded in this format: issue a new batch")
    marked = f"{label}#{nonce}{''.join(sorted(flags + form))}"
    taken = session.execute(
        update(Invitation)
        .where(Invitation.consultation_id == consultation.id, Invitation.batch == stored)
        .values(batch=marked)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        raise DownloadRefusedError("these codes were downloaded at this very moment by someone else")
    hashes = set(
        session.scalars(
            select(Invitation.code_hash).where(
                Invitation.consultation_id == consultation.id, Invitation.batch == marked
            )
        )
    )
    codes = [derived_code(secret, consultation.id, nonce, i) for i in range(len(hashes))]
    if {hash_code(c) for c in codes} != hashes:
        raise DownloadRefusedError(
            "these codes cannot be rebuilt: the server's secret key changed since they were issued; "
            "issue a new batch"
        )
    record(session, actor=actor, action="download_invitations", entity="consultation",
           entity_id=consultation.id, details={"batch": label, "format": form.name.lower()})  # fmt: skip
    return label, codes


class InvitationBatchService:
    """Batches of invitation codes as the console issues, lists and hands them out."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, consultation: Consultation, count: int, label: str, *, secret: str, actor: str) -> str:
        """See :func:`issue_batch`."""
        return issue_batch(self.session, consultation, count, label, secret=secret, actor=actor)

    def batches(self, consultation: Consultation) -> list[BatchSummary]:
        """See :func:`batches`."""
        return batches(self.session, consultation)

    def take(
        self, consultation: Consultation, nonce: str, form: DownloadFormat, *, secret: str, actor: str
    ) -> tuple[str, list[str]]:
        """See :func:`take_batch`."""
        return take_batch(self.session, consultation, nonce, form, secret=secret, actor=actor)
