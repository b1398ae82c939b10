"""Sync: store a batch of tablet items exactly once, with one result per item.

Idempotency rests on the client UUID: interviews go through ``ResponseService.submit_many`` (stored /
duplicate / conflict, in bulk), contacts without interview through a unique receipt row. A failure of one
item never fails the batch; a server crash rolls back the whole request and the tablet simply
sends the same batch again, which then yields "duplicate" for anything that did get stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import msgspec
from sqlalchemy import Table, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from field_app.conflicts import Refused, keep_refused
from field_app.schemas import FieldErrorOut, ItemResult, ManifestEntry, SyncItem
from survey.http.text_policy import item_problem
from survey.metrics import observe_sync_results
from survey.store.bounds import has_nul, id_in_range, storable_time
from survey.store.errors import ConflictError, InvalidAnswersError, StoreError
from survey.store.models import (
    Consultation,
    FieldClockFault,
    FieldDeviceReport,
    FieldManifestEntry,
    FieldReceipt,
    Mode,
    QuestionnaireVersion,
    Response,
    utcnow,
)
from survey.store.services.field_assignments import assigned_consultations
from survey.store.services.responses import Ack, ResponseService, Submission, normalise_uuid

IN_CHUNK = 1000  # bound IN lists: SQLite caps the bound parameters of one statement
EARLIEST_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # as the citizen API: nothing was collected before
CLOCK_SKEW = dt.timedelta(days=1)  # a tablet clock a little ahead is normal, a day ahead is broken
TIME_FIELDS = ("started_at", "submitted_at")
_RECEIPTS = cast("Table", FieldReceipt.__table__)  # Core insert: one statement for all rows


@dataclass(frozen=True)
class Collector:
    """Who an item is attributed to: the device that uploaded it and its interviewer."""

    device_id: int
    interviewer_id: int


class SyncService:
    """Apply uploaded items for one collector; the caller owns the transaction."""

    def __init__(self, session: Session, collector: Collector) -> None:
        self.session = session
        self.collector = collector
        self.responses = ResponseService(session)
        self._allowed = {c.slug: c for c in assigned_consultations(session, collector.interviewer_id)}
        self._versions: dict[int, QuestionnaireVersion | None] = {}
        self._clock_faults: dict[str, dict[str, str]] = {}  # uuid -> field -> the time the tablet sent

    def apply(self, items: Iterable[SyncItem]) -> list[ItemResult]:
        """Results in item order; interviews are validated one by one but written in bulk.

        A batch costs a handful of statements whatever its size: one existence query for the
        UUIDs, one for receipts, and bulk INSERTs of responses, answers and receipts.
        """
        results: list[ItemResult | None] = []
        interviews: list[tuple[int, SyncItem, Consultation, Submission]] = []
        for sent in items:
            item = self._without_wrong_times(sent)
            classified = self._classify(item)
            if isinstance(classified, ItemResult):
                results.append(classified)
            else:
                interviews.append((len(results), item, *classified))
                results.append(None)
        contacts = self._receipt_kinds([s.uuid for _, _, _, s in interviews])
        accepted: list[tuple[int, SyncItem, Consultation, Submission]] = []
        for entry in interviews:
            uuid = entry[3].uuid
            if contacts.get(uuid) == "contact":
                results[entry[0]] = ItemResult(
                    uuid=uuid, status="conflict", detail=f"{uuid} was already received as a contact",
                    code="already_received_as_contact",
                )  # fmt: skip
            else:
                accepted.append(entry)
        outcomes = self.responses.submit_many([s for _, _, _, s in accepted])
        received: list[tuple[str, SyncItem, Consultation]] = []
        refused: list[Refused] = []
        for (index, item, consultation, submission), outcome in zip(accepted, outcomes, strict=True):
            results[index] = _result(submission.uuid, outcome)
            if isinstance(outcome, Ack) and submission.uuid not in contacts:
                received.append((submission.uuid, item, consultation))
            elif isinstance(outcome, ConflictError):
                refused.append(
                    Refused(submission.uuid, consultation.id, submission.version.id, submission.mode.value,
                            submission.language, submission.answers)
                )  # fmt: skip
        self._interview_receipts(received)
        keep_refused(
            self.session,
            refused,
            device_id=self.collector.device_id,
            interviewer_id=self.collector.interviewer_id,
        )
        answered = self._flag_clocks([r for r in results if r is not None])
        observe_sync_results(r.status for r in answered)
        return answered

    def _without_wrong_times(self, item: SyncItem) -> SyncItem:
        """The item with the times its clock cannot have got right made unknown (noted for the result).

        Kept, not refused: a tablet whose clock battery died must not cost an interview.
        """
        wrong = _wrong_times(item)
        if not wrong:
            return item
        try:
            self._clock_faults[normalise_uuid(item.uuid)] = wrong
        except ValueError:
            return item  # refused for its UUID anyway
        return msgspec.structs.replace(item, **dict.fromkeys(wrong))

    def _flag_clocks(self, results: list[ItemResult]) -> list[ItemResult]:
        """Tell the tablet which times were ignored, and keep them for audit once the item is stored."""
        if not self._clock_faults:
            return results
        now = utcnow()
        flagged = []
        for result in results:
            wrong = self._clock_faults.get(result.uuid)
            if not wrong or result.status not in {"stored", "duplicate"}:
                flagged.append(result)
                continue
            flagged.append(msgspec.structs.replace(result, clock_wrong=sorted(wrong)))
            if result.status == "stored":
                self.session.add_all(
                    FieldClockFault(uuid=result.uuid, device_id=self.collector.device_id, field=name,
                                    reported=reported[:64], received_at=now)
                    for name, reported in sorted(wrong.items())
                )  # fmt: skip
        self.session.flush()
        return flagged

    def _classify(self, item: SyncItem) -> ItemResult | tuple[Consultation, Submission]:
        """Refuse what needs no database write, settle a contact, or shape an interview for storing."""
        try:
            uuid = normalise_uuid(item.uuid)
        except ValueError:
            return ItemResult(
                uuid=item.uuid, status="invalid", detail="uuid: not a UUID", code="invalid_uuid"
            )
        consultation = self._allowed.get(item.consultation)
        if consultation is None:
            return ItemResult(
                uuid=uuid,
                status="invalid",
                detail=f"consultation '{item.consultation}' is not assigned to you",
                code="consultation_not_assigned",
            )
        unfit = _unfit_value(item)
        if unfit is not None:
            return ItemResult(uuid=uuid, status="invalid", detail=unfit, code="invalid_value")
        if item.kind == "contact":
            return self._contact(uuid, item, consultation)
        version = self._version(item.version_id)
        if version is None or version.consultation_id != consultation.id:
            return ItemResult(
                uuid=uuid, status="invalid", detail="version_id: unknown questionnaire version",
                code="unknown_version",
            )  # fmt: skip
        if item.mode == "paper" and not (item.paper_form_number or "").strip():
            return ItemResult(
                uuid=uuid, status="invalid", detail="paper_form_number: required in paper mode",
                code="paper_number_required",
            )  # fmt: skip
        paper_number = (item.paper_form_number or "").strip() or None
        return consultation, Submission(
            uuid=uuid, version=version, mode=Mode(item.mode), language=item.language, answers=item.answers,
            easy_read=item.easy_read, interviewer_id=self.collector.interviewer_id,
            device_id=self.collector.device_id,
            paper_form_number=paper_number if item.mode == "paper" else None,
            replaces_uuid=item.replaces_uuid, started_at=item.started_at, submitted_at=item.submitted_at,
        )  # fmt: skip

    def _version(self, version_id: int | None) -> QuestionnaireVersion | None:
        if not version_id or not id_in_range(version_id):
            return None
        if version_id not in self._versions:
            self._versions[version_id] = self.session.get(QuestionnaireVersion, version_id)
        return self._versions[version_id]

    def _receipt_kinds(self, uuids: list[str]) -> dict[str, str]:
        """Kind of the receipt already held for each of these UUIDs (absent: none yet)."""
        kinds: dict[str, str] = {}
        for start in range(0, len(uuids), IN_CHUNK):
            chunk = uuids[start : start + IN_CHUNK]
            query = select(FieldReceipt.uuid, FieldReceipt.kind).where(FieldReceipt.uuid.in_(chunk))
            kinds.update((u, k) for u, k in self.session.execute(query).all())
        return kinds

    def _interview_receipts(self, received: list[tuple[str, SyncItem, Consultation]]) -> None:
        """One bulk INSERT of the new receipts; a concurrent writer makes it fall back to one by one."""
        unique = {uuid: (item, consultation) for uuid, item, consultation in received}
        if not unique:
            return
        rows = [
            self._receipt_row(uuid, item, consultation, kind="interview")
            for uuid, (item, consultation) in unique.items()
        ]
        try:
            with self.session.begin_nested():
                self.session.execute(insert(_RECEIPTS), rows)
        except IntegrityError:
            for uuid, (item, consultation) in unique.items():
                self._receipt(uuid, item, consultation, kind="interview")

    def _contact(self, uuid: str, item: SyncItem, consultation: Consultation) -> ItemResult:
        if item.outcome is None:
            return ItemResult(
                uuid=uuid, status="invalid", detail="outcome: refusal or not_at_home required",
                code="outcome_required",
            )  # fmt: skip
        if self.session.scalar(select(Response.id).where(Response.uuid == uuid)) is not None:
            return ItemResult(
                uuid=uuid, status="conflict", detail=f"{uuid} was already received as an interview",
                code="already_received_as_interview",
            )  # fmt: skip
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
            uuid=uuid, status="conflict", detail=f"{uuid} was already received with different content",
            code="different_content",
        )  # fmt: skip

    def _existing_receipt(self, uuid: str) -> FieldReceipt | None:
        return self.session.scalar(select(FieldReceipt).where(FieldReceipt.uuid == uuid))

    def _receipt_row(
        self, uuid: str, item: SyncItem, consultation: Consultation, *, kind: str
    ) -> dict[str, object]:
        return {
            "uuid": uuid, "kind": kind, "consultation_id": consultation.id,
            "device_id": self.collector.device_id, "interviewer_id": self.collector.interviewer_id,
            "outcome": item.outcome if kind == "contact" else None, "note": item.note[:5000],
            "client_hash": item.client_hash[:64], "contacted_at": item.submitted_at or item.started_at,
            "received_at": utcnow(),
        }  # fmt: skip

    def _receipt(
        self, uuid: str, item: SyncItem, consultation: Consultation, *, kind: str
    ) -> tuple[FieldReceipt, bool]:
        """Insert the receipt once; a concurrent or earlier insert wins and is returned instead."""
        existing = self._existing_receipt(uuid)
        if existing is not None:
            return existing, False
        receipt = FieldReceipt(**self._receipt_row(uuid, item, consultation, kind=kind))
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


def plausible_time(value: dt.datetime, now: dt.datetime | None = None) -> bool:
    """A time between 2000 and a day after the server's now; one without a zone is read as UTC."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        return EARLIEST_TIME <= aware <= (now or utcnow()) + CLOCK_SKEW
    except OverflowError:  # year 1 with a positive offset has no place on the UTC calendar
        return False


