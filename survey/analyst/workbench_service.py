"""What the workbench's pages ask of the store: the consultation overview, targets, schemes and snapshots.

Why a service: the workbench controller receives a :class:`WorkbenchService` by dependency key and
never the session. It also holds the app's :class:`AnalysisCache`, so pages reloaded on unchanged data
reuse the frame and the weighted analysis instead of computing them again. Each change the analyst
makes (upload targets, save or remove a scheme, freeze results) is one call that stores, flushes so the overview drawn next shows it, and returns what the
page must say; the wording stays with the page, in the analyst's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.analyst import snapshots
from survey.analyst.analysis_cache import ANALYSIS_CACHE, AnalysisCache, frame_loader
from survey.analyst.services import Analysis, Context, WeightingSpec, load_context, run_analysis
from survey.analyst.weighting_query import choice_from
from survey.store.errors import NotFoundError, TargetsInvalidError
from survey.store.models import Consultation, ResultSnapshot, Role, TargetSet, User, WeightingScheme
from survey.store.services import grants
from survey.store.services.consultations import ConsultationService
from survey.store.services.schemes import SchemeError, SchemeService
from survey.store.services.targets import TargetRow, TargetService
from weighting import WeightingError

__all__ = ["NoTargetsError", "Overview", "SchemeRefusal", "WorkbenchService"]


class NoTargetsError(NotFoundError):
    """The consultation has no targets yet: the page asks for them in the analyst's language."""


SchemeRefusal = WeightingError | SchemeError | NotFoundError


@dataclass(frozen=True)
class Overview:
    """A consultation's workbench page: its data, target versions, snapshots and saved schemes."""

    context: Context
    versions: list[TargetSet]
    snapshots: list[ResultSnapshot]
    schemes: list[tuple[WeightingScheme, TargetSet]]

    @property
    def variables(self) -> list[str]:
        """The variables the latest targets give shares for, offered as margins."""
        return sorted({r.variable for r in self.context.target_rows})


class WorkbenchService:
    """The workbench's reads and changes on the request's session."""

    def __init__(self, session: Session, cache: AnalysisCache | None = None) -> None:
        self.session = session
        self.cache = cache

    @classmethod
    def of_state(cls, session: Session, state: Mapping[str, Any]) -> WorkbenchService:
        """The service on the request's session, with the app's analysis cache (none if it holds none)."""
        return cls(session, state.get(ANALYSIS_CACHE))

    def _load(self, slug: str, *, targets: int | None = None, scheme: str | None = None) -> Context:
        return load_context(
            self.session, slug, targets=targets, scheme=scheme, frames=frame_loader(self.cache)
        )

    def analysis(self, context: Context, spec: WeightingSpec) -> Analysis:
        """``run_analysis(context, spec)``, from the cache when the same data was weighted alike before."""
        return self.cache.analysis(context, spec) if self.cache is not None else run_analysis(context, spec)

    def granted(self, user: User) -> list[Consultation]:
        """The consultations the analyst may open (all of them for an admin)."""
        return grants.consultations_for(self.session, user, Role.ANALYST)

    def context(self, slug: str, *, targets: int | None = None, scheme: str | None = None) -> Context:
        """The consultation's data and the targets chosen by scheme or version (see ``load_context``)."""
        return self._load(slug, targets=targets, scheme=scheme)

    def overview(self, slug: str) -> Overview:
        context = self._load(slug)
        versions = list(
            self.session.scalars(
                select(TargetSet)
                .where(TargetSet.consultation_id == context.consultation.id)
                .order_by(TargetSet.version.desc())
            )
        )
        schemes = SchemeService(self.session)
        return Overview(
            context,
            versions,
            snapshots.snapshots(self.session, context.consultation, published_only=False),
            [(s, schemes.target_set(s)) for s in schemes.all(context.consultation)],
        )

    def add_targets(
        self,
        slug: str,
        rows: list[TargetRow],
        *,
        population: float | None,
        label: str,
        source: str,
        actor: str,
    ) -> list[str]:
        """Store a checked target file as the next version; the problems that refused it, else none.

        Without a ``population`` the new version keeps the latest one's.
        """
        context = self._load(slug)
        try:
            TargetService(self.session).add(
                context.consultation, rows, context.questionnaire, actor=actor, label=label,
                population=context.population if population is None else population, source=source,
            )  # fmt: skip
        except TargetsInvalidError as exc:
            return list(exc.problems)
        self.session.flush()
        return []

    def add_scheme(
        self, slug: str, name: str, targets: str, fields: Any, *, actor: User
    ) -> SchemeRefusal | None:
        """Save a weighting under a name once it has been tried on the data; the refusal, else None.

        ``targets`` is the posted version number (empty: the latest), ``fields`` the posted form the
        choice is read from (:func:`choice_from`). A scheme that cannot weight is refused now, not
        when a page or a report first uses it; weighting takes up to a second, so callers run this
        in a thread.
        """
        try:
            if targets and not targets.isdigit():
                raise NotFoundError(f"no targets version {targets!r}")
            context = self._load(slug, targets=int(targets) if targets else None)
            if context.target_set is None:
                raise NoTargetsError("upload targets first")
            choice = choice_from(fields)
            self.analysis(context, WeightingSpec(method=choice.method, variables=choice.variables,
                                                bounds=choice.bounds, trim=choice.trim))  # fmt: skip
            SchemeService(self.session).add(context.consultation, name, context.target_set, choice,
                                            actor=actor.username, actor_id=actor.id)  # fmt: skip
        except (WeightingError, SchemeError, NotFoundError) as exc:
            return exc
        self.session.flush()
        return None

    def remove_scheme(self, slug: str, name: str, *, actor: User) -> None:
        """Delete a saved scheme; snapshots made with it keep its name and definition."""
        consultation = ConsultationService(self.session).get(slug)
        SchemeService(self.session).remove(consultation, name, actor=actor.username, actor_id=actor.id)
        self.session.flush()

    def freeze(self, context: Context, analysis: Analysis, *, actor: User, publish: bool) -> ResultSnapshot:
        """Keep one run as a snapshot (published at once with ``publish``).

        Raises :class:`snapshots.DuplicateSnapshotError` when the same results are already frozen.
        """
        return snapshots.create_snapshot(
            self.session, context, analysis, actor=actor.username, actor_id=actor.id, publish=publish
        )
