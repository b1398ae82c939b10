"""Invitation codes: issue them, let each one carry exactly one complete response.

A recruited panel gets one code per person (on a letter, with a QR code of the link). A code is
*claimed* by the unfinished response that started with it, so the holder can save and resume, and
*used* when that response is complete. Both steps are single conditional UPDATEs, so two browsers
racing with the same code cannot both finish: the database decides, on SQLite and PostgreSQL alike.
Starting again with a code whose response is still unfinished moves the claim to the new response;
the old unfinished one can then no longer be completed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from survey.store.errors import InvitationError
from survey.store.models import Consultation, Invitation, utcnow
from survey.store.services.audit import record

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed from paper is not mistaken.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP_LENGTH = 3, 4  # 60 bits: guessing one of a million issued codes takes ~10^12 tries
MAX_BATCH = 100_000
_LOOKALIKES = str.maketrans("OIL", "011")


def normalise_code(code: str) -> str:
    """Upper case without spaces or dashes; O read as 0, I and L as 1, as people type them."""
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    return cleaned.translate(_LOOKALIKES)


def hash_code(code: str) -> str:
    """What is stored for a code: the SHA-256 of its normal form."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def _new_code() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS))
    return "-".join(groups)


@dataclass(frozen=True)
class InvitationCounts:
    """How far a panel has got: issued codes, claimed by an unfinished response, used."""

    issued: int
    started: int
    used: int


class InvitationService:
    """Issue, claim and use invitation codes of one consultation."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(
        self,
        consultation: Consultation,
        count: int,
        *,
        batch: str = "",
        actor: str,
        make_code: Callable[[int], str] | None = None,
    ) -> list[str]:
        """New codes, returned once in clear: only their hashes are kept.

        ``make_code(i)`` draws the i-th code instead of chance (the console's download-once batches).
        """
        if not 1 <= count <= MAX_BATCH:
            raise InvitationError(f"count must be between 1 and {MAX_BATCH}, got {count}", "count")
        codes = [make_code(i) if make_code else _new_code() for i in range(count)]
        now = utcnow()
        self.session.execute(
            insert(Invitation),
            [
                {
                    "consultation_id": consultation.id,
                    "code_hash": hash_code(c),
                    "batch": batch,
                    "created_at": now,
                }
                for c in codes
            ],
        )
        record(self.session, actor=actor, action="issue_invitations", entity="consultation",
               entity_id=consultation.id, details={"count": count, "batch": batch})  # fmt: skip
        return codes

    def check(self, consultation: Consultation, code: str | None) -> Invitation:
        """The invitation behind a code, or an error that says what is wrong with it."""
        if not code or not code.strip():
            raise InvitationError("this consultation needs an invitation code", "missing")
        found = self.session.scalar(
            select(Invitation).where(
                Invitation.code_hash == hash_code(code), Invitation.consultation_id == consultation.id
            )
        )
        if found is None:
            raise InvitationError("unknown invitation code")
        if found.used_at is not None:
            raise InvitationError("this invitation code has already been used", "used")
        return found

    def claim(self, consultation: Consultation, code: str | None, response_uuid: str) -> None:
        """Bind an unused code to the unfinished response that starts with it."""
        invitation = self.check(consultation, code)
        claimed = self.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
            .values(response_uuid=response_uuid)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise InvitationError("this invitation code has already been used", "used")

    def use_claimed(self, response_uuid: str) -> None:
        """Mark the code claimed by this response as used; refused if the claim moved or was used."""
        used = self.session.execute(
            update(Invitation)
            .where(Invitation.response_uuid == response_uuid, Invitation.used_at.is_(None))
            .values(used_at=utcnow())
        )
        if used.rowcount != 1:  # type: ignore[attr-defined]
            raise InvitationError("this invitation code has been used for another response", "used")

    def use(self, consultation: Consultation, code: str | None, response_uuid: str) -> None:
        """Claim and use in one step, for clients that send a complete response at once (JSON API)."""
        invitation = self.check(consultation, code)
        used = self.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
            .values(response_uuid=response_uuid, used_at=utcnow())
        )
        if used.rowcount != 1:  # type: ignore[attr-defined]
            raise InvitationError("this invitation code has already been used", "used")

    def counts(self, consultation: Consultation) -> InvitationCounts:
        row = self.session.execute(
            select(
                func.count(Invitation.id),
                func.count(Invitation.response_uuid),
                func.count(Invitation.used_at),
            ).where(Invitation.consultation_id == consultation.id)
        ).one()
        issued, claimed, used = (int(v) for v in row)
        return InvitationCounts(issued=issued, started=claimed - used, used=used)

    def set_required(self, consultation: Consultation, required: bool, *, actor: str) -> None:
        """Open the public link, or close it to invited respondents only."""
        consultation.invitation_only = required
        self.session.flush()
        record(self.session, actor=actor, action="invitation_only" if required else "open_link",
               entity="consultation", entity_id=consultation.id)  # fmt: skip
