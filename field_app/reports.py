"""Read models for supervisors: per-device reconciliation and quota progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Executable, exists, func, select
from sqlalchemy.orm import Session, aliased

from field_app.adaptive import refresh
from field_app.conflicts import resubmissions_by_device
from field_app.coordinator_texts import text
from field_app.schemas import QuotaCell, Reconciliation, ReconciliationItem, ReconciliationReason
from survey.questionnaire.model import Questionnaire
from survey.store.errors import NotFoundError
from survey.store.models import (
    Answer,
    Consultation,
    Device,
    FieldClockFault,
    FieldDeviceReport,
    FieldManifestEntry,
    FieldQuota,
    FieldReceipt,
    Response,
    User,
)
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.counted import counted, is_superseded
from survey.store.services.field_quotas import cell_parts

BATCH = 500  # devices per round of queries: far below every database's limit on bound parameters


def reconciliation(session: Session, device_id: int) -> Reconciliation:
    """One device's last manifest against the store (see :func:`reconciliations`)."""
    found = reconciliations(session, [device_id])
    if not found:
        raise NotFoundError(f"no device {device_id}")
    return found[0]


def reconciliations(session: Session, device_ids: Sequence[int]) -> list[Reconciliation]:
    """Compare each device's last manifest with the store: received, missing or conflicting.

    "Conflicting" means the store holds that UUID but the tablet's hash differs from the one
    received (the tablet changed a record after sending it), or another device sent it.
    ``resubmissions`` are the versions the device sent again under a stored UUID with other content
    (refused and kept, :mod:`field_app.conflicts`): ODK Collect reports no manifest, so this is
    where its conflicts show.

    Why in batches: the coordinators' overview shows every tablet; one round of queries per batch
    of devices, not one per device, keeps the page as quick with 300 tablets as with 3. Devices
    that do not exist are left out; the order is ``device_ids``'.
    """
    found: list[Reconciliation] = []
    for start in range(0, len(device_ids), BATCH):
        found.extend(_batch(session, list(device_ids[start : start + BATCH])))
    return found


def _batch(session: Session, ids: list[int]) -> list[Reconciliation]:
    devices = {
        device.id: (device, username)
        for device, username in session.execute(
            select(Device, User.username).outerjoin(User, User.id == Device.user_id).where(Device.id.in_(ids))
        )
    }
    manifests = _manifests(session, ids)
    reports = {
        r.device_id: r
        for r in session.scalars(select(FieldDeviceReport).where(FieldDeviceReport.device_id.in_(ids)))
    }
    superseded = _per_device(
        session,
        select(FieldManifestEntry.device_id, func.count(func.distinct(Response.id)))
        .join(Response, Response.uuid == FieldManifestEntry.uuid)
        .where(FieldManifestEntry.device_id.in_(ids), is_superseded())
        .group_by(FieldManifestEntry.device_id),
    )
    original = aliased(Response)
    awaiting = _per_device(
        session,
        select(Response.device_id, func.count(Response.id))
        .where(
            Response.device_id.in_(ids),
            Response.replaces_uuid.is_not(None),
            ~exists().where(original.uuid == Response.replaces_uuid),
        )
        .group_by(Response.device_id),
    )
    clock = _per_device(
        session,
        select(FieldClockFault.device_id, func.count(FieldClockFault.id))
        .where(FieldClockFault.device_id.in_(ids))
        .group_by(FieldClockFault.device_id),
    )
    again = resubmissions_by_device(session, ids)
    found = []
    for device_id in ids:
        if device_id not in devices:
            continue
        device, username = devices[device_id]
        items, reported_at = manifests.get(device_id, ([], None))
        counts = {s: sum(1 for i in items if i.state == s) for s in ("received", "missing", "conflicting")}
        report = reports.get(device_id)
        found.append(
            Reconciliation(
                device_id=device.id,
                label=device.label,
                username=username or "",
                revoked=device.revoked_at is not None,
                last_seen_at=device.last_seen_at,
                manifest_reported_at=reported_at,
                items=items,
                **counts,
                synced_at=report.reported_at if report else reported_at,
                unfinished=report.unfinished if report else None,
                superseded=superseded.get(device_id, 0),
                awaiting_original=awaiting.get(device_id, 0),
                clock_wrong=clock.get(device_id, 0),
                resubmissions=again.get(device_id, []),
            )
        )
    return found  # fmt: skip


def _per_device(session: Session, query: Executable) -> dict[int, int]:
    """A ``device id, count`` query as a mapping (devices without rows are absent: zero)."""
    return {int(device_id): int(n) for device_id, n in session.execute(query) if device_id is not None}


def _manifests(
    session: Session, ids: list[int]
) -> dict[int, tuple[list[ReconciliationItem], dt.datetime | None]]:
    """Each device's manifest items judged against the store, and when it was last reported."""
    rows = session.execute(
        select(FieldManifestEntry.device_id, FieldManifestEntry.uuid, FieldManifestEntry.client_hash,
               FieldManifestEntry.reported_at, Response.device_id, FieldReceipt.client_hash, FieldReceipt.device_id)
        .outerjoin(Response, Response.uuid == FieldManifestEntry.uuid)
        .outerjoin(FieldReceipt, FieldReceipt.uuid == FieldManifestEntry.uuid)
        .where(FieldManifestEntry.device_id.in_(ids))
        .order_by(FieldManifestEntry.id)
    ).all()  # fmt: skip
    found: dict[int, tuple[list[ReconciliationItem], dt.datetime | None]] = {}
    for device_id, uuid, hash_, at, response_device, receipt_hash, receipt_device in rows:
        items = found[device_id][0] if device_id in found else []
        found[device_id] = (items, at)
        items.append(_judged(device_id, uuid, hash_, response_device, receipt_hash, receipt_device))
    return found


