"""Supervisor unlock codes: one per consultation, kept and handed to tablets only as a slow hash.

Why: a field team works without network for days. When an interviewer has typed too many wrong
PINs, the password (online) is the usual way back; the supervisor's code is the offline one. The
tablet gets the salted PBKDF2 hash with its assignments and checks a typed code itself, so the
code never travels and a stolen tablet yields only a hash that is slow to guess. A new code
replaces the old one on the tablets at their next sync.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.schemas import SupervisorHash
from survey.questionnaire.validation import FieldError
from survey.store.errors import InvalidAnswersError
from survey.store.models import Consultation, FieldSupervisorCode, utcnow
from survey.store.services.audit import record

ITERATIONS = 200_000  # PBKDF2-SHA256: about 0.1 s on a tablet, slow for whoever guesses offline
MIN_LENGTH = 8
_SPACES = re.compile(r"[\s-]+")


def normalise_code(code: str) -> str:
    """What is hashed: the code without spaces or dashes (typed as read: ``1234 5678 9012``)."""
    return _SPACES.sub("", code)


def new_code() -> str:
    """A random code of 12 digits, in groups of four (digits: the tablet's number pad)."""
    digits = "".join(secrets.choice("0123456789") for _ in range(12))
    return " ".join(digits[i : i + 4] for i in range(0, 12, 4))


def code_hash(code: str, salt: str, iterations: int = ITERATIONS) -> str:
    """Hex PBKDF2-SHA256 of the normalised code, as the tablet computes it with WebCrypto."""
    raw = hashlib.pbkdf2_hmac("sha256", normalise_code(code).encode(), salt.encode(), iterations)
    return raw.hex()


def set_code(session: Session, consultation: Consultation, code: str, *, actor: str) -> FieldSupervisorCode:
    """Set or rotate the consultation's code (at least 8 letters or digits, spaces ignored)."""
    plain = normalise_code(code)
    if len(plain) < MIN_LENGTH or len(plain) > 64 or not plain.isalnum():
        why = f"{MIN_LENGTH} to 64 letters or digits (spaces and dashes are ignored)"
        raise InvalidAnswersError([FieldError("code", "invalid_value", why)])
    salt = secrets.token_hex(16)
    row = session.get(FieldSupervisorCode, consultation.id)
    if row is None:
        row = FieldSupervisorCode(consultation_id=consultation.id)
        session.add(row)
    row.salt, row.iterations, row.hash = salt, ITERATIONS, code_hash(plain, salt)
    row.set_by, row.set_at = actor[:150], utcnow()
    session.flush()
    record(
        session, actor=actor, action="set_supervisor_code", entity="consultation", entity_id=consultation.id
    )
    return row


def hashes(session: Session, consultation_ids: list[int]) -> dict[int, SupervisorHash]:
    """What the tablets get for these consultations: salt, iterations and hash, never the code."""
    if not consultation_ids:
        return {}
    rows = session.scalars(
        select(FieldSupervisorCode).where(FieldSupervisorCode.consultation_id.in_(consultation_ids))
    )
    return {
        r.consultation_id: SupervisorHash(salt=r.salt, iterations=r.iterations, hash=r.hash, set_at=r.set_at)
        for r in rows
    }
