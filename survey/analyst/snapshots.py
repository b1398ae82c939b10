"""Freeze, publish, withdraw and compare results; the public pages read only published snapshots.

Why refuse a duplicate: two snapshots of the same data, questionnaire version, targets and settings
hold the same figures, and a public list with two identical entries invites readers to look for a
difference that is not there.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import __version__
from survey.analyst.audit import bias_audit
from survey.analyst.labels import CROSS, Labels
from survey.analyst.services import Analysis, Context, weighting_shown
from survey.analyst.snapshot_audit import freeze_audit
from survey.store.errors import ConflictError, ImmutableError, NotFoundError, StoreError
from survey.store.models import Consultation, ResultSnapshot, TargetSet, utcnow
from survey.store.services.audit import record
from survey.store.services.consultations import ConsultationService
from survey.store.services.targets import TargetService

if TYPE_CHECKING:  # a snapshot freezes an analysis already made; the routes import this module
    from weighting import Diagnostics


def freeze_content(context: Context, analysis: Analysis) -> dict[str, Any]:
    """Everything the public page and the report show, copied so later data changes cannot alter it
    (the bias audit included: it explains these figures, not those of a later rerun)."""
    final = analysis.final
    margin_names = {part for margin in final.margins for part in margin.split(CROSS)}
    return {
        "title": dict(context.consultation.title),
        "organiser": context.consultation.organiser,
        "languages": list(context.questionnaire.languages),
        "n": analysis.n,
        "n_eff": final.overall.n_eff,
        "deff": final.overall.deff,
        "margins": list(final.margins),
        "labels": Labels.from_questionnaire(context.questionnaire, margin_names).to_dict(),
        "targets_label": context.target_set.label if context.target_set else "",
        "targets_source": context.target_set.source if context.target_set else "",
        "population": context.population,
        "spec": analysis.spec.to_dict(),
        "weighting": weighting_shown(context, analysis),  # the scheme by name and in full, its targets
        "summary": analysis.summary.to_dict(),
        "diagnostics": frozen_diagnostics(final),
        "bias_audit": freeze_audit(bias_audit(context, analysis)),
        "questions": [
            {
                "name": r.name,
                "kind": r.kind,
                "labels": r.labels,
                "scale": r.scale.to_dict() if r.scale else None,
                "rows": [
                    {
                        "category": row["category"],
                        "labels": row["labels"],
                        "weighted": row["weighted"],
                        "unweighted": row["unweighted"],
                    }
                    for row in r.rows
                ],
            }
            for r in analysis.results
        ],
    }


def frozen_diagnostics(final: Diagnostics) -> dict[str, Any]:
    """The final step's diagnostics as JSON, notes with their code and values.

    Why frozen: a report made from a snapshot later must show the diagnostics of the weighting
    that produced the published figures, not of a rerun on today's data and targets.
    """
    found: dict[str, Any] = json.loads(final.to_json(indent=None))
    found["notes"] = [
        {"text": str(note), "code": getattr(note, "code", ""),
         "values": json.loads(json.dumps(dict(getattr(note, "values", {})), default=str))}
        for note in final.notes
    ]  # fmt: skip
    return found


class DuplicateSnapshotError(ConflictError):
    """The same results are already frozen; ``existing_id`` names the snapshot that holds them."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(
            f"snapshot {existing_id} already holds these results (same data, targets and settings)"
        )
        self.existing_id = existing_id


def duplicate_of(session: Session, context: Context, analysis: Analysis) -> int | None:
    """The id of a snapshot (not withdrawn) frozen from the same inputs, if there is one."""
    if context.target_set is None:
        return None
    query = select(ResultSnapshot).where(
        ResultSnapshot.consultation_id == context.consultation.id,
        ResultSnapshot.questionnaire_version_id == context.version.id,
        ResultSnapshot.target_set_id == context.target_set.id,
        ResultSnapshot.data_hash == context.data_hash(),
        ResultSnapshot.withdrawn_at.is_(None),
    )
    settings = analysis.spec.to_dict()
    for existing in session.scalars(query.order_by(ResultSnapshot.id)):
        if existing.settings == settings:
            return existing.id
    return None


