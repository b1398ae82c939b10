"""The monitor's reads on one session: the consultation's context and the plan its field work follows.

Why apart from the controller: the monitor's pages take this service by dependency key and never hold a
session; the field app registers here the reader of the plan it follows (a field table ``survey`` may
not import).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from survey.analyst.analysis_cache import ANALYSIS_CACHE, AnalysisCache, frame_loader
from survey.analyst.services import Context, load_context
from survey.store.models import Consultation

__all__ = ["MonitorService", "StoredPlan", "register_stored_plan"]

StoredPlan = Callable[[Session, Consultation], tuple[str, int] | None]
_stored_plans: list[StoredPlan] = []


def register_stored_plan(reader: StoredPlan) -> None:
    """Let the field app say which plan a consultation follows: ``(cells, interviews left)``.

    Why a hook: the plan a consultation's field work follows is a field table, which ``survey``
    may not import; the page shows that plan, and what it buys, when opened without a choice.
    """
    if reader not in _stored_plans:
        _stored_plans.append(reader)


def _stored(session: Session, consultation: Consultation) -> tuple[str, int] | None:
    for reader in _stored_plans:
        found = reader(session, consultation)
        if found is not None:
            return found
    return None


class MonitorService:
    """What the representativeness pages read, on the request's session."""

    def __init__(self, session: Session, cache: AnalysisCache | None = None) -> None:
        self.session = session
        self.cache = cache

    @classmethod
    def of_state(cls, session: Session, state: Mapping[str, Any]) -> MonitorService:
        """The service on the request's session, reading frames through the app's analysis cache."""
        return cls(session, state.get(ANALYSIS_CACHE))

    def context(self, slug: str) -> Context:
        return load_context(self.session, slug, frames=frame_loader(self.cache))

    def stored_plan(self, consultation: Consultation) -> tuple[str, int] | None:
        return _stored(self.session, consultation)