def _wrong_times(item: SyncItem) -> dict[str, str]:
    """The item's times that its tablet's clock cannot have got right, as the tablet sent them."""
    wrong = {}
    for name in TIME_FIELDS:
        value = getattr(item, name)
        if value is not None and not plausible_time(value):
            wrong[name] = value.isoformat()
    return wrong


def _unfit_value(item: SyncItem) -> str | None:
    """``field: why`` for what only the receipt holds and its columns cannot; checked per item so
    the rest of the batch still syncs. An interview's own fields are checked where every response's
    are (:func:`survey.store.services.responses.prepare`)."""
    for name in ("note", "client_hash"):
        if has_nul(getattr(item, name)):
            return f"{name}: contains a NUL character"
    if item.kind == "contact":
        for name in ("started_at", "submitted_at"):
            if not storable_time(getattr(item, name)):
                return f"{name}: not a moment on the UTC calendar"
    return item_problem(item)  # the text policy every input follows (survey.http.text_policy)


def _result(uuid: str, outcome: Ack | StoreError) -> ItemResult:
    if isinstance(outcome, Ack):
        return ItemResult(uuid=uuid, status=outcome.status.value)
    if isinstance(outcome, InvalidAnswersError):
        errors = [FieldErrorOut(e.question, e.code, e.message) for e in outcome.errors]
        return ItemResult(
            uuid=uuid, status="invalid", detail=str(outcome), errors=errors, code="invalid_answers"
        )
    if isinstance(outcome, ConflictError):
        return ItemResult(uuid=uuid, status="conflict", detail=str(outcome), code="different_content")
    return ItemResult(uuid=uuid, status="invalid", detail=str(outcome), code="invalid_item")