def create_snapshot(
    session: Session, context: Context, analysis: Analysis, *, actor: str, actor_id: int | None, publish: bool
) -> ResultSnapshot:
    """Freeze one run; refuses when there are no targets (nothing to say how it was weighted) and
    when a snapshot of the same inputs exists (:class:`DuplicateSnapshotError`)."""
    if context.target_set is None:
        raise StoreError("upload targets before freezing results")
    existing = duplicate_of(session, context, analysis)
    if existing is not None:
        raise DuplicateSnapshotError(existing)
    snapshot = ResultSnapshot(
        consultation_id=context.consultation.id,
        questionnaire_version_id=context.version.id,
        target_set_id=context.target_set.id,
        data_hash=context.data_hash(),
        method=analysis.spec.method,
        settings=analysis.spec.to_dict(),
        software_version=__version__,
        content=freeze_content(context, analysis),
        created_by_id=actor_id,
        published_at=utcnow() if publish else None,
    )
    session.add(snapshot)
    session.flush()
    record(
        session, actor=actor, actor_id=actor_id, action="publish_snapshot" if publish else "freeze_snapshot",
        entity="result_snapshot", entity_id=snapshot.id,
        details={"consultation": context.consultation.slug, "data_hash": snapshot.data_hash},
    )  # fmt: skip
    return snapshot


def _change_state(
    session: Session,
    snapshot_id: int,
    action: str,
    refusals: dict[str, bool],
    *,
    actor: str,
    actor_id: int | None,
) -> ResultSnapshot:
    """Load the snapshot, refuse the first reason that holds, audit the action; the caller sets the date."""
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFoundError(f"snapshot {snapshot_id} does not exist")
    for reason, refused in refusals.items():
        if refused:
            raise ImmutableError(f"snapshot {snapshot_id} {reason}")
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action=action,
        entity="result_snapshot",
        entity_id=snapshot.id,
    )
    return snapshot


def publish(session: Session, snapshot_id: int, *, actor: str, actor_id: int | None) -> ResultSnapshot:
    """Make a frozen snapshot public: once, and never after a withdrawal."""
    existing = session.get(ResultSnapshot, snapshot_id)
    refusals = {
        "is already published": existing is not None and existing.published_at is not None,
        "was withdrawn": existing is not None and existing.withdrawn_at is not None,
    }
    snapshot = _change_state(
        session, snapshot_id, "publish_snapshot", refusals, actor=actor, actor_id=actor_id
    )
    snapshot.published_at = utcnow()
    return snapshot


def withdraw(session: Session, snapshot_id: int, *, actor: str, actor_id: int | None) -> ResultSnapshot:
    """Take published results off the public list; their page then says when they were withdrawn."""
    existing = session.get(ResultSnapshot, snapshot_id)
    refusals = {
        "is not published": existing is not None and existing.published_at is None,
        "is already withdrawn": existing is not None and existing.withdrawn_at is not None,
    }
    snapshot = _change_state(
        session, snapshot_id, "withdraw_snapshot", refusals, actor=actor, actor_id=actor_id
    )
    snapshot.withdrawn_at = utcnow()
    return snapshot


def snapshots(session: Session, consultation: Consultation, *, published_only: bool) -> list[ResultSnapshot]:
    query = select(ResultSnapshot).where(ResultSnapshot.consultation_id == consultation.id)
    if published_only:
        query = query.where(ResultSnapshot.published_at.is_not(None))
    return list(session.scalars(query.order_by(ResultSnapshot.id.desc())))