def _judged(
    device_id: int,
    uuid: str,
    hash_: str | None,
    response_device: int | None,
    receipt_hash: str | None,
    receipt_device: int | None,
) -> ReconciliationItem:
    """One manifest entry: received by this device, missing from the store, or conflicting."""
    holder = response_device if response_device is not None else receipt_device
    if holder is None and receipt_hash is None:
        return _problem(uuid, "missing", "not_in_store")
    if holder != device_id:
        if holder is not None:
            return _problem(uuid, "conflicting", "other_device", device=str(holder))
        return _problem(uuid, "conflicting", "other_channel")
    if receipt_hash and hash_ and receipt_hash != hash_:
        return _problem(uuid, "conflicting", "hash_differs", tablet=hash_[:12], received=receipt_hash[:12])
    return ReconciliationItem(uuid, "received")


def _problem(
    uuid: str, state: Literal["missing", "conflicting"], reason: ReconciliationReason, **params: str
) -> ReconciliationItem:
    """A problem item: the reason as a code with its values, and the same in English as ``detail``."""
    detail = text("reason_" + reason, "en", **params)
    return ReconciliationItem(uuid, state, detail, reason, params)


def quota_cells(session: Session, consultation: Consultation) -> list[QuotaCell]:
    """Targets with the number of counted responses (any mode; a correction replaces its original).

    A crossed cell (``age_group:education`` = ``18-24:low``) counts responses that have every
    listed answer, so the answers of the questions involved are read per response once and
    matched in Python: one query whatever the number of cells. An adaptive consultation's quotas
    are re-planned first if what is stored changed since its last plan (`field_app.adaptive`).
    """
    refresh(session, consultation)
    quotas = list(
        session.scalars(
            select(FieldQuota)
            .where(FieldQuota.consultation_id == consultation.id)
            .order_by(FieldQuota.variable, FieldQuota.id)
        )
    )
    if not quotas:
        return []
    cells = [
        (q, tuple(cell_parts(QuotaCell(variable=q.variable, category=q.category, target=0)))) for q in quotas
    ]
    questions = {question for _, parts in cells for question, _ in parts}
    values: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for response_id, question, value in session.execute(
        select(Answer.response_id, Answer.question, Answer.value_text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            counted(consultation.id),
            Answer.question.in_(questions),
            Answer.value_text.is_not(None),
        )
    ).all():
        values[response_id].add((question, str(value)))
    combos = Counter(cell_id for held in values.values() for cell_id in _combos(held, cells))
    questionnaire = load_questionnaire(ConsultationService(session).current_version(consultation))
    return [
        QuotaCell(
            variable=q.variable, category=q.category, target=q.target, done=combos[q.id],
            labels=cell_words(questionnaire, parts), full=combos[q.id] >= q.target,
        )
        for q, parts in cells
    ]  # fmt: skip


INTERFACE_LANGUAGES = ("fr", "nl", "en")


def cell_words(questionnaire: Questionnaire, parts: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """A quota cell in words in each language of the form: the choices' labels, ``Woman, 65+``.

    Why: interviewers look for people, not codes (``sex:age_group = F:65+``). A question or choice
    the current form no longer has is shown by its code.
    """
    words: dict[str, str] = {}
    # Every interface language too (FR/NL/EN), so an interviewer whose language the form lacks
    # still reads words (the form's first label), not codes.
    for lang in dict.fromkeys([*questionnaire.languages, *INTERFACE_LANGUAGES]):
        shown = []
        for question_name, choice_name in parts:
            labels: dict[str, str] = {}
            if any(q.name == question_name for q in questionnaire.questions):
                question = questionnaire.question(question_name)
                labels = next(
                    (c.labels for c in questionnaire.choices_for(question) if c.name == choice_name), {}
                )
            shown.append(labels.get(lang) or next(iter(labels.values()), "") or choice_name)
        words[lang] = ", ".join(shown)
    return words


def _combos(
    held: set[tuple[str, str]], cells: list[tuple[FieldQuota, tuple[tuple[str, str], ...]]]
) -> list[int]:
    """Ids of the quota cells one response falls in."""
    return [q.id for q, parts in cells if all(part in held for part in parts)]


def contact_counts(session: Session, consultation: Consultation) -> dict[str, int]:
    """Refusals and not-at-home contacts, counted (they carry no answers)."""
    rows = session.execute(
        select(FieldReceipt.outcome, func.count(FieldReceipt.id))
        .where(FieldReceipt.consultation_id == consultation.id, FieldReceipt.kind == "contact")
        .group_by(FieldReceipt.outcome)
    ).all()
    return {str(outcome): int(n) for outcome, n in rows}