def record_manifest(
    session: Session,
    device_id: int,
    entries: list[ManifestEntry],
    *,
    append: bool = False,
    unfinished: int | None = None,
) -> int:
    """Replace the device's manifest with what it reports now (last report wins), or add a chunk.

    The first chunk also marks the device as synced now, with the count of unfinished interviews
    it gave (or none), so that the coordinators' page never calls it complete on older news.
    """
    now = utcnow()
    _record_report(session, device_id, now, unfinished, append=append)
    rows = {}
    for entry in entries:
        try:
            uuid = normalise_uuid(entry.uuid)
        except ValueError:
            continue
        rows[uuid] = entry.client_hash[:64].replace("\x00", "")  # a hash is compared, never shown
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


def _record_report(
    session: Session, device_id: int, now: dt.datetime, unfinished: int | None, *, append: bool
) -> None:
    """Keep one report row per device: a new sync replaces it, a later chunk may add the count."""
    report = session.get(FieldDeviceReport, device_id)
    if report is None:
        try:
            with session.begin_nested():  # two requests of one tablet at once: the other inserts
                session.add(FieldDeviceReport(device_id=device_id, unfinished=unfinished, reported_at=now))
                session.flush()
        except IntegrityError:
            report = session.get(FieldDeviceReport, device_id, populate_existing=True)
    if report is None:
        return
    if not append:
        report.unfinished, report.reported_at = unfinished, now
    elif unfinished is not None:
        report.unfinished = unfinished
    session.flush()