def published(session: Session, consultation: Consultation, snapshot_id: int) -> ResultSnapshot:
    """A published snapshot of this consultation, else not found (drafts never leak). A withdrawn
    one is returned too: its page explains the withdrawal instead of vanishing."""
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None or snapshot.consultation_id != consultation.id or snapshot.published_at is None:
        raise NotFoundError("no such published results")
    return snapshot


def of_consultation(session: Session, consultation: Consultation, snapshot_id: int) -> ResultSnapshot:
    """Any snapshot of this consultation (drafts included, for staff), else not found."""
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None or snapshot.consultation_id != consultation.id:
        raise NotFoundError(f"consultation '{consultation.slug}' has no snapshot {snapshot_id}")
    return snapshot


@dataclass(frozen=True)
class Change:
    """One answer's weighted estimate in two snapshots; ``None`` where a snapshot lacks it. The
    labels (language → text) are the newer snapshot's, so the comparison reads like the page."""

    question: str
    category: str
    kind: str
    before: float | None
    after: float | None
    question_labels: dict[str, str]
    labels: dict[str, str]

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class _Row:
    kind: str
    estimate: float | None
    question_labels: dict[str, str]
    labels: dict[str, str]


def _rows(content: dict[str, Any]) -> dict[tuple[str, str], _Row]:
    found: dict[tuple[str, str], _Row] = {}
    for question in content.get("questions", []):
        for row in question.get("rows", []):
            value = (row.get("weighted") or {}).get("estimate")
            number = float(value) if isinstance(value, int | float) and math.isfinite(value) else None
            found[(question["name"], str(row["category"]))] = _Row(
                question.get("kind", ""),
                number,
                dict(question.get("labels") or {}),
                dict(row.get("labels") or {}),
            )
    return found


def compare(before: ResultSnapshot, after: ResultSnapshot) -> list[Change]:
    """Every answer of either snapshot, largest absolute change first, then those only one has.

    Why by (question, category) and not by position: a later questionnaire version may add or
    reorder answers; matching by name shows what moved and what appeared or vanished.
    """
    old, new = _rows(before.content), _rows(after.content)
    changes = []
    for key in dict.fromkeys([*old, *new]):
        shown = new.get(key) or old[key]
        was, now = old.get(key), new.get(key)
        changes.append(
            Change(
                key[0],
                key[1],
                shown.kind,
                was.estimate if was else None,
                now.estimate if now else None,
                shown.question_labels,
                shown.labels,
            )
        )
    return sorted(changes, key=lambda ch: (ch.difference is None, -abs(ch.difference or 0.0)))


class SnapshotService:
    """Snapshot reads on the request's session, so the public pages' controller never holds one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def consultation(self, slug: str) -> Consultation:
        return ConsultationService(self.session).get(slug)

    def listed(self, consultation: Consultation, *, published_only: bool) -> list[ResultSnapshot]:
        return snapshots(self.session, consultation, published_only=published_only)

    def published(self, consultation: Consultation, snapshot_id: int) -> ResultSnapshot:
        return published(self.session, consultation, snapshot_id)

    def of_slug(self, slug: str, snapshot_id: int) -> tuple[Consultation, ResultSnapshot]:
        """The consultation and its snapshot; not found when the snapshot belongs to another one."""
        consultation = self.consultation(slug)
        return consultation, of_consultation(self.session, consultation, snapshot_id)

    def targets_used_and_newer(
        self, consultation: Consultation, snapshot: ResultSnapshot
    ) -> tuple[Any, int | None]:
        """The target set the snapshot used, and the newest version's number when a newer one exists."""
        used = self.session.get(TargetSet, snapshot.target_set_id)
        newest = TargetService(self.session).latest(consultation)
        return used, newest.version if used is not None and newest.version > used.version else None

    def change(self, snapshot_id: int, *, publishing: bool, actor: str, actor_id: int) -> None:
        """Publish or withdraw, flushed so the page drawn next shows it."""
        (publish if publishing else withdraw)(self.session, snapshot_id, actor=actor, actor_id=actor_id)
        self.session.flush()
