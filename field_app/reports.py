"""Read models for supervisors: per-device reconciliation and quota progress."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from field_app.adaptive import refresh
from field_app.conflicts import resubmissions
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


def reconciliation(session: Session, device_id: int) -> Reconciliation:
    """Compare the device's last manifest with the store: received, missing or conflicting.

    "Conflicting" means the store holds that UUID but the tablet's hash differs from the one
    received (the tablet changed a record after sending it), or another device sent it.
    ``resubmissions`` are the versions the device sent again under a stored UUID with other content
    (refused and kept, :mod:`field_app.conflicts`): ODK Collect reports no manifest, so this is
    where its conflicts show.
    """
    device = session.get(Device, device_id)
    if device is None:
        raise NotFoundError(f"no device {device_id}")
    user = session.get(User, device.user_id)
    rows = session.execute(
        select(FieldManifestEntry.uuid, FieldManifestEntry.client_hash, FieldManifestEntry.reported_at,
               Response.device_id, FieldReceipt.client_hash, FieldReceipt.device_id)
        .outerjoin(Response, Response.uuid == FieldManifestEntry.uuid)
        .outerjoin(FieldReceipt, FieldReceipt.uuid == FieldManifestEntry.uuid)
        .where(FieldManifestEntry.device_id == device_id)
        .order_by(FieldManifestEntry.id)
    ).all()  # fmt: skip
    items: list[ReconciliationItem] = []
    reported_at = None
    for uuid, hash_, at, response_device, receipt_hash, receipt_device in rows:
        reported_at = at
        holder = response_device if response_device is not None else receipt_device
        if holder is None and receipt_hash is None:
            items.append(_problem(uuid, "missing", "not_in_store"))
        elif holder != device_id:
            if holder is not None:
                items.append(_problem(uuid, "conflicting", "other_device", device=str(holder)))
            else:
                items.append(_problem(uuid, "conflicting", "other_channel"))
        elif receipt_hash and hash_ and receipt_hash != hash_:
            items.append(
                _problem(uuid, "conflicting", "hash_differs", tablet=hash_[:12], received=receipt_hash[:12])
            )
        else:
            items.append(ReconciliationItem(uuid, "received"))
    counts = {s: sum(1 for i in items if i.state == s) for s in ("received", "missing", "conflicting")}
    report = session.get(FieldDeviceReport, device_id)
    superseded = session.scalar(
        select(func.count(Response.id)).where(
            Response.uuid.in_(
                select(FieldManifestEntry.uuid).where(FieldManifestEntry.device_id == device_id)
            ),
            is_superseded(),
        )
    )
    original = aliased(Response)
    awaiting = session.scalar(
        select(func.count(Response.id)).where(
            Response.device_id == device_id,
            Response.replaces_uuid.is_not(None),
            ~exists().where(original.uuid == Response.replaces_uuid),
        )
    )
    return Reconciliation(
        device_id=device.id, label=device.label, username=user.username if user else "",
        revoked=device.revoked_at is not None, last_seen_at=device.last_seen_at,
        manifest_reported_at=reported_at, items=items, **counts,
        synced_at=report.reported_at if report else reported_at,
        unfinished=report.unfinished if report else None, superseded=int(superseded or 0),
        awaiting_original=int(awaiting or 0),
        clock_wrong=int(session.scalar(select(func.count(FieldClockFault.id)).where(FieldClockFault.device_id == device_id)) or 0),
        resubmissions=resubmissions(session, device_id),
    )  # fmt: skip


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
