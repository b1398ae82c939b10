"""A bounded cache of analysis frames and weighted analyses, held by one app (its state), never global.

Why: every workbench page (overview, weighting, results, breakdown, bias, the API) loads the
consultation's responses into a frame and weights them again, 0.3–0.9 s of CPU per page on the
demo's 1,151 responses, though nothing changed since the last page. A stale result would be a silent
wrong statistic, so nothing is ever invalidated by hand: each entry is keyed by exactly what it was
computed from, and a key that no longer matches the store is simply never asked for again.

- A frame is keyed by the consultation, its questionnaire version (id and content hash) and the
  consultation's data revision (:func:`survey.store.services.revision.data_revision`, read on every
  request): a new, corrected or erased response, a sync or an import changes the revision.
- An analysis is keyed by its frame's key, the target rows and population it weighted to (by value,
  so a new upload or another version gives another key), the whole :class:`WeightingSpec` (method,
  margins, bounds, trimming, missing treatment, key questions, scheme name) and the key questions asked.

Both maps are least-recently-used and bounded in entries. Cached frames and analyses are shared
between requests: callers read them and never change them (polars frames are immutable; the pages,
exports and audits read an :class:`Analysis` and copy before changing, as ``export_frame`` does).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from sqlalchemy.orm import Session

from survey.analyst.services import Analysis, Context, FrameLoader, WeightingSpec, read_frame, run_analysis
from survey.questionnaire.model import Questionnaire
from survey.store.models import QuestionnaireVersion
from survey.store.services.revision import data_revision
from survey.store.services.targets import TargetRow

if TYPE_CHECKING:  # the app makes a cache in every worker; polars loads with the first frame read
    import polars as pl

__all__ = ["ANALYSIS_CACHE", "ANALYSIS_ENTRIES", "FRAME_ENTRIES", "AnalysisCache", "FrameKey", "frame_loader"]

ANALYSIS_CACHE = "analysis_cache"  # the key of an app's cache in its state (``survey.app.app_state``)
FRAME_ENTRIES = 8  # a frame per consultation and version; the demo's is about 1 MB
ANALYSIS_ENTRIES = 32  # weightings tried on the pages (method × margins × targets × keys)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class FrameKey:
    """The data an analysis frame was read from: consultation, questionnaire version, data revision."""

    consultation_id: int
    version_id: int
    version_hash: str
    revision: str


@dataclass(frozen=True)
class AnalysisKey:
    """Everything a weighted analysis depends on besides the code: frame, targets, spec, key questions."""

    frame: Hashable  # the context's FrameKey
    target_set_id: int | None
    target_rows: tuple[TargetRow, ...]
    population: float | None
    spec: WeightingSpec
    keys: tuple[str, ...] | None


class Bounded(Generic[K, V]):
    """A least-recently-used map of at most ``limit`` entries, safe across the request threads."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a cache holds at least one entry")
        self.limit = limit
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class AnalysisCache:
    """One app's frames and analyses (made with its state, so two apps never share an entry)."""

    def __init__(self, frames: int = FRAME_ENTRIES, analyses: int = ANALYSIS_ENTRIES) -> None:
        self.frames: Bounded[FrameKey, pl.DataFrame] = Bounded(frames)
        self.analyses: Bounded[AnalysisKey, Analysis] = Bounded(analyses)
        self.hits = 0  # analyses served from the cache (the tests read it)
        self.runs = 0  # analyses computed

    def frame(
        self,
        session: Session,
        consultation_id: int,
        version: QuestionnaireVersion,
        questionnaire: Questionnaire,
    ) -> tuple[pl.DataFrame, FrameKey | None]:
        """The counted responses' frame and its key; no key when a write landed while it was read.

        The revision is read again after a miss: on PostgreSQL each statement of a request sees what
        was committed before it, so a response stored between the two reads could be in the frame but
        not in the first revision. Such a frame is used for this request and kept nowhere.
        """
        before = data_revision(session, consultation_id)
        key = FrameKey(consultation_id, version.id, version.content_hash, before)
        found = self.frames.get(key)
        if found is not None:
            return found, key
        from survey.store.services.frames import responses_frame  # noqa: PLC0415  # polars

        frame = responses_frame(session, consultation_id, questionnaire)
        if data_revision(session, consultation_id) != before:
            return frame, None
        self.frames.put(key, frame)
        return frame, key

    def analysis(
        self, context: Context, spec: WeightingSpec, keys: tuple[str, ...] | None = None
    ) -> Analysis:
        """``run_analysis(context, spec, keys)``, computed once per key; failures are not kept."""
        if context.frame_key is None:
            return self._run(context, spec, keys)
        key = AnalysisKey(
            context.frame_key,
            context.target_set.id if context.target_set is not None else None,
            tuple(context.target_rows),
            context.population,
            spec,
            keys,
        )
        found = self.analyses.get(key)
        if found is not None:
            self.hits += 1
            return found
        analysis = self._run(context, spec, keys)
        self.analyses.put(key, analysis)
        return analysis

    def _run(self, context: Context, spec: WeightingSpec, keys: tuple[str, ...] | None) -> Analysis:
        self.runs += 1
        return run_analysis(context, spec, keys)


def frame_loader(cache: AnalysisCache | None) -> FrameLoader:
    """How a service reads frames: through the app's cache when it has one, else fresh from the store."""
    return cache.frame if cache is not None else read_frame
