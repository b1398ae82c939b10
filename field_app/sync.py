"""Sync: store a batch of tablet items exactly once, with one result per item.

Idempotency rests on the client UUID: interviews go through ``ResponseService.submit`` (stored /
duplicate / conflict), contacts without interview through a unique receipt row. A failure of one
item never fails the batch; a server crash rolls back the whole request and the tablet simply
sends the same batch again, which then yields "duplicate" for anything that did get stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from field_app.models import FieldAssignment, FieldManifestEntry, FieldReceipt
from field_app.schemas import FieldErrorOut, ItemResult, ManifestEntry, SyncItem
from survey.store.errors import ConflictError, InvalidAnswersError
from survey.store.models import Consultation, Mode, QuestionnaireVersion, Response, utcnow
from survey.store.services.responses import ResponseService, Submission, normalise_uuid


@dataclass(frozen=True)
class Collector:
    """Who an item is attributed to: the device that uploaded it and its interviewer."""

    device_id: int
    interviewer_id: int


def assigned_consultations(session: Session, user_id: int) -> list[Consultation]:
    """Consultations an interviewer was assigned to, oldest first."""
    return list(
        session.scalars(
            select(Consultation)
            .join(FieldAssignment, FieldAssignment.consultation_id == Consultation.id)
            .where(FieldAssignment.user_id == user_id)
            .order_by(Consultation.id)
        )
    )


class SyncService:
    """Apply uploaded items for one collector; the caller owns the transaction."""

    def __init__(self, session: Session, collector: Collector) -> None:
        self.session = session
        self.collector = collector
        self.responses = ResponseService(session)
        self._allowed = {c.slug: c for c in assigned_consultations(session, collector.interviewer_id)}

    def apply(self, items: Iterable[SyncItem]) -> list[ItemResult]:
        return [self.apply_one(item) for item in items]

    def apply_one(self, item: SyncItem) -> ItemResult:
        try:
            uuid = normalise_uuid(item.uuid)
        except ValueError:
            return ItemResult(uuid=item.uuid, status="invalid", detail="uuid: not a UUID")
        consultation = self._allowed.get(item.consultation)
        if consultation is None:
            return ItemResult(
                uuid=uuid,
                status="invalid",
                detail=f"consultation '{item.consultation}' is not assigned to you",
            )
        if item.kind == "contact":
            return self._contact(uuid, item, consultation)
        return self._interview(uuid, item, consultation)

    def _interview(self, uuid: str, item: SyncItem, consultation: Consultation) -> ItemResult:
        version = self.session.get(QuestionnaireVersion, item.version_id) if item.version_id else None
        if version is None or version.consultation_id != consultation.id:
            return ItemResult(uuid=uuid, status="invalid", detail="version_id: unknown questionnaire version")
        if item.mode == "paper" and not (item.paper_form_number or "").strip():
            return ItemResult(uuid=uuid, status="invalid", detail="paper_form_number: required in paper mode")
        paper_number = (item.paper_form_number or "").strip() or None
        submission = Submission(
            uuid=uuid, version=version, mode=Mode(item.mode), language=item.language, answers=item.answers,
            easy_read=item.easy_read, interviewer_id=self.collector.interviewer_id,
            device_id=self.collector.device_id,
            paper_form_number=paper_number if item.mode == "paper" else None,
            replaces_uuid=item.replaces_uuid, started_at=item.started_at, submitted_at=item.submitted_at,
        )  # fmt: skip
        earlier = self._existing_receipt(uuid)
        if earlier is not None and earlier.kind == "contact":
            return ItemResult(
                uuid=uuid, status="conflict", detail=f"{uuid} was already received as a contact"
            )
        try:
            ack = self.responses.submit(submission)
        except ConflictError as exc:
            return ItemResult(uuid=uuid, status="conflict", detail=str(exc))
        except InvalidAnswersError as exc:
            errors = [FieldErrorOut(e.question, e.code, e.message) for e in exc.errors]
            return ItemResult(uuid=uuid, status="invalid", detail=str(exc), errors=errors)
        self._receipt(uuid, item, consultation, kind="interview")
        return ItemResult(uuid=uuid, status=ack.status.value)

    def _contact(self, uuid: str, item: SyncItem, consultation: Consultation) -> ItemResult:
        if item.outcome is None:
            return ItemResult(uuid=uuid, status="invalid", detail="outcome: refusal or not_at_home required")
        if self.session.scalar(select(Response.id).where(Response.uuid == uuid)) is not None:
            return ItemResult(
                uuid=uuid, status="conflict", detail=f"{uuid} was already received as an interview"
            )
        receipt, created = self._receipt(uuid, item, consultation, kind="contact")
        if created:
            return ItemResult(uuid=uuid, status="stored")
        same = (receipt.kind, receipt.outcome, receipt.client_hash) == (
            "contact",
            item.outcome,
            item.client_hash,
        )
        if same:
            return ItemResult(uuid=uuid, status="duplicate")
        return ItemResult(
            uuid=uuid, status="conflict", detail=f"{uuid} was already received with different content"
        )

    def _existing_receipt(self, uuid: str) -> FieldReceipt | None:
        return self.session.scalar(select(FieldReceipt).where(FieldReceipt.uuid == uuid))

    def _receipt(
        self, uuid: str, item: SyncItem, consultation: Consultation, *, kind: str
    ) -> tuple[FieldReceipt, bool]:
        """Insert the receipt once; a concurrent or earlier insert wins and is returned instead."""
        existing = self._existing_receipt(uuid)
        if existing is not None:
            return existing, False
        receipt = FieldReceipt(
            uuid=uuid, kind=kind, consultation_id=consultation.id, device_id=self.collector.device_id,
            interviewer_id=self.collector.interviewer_id, outcome=item.outcome if kind == "contact" else None,
            note=item.note[:5000], client_hash=item.client_hash[:64],
            contacted_at=item.submitted_at or item.started_at, received_at=utcnow(),
        )  # fmt: skip
        try:
            with self.session.begin_nested():
                self.session.add(receipt)
                self.session.flush()
        except IntegrityError:
            winner = self._existing_receipt(uuid)
            if winner is None:
                raise
            return winner, False
        return receipt, True


def record_manifest(
    session: Session, device_id: int, entries: list[ManifestEntry], *, append: bool = False
) -> int:
    """Replace the device's manifest with what it reports now (last report wins), or add a chunk."""
    now = utcnow()
    rows = {}
    for entry in entries:
        try:
            rows[normalise_uuid(entry.uuid)] = entry.client_hash[:64]
        except ValueError:
            continue
    stale = delete(FieldManifestEntry).where(FieldManifestEntry.device_id == device_id)
    if append:  # a repeated chunk replaces its own rows, never duplicates them
        stale = stale.where(FieldManifestEntry.uuid.in_(list(rows)))
    session.execute(stale)
    if rows:
        session.execute(
            insert(FieldManifestEntry),
            [
                {"device_id": device_id, "uuid": u, "client_hash": h, "reported_at": now}
                for u, h in rows.items()
            ],
        )
    return len(rows)
