"""Freeze and publish results; the public pages read only published snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import __version__
from survey.analyst.labels import CROSS, Labels
from survey.analyst.models import ResultSnapshot
from survey.analyst.services import Analysis, Context
from survey.store.errors import ImmutableError, NotFoundError, StoreError
from survey.store.models import Consultation, utcnow
from survey.store.services.audit import record


def freeze_content(context: Context, analysis: Analysis) -> dict[str, Any]:
    """Everything the public page shows, copied so later data changes cannot alter it."""
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
        "summary": analysis.summary.to_dict(),
        "questions": [
            {
                "name": r.name,
                "kind": r.kind,
                "labels": r.labels,
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


def create_snapshot(
    session: Session, context: Context, analysis: Analysis, *, actor: str, actor_id: int | None, publish: bool
) -> ResultSnapshot:
    """Freeze one run; refuses when there are no targets (nothing to say how it was weighted)."""
    if context.target_set is None:
        raise StoreError("upload targets before freezing results")
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


def publish(session: Session, snapshot_id: int, *, actor: str, actor_id: int | None) -> ResultSnapshot:
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFoundError(f"snapshot {snapshot_id} does not exist")
    if snapshot.published_at is not None:
        raise ImmutableError(f"snapshot {snapshot_id} is already published")
    snapshot.published_at = utcnow()
    record(session, actor=actor, actor_id=actor_id, action="publish_snapshot", entity="result_snapshot",
           entity_id=snapshot.id)  # fmt: skip
    return snapshot


def snapshots(session: Session, consultation: Consultation, *, published_only: bool) -> list[ResultSnapshot]:
    query = select(ResultSnapshot).where(ResultSnapshot.consultation_id == consultation.id)
    if published_only:
        query = query.where(ResultSnapshot.published_at.is_not(None))
    return list(session.scalars(query.order_by(ResultSnapshot.id.desc())))


def has_published(session: Session, consultation: Consultation) -> bool:
    """Whether any results of this consultation are public (without loading their content)."""
    query = select(ResultSnapshot.id).where(
        ResultSnapshot.consultation_id == consultation.id, ResultSnapshot.published_at.is_not(None)
    )
    return session.scalar(query.limit(1)) is not None


def published(session: Session, consultation: Consultation, snapshot_id: int) -> ResultSnapshot:
    """A published snapshot of this consultation, else not found (drafts never leak)."""
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None or snapshot.consultation_id != consultation.id or snapshot.published_at is None:
        raise NotFoundError("no such published results")
    return snapshot
