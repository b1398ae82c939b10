"""Online submissions stored in group commits: many requests, one transaction, each acked after it.

A transaction per response spends most of its time on things that do not grow with the batch:
taking a pooled connection, BEGIN, one round trip per statement, and the COMMIT's wait on the
disk flush. Here each web worker has one writer task. Requests validate their answers at once
(so a 422 never waits on the database), queue the result and wait; the writer takes everything
queued, stores it in one transaction with ``ResponseService.store_prepared`` and only then
answers each request. Nothing is acknowledged before its commit, so an acknowledged response is
stored, and a client that gets no answer retries with the same UUID, which is safe.

While one batch is being written the next one gathers: under load the batches grow with the
arrival rate; at rest a lone request is written on its own without waiting for company.

The questionnaire a request is validated against comes from a per-worker cache (versions are
immutable once answered). The batch transaction re-reads each version's hash, its consultation's
status and whether it needs invitation codes, and refuses or sends back what the cache got wrong,
so the cache can make a request fail over to the slow path but never store a response against
the wrong questionnaire or a closed consultation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from anyio import to_thread
from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from survey import metrics
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validation import FieldError
from survey.store import bulk
from survey.store.db import on_postgresql, transaction
from survey.store.errors import (
    InvalidAnswersError,
    NotFoundError,
    StoreError,
    UnavailableError,
    first_line,
)
from survey.store.models import Consultation, QuestionnaireVersion
from survey.store.models._base import utcnow
from survey.store.models._consultation import status_sql
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.invitations import InvitationService
from survey.store.services.responses import Ack, AckStatus, Prepared, ResponseService, Submission

log = logging.getLogger(__name__)
_UNAVAILABLE = "the response could not be stored just now; send it again with the same UUID"
_MAX_BATCH = 500  # bounds one transaction's size and the latency of the requests in it
_TARGETS_SQL = (  # the status as its opening and closing dates make it now (Consultation.status_at)
    "SELECT v.id, v.content_hash, CASE WHEN c.status = 'closed' OR c.closes_at <= %s THEN 'closed' "
    "WHEN c.status = 'draft' AND c.opens_at <= %s THEN 'open' ELSE c.status END, c.invitation_only "
    "FROM questionnaire_versions v JOIN consultations c ON c.id = v.consultation_id WHERE v.id = ANY(%s)"
)
_VERSIONS = cast("Table", QuestionnaireVersion.__table__)
_CONSULTATIONS = cast("Table", Consultation.__table__)


class StaleTargetError(StoreError):
    """The cached consultation or version no longer matches the store: redo the request the slow way."""


@dataclass(frozen=True)
class OnlineTarget:
    """What an online submission needs to know about its consultation and version, without a query."""

    slug: str
    consultation_id: int
    invitation_only: bool
    version: QuestionnaireVersion
    questionnaire: Questionnaire


class OnlineTargets:
    """Per-worker cache of (slug, version id) lookups; only found, open targets are kept.

    A burst of first requests (a consultation's launch, a worker's start) shares one lookup per
    target: each would otherwise take a pooled connection and query the same rows at once.
    """

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._cache: dict[tuple[str, int], OnlineTarget] = {}
        self._loading: dict[tuple[str, int], asyncio.Future[OnlineTarget]] = {}

    async def get(self, slug: str, version_id: int) -> OnlineTarget:
        """The target, from the cache or from one query in a worker thread; NotFoundError if none."""
        key = (slug, version_id)
        found = self._cache.get(key)
        if found is not None:
            return found
        loading = self._loading.get(key)
        if loading is None or loading.get_loop() is not asyncio.get_running_loop():
            loading = asyncio.ensure_future(self._fill(key))
            self._loading[key] = loading
        # Shielded: a client that goes away must not cancel the lookup the others wait for.
        return await asyncio.shield(loading)

    async def _fill(self, key: tuple[str, int]) -> OnlineTarget:
        """Load and cache in one step, so no request can find the target neither cached nor loading.

        Caching from the waiters instead left a gap: the lookup was done and forgotten, but its
        waiters had not resumed yet, and a request arriving in between started a second lookup.
        """
        try:
            found = await to_thread.run_sync(self._load, *key)
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = found
            return found
        finally:
            if self._loading.get(key) is asyncio.current_task():
                del self._loading[key]

    def forget(self, slug: str, version_id: int) -> None:
        self._cache.pop((slug, version_id), None)

    def _load(self, slug: str, version_id: int) -> OnlineTarget:
        with self._factory() as session:
            consultation, version = ConsultationService(session).open_with_version(slug, version_id)
            # Loaded now: validation may need the content after this session is gone.
            session.refresh(version, ["content"])
            questionnaire = load_questionnaire(version)
            session.expunge_all()
        return OnlineTarget(slug, consultation.id, consultation.invitation_only, version, questionnaire)


@dataclass
class WriterStats:
    """What this worker's writer has done since start, for the health endpoint and the logs."""

    batches: int = 0
    responses: int = 0
    largest_batch: int = 0
    failed_batches: int = 0
    retried_alone: int = 0  # responses of refused batches written one by one


@dataclass(frozen=True)
class _Queued:
    prepared: Prepared
    target: OnlineTarget
    answer: asyncio.Future[Ack]


class SubmissionBatcher:
    """Group commits for one event loop; ``store`` returns once the response is committed.

    One transaction at a time per worker: measured on two cores, a second one in flight made the
    batches smaller and cost PostgreSQL more than it hid of the commit's wait.
    """

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        with factory() as session:  # no connection: the driver's error classes are all it reads
            self._refusals = bulk.refusal_errors(session)
        self._queue: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None  # the batch being written, if any
        self._loop: asyncio.AbstractEventLoop | None = None
        self.stats = WriterStats()

    async def store(self, prepared: Prepared, target: OnlineTarget) -> Ack:
        """Queue a validated submission and wait for its commit; StoreError as ``submit`` would raise."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # test clients run a loop of their own; start afresh there
            self._loop, self._queue, self._writer = loop, [], None
        answer: asyncio.Future[Ack] = loop.create_future()
        self._queue.append(_Queued(prepared, target, answer))
        self._start_writer()
        return await answer

    async def aclose(self) -> None:
        """Wait for every queued and in-flight batch (application shutdown)."""
        while self._writer is not None:  # each batch starts the next before it ends
            await asyncio.gather(self._writer, return_exceptions=True)

    def _start_writer(self) -> None:
        if self._writer is not None or not self._queue or self._loop is None:
            return
        batch, self._queue = self._queue[:_MAX_BATCH], self._queue[_MAX_BATCH:]
        self._writer = self._loop.create_task(self._write_batch(batch), name="submission-writer")

    async def _write_batch(self, batch: list[_Queued]) -> None:
        try:
            outcomes = await to_thread.run_sync(self._write, batch)
        except self._refusals as exc:  # the database refused a row, not the connection
            # One response the database refuses must not cost the others theirs: each is tried
            # alone, and only one refused again is answered so (422: sending it again cannot help).
            self.stats.failed_batches += 1
            self.stats.retried_alone += len(batch)
            metrics.observe_failed_group_commit(len(batch), refused=True)
            log.warning(
                "the database refused a batch of %d (%s); storing each alone", len(batch), first_line(exc)
            )
            outcomes = await to_thread.run_sync(self._write_each, batch)
        except Exception:  # the database is down or busy: nothing of this batch is stored
            self.stats.failed_batches += 1
            metrics.observe_failed_group_commit(len(batch), refused=False)
            log.exception("a batch of %d online submissions could not be stored", len(batch))
            outcomes = [UnavailableError(_UNAVAILABLE)] * len(batch)
        finally:
            self._writer = None
            self._start_writer()  # what arrived meanwhile goes out as the next batch
        stored = sum(isinstance(outcome, Ack) for outcome in outcomes)
        if stored:
            self.stats.batches += 1
            self.stats.responses += stored
            self.stats.largest_batch = max(self.stats.largest_batch, len(batch))
            metrics.observe_group_commit(stored)
        for item, outcome in zip(batch, outcomes, strict=True):
            if item.answer.done():  # the client went away; its response is stored all the same
                continue
            if isinstance(outcome, StoreError):
                item.answer.set_exception(outcome)
            else:
                item.answer.set_result(outcome)

    def _write_each(self, batch: Sequence[_Queued]) -> list[Ack | StoreError]:
        """Each submission in a transaction of its own, after its batch was refused as a whole.

        A connection-level failure on the way ends it: the rest are answered 503 rather than
        each waiting on a database that is not there.
        """
        outcomes: list[Ack | StoreError] = []
        for item in batch:
            try:
                outcomes.extend(self._write([item]))
            except self._refusals as exc:
                log.warning("the database refused an online submission: %s", first_line(exc))
                outcomes.append(_refused())
            except Exception:
                log.exception("storing the rest of a refused batch failed")
                return outcomes + [UnavailableError(_UNAVAILABLE)] * (len(batch) - len(outcomes))
        return outcomes

    def _write(self, batch: Sequence[_Queued]) -> list[Ack | StoreError]:
        """Store the batch, then check its targets in the same transaction; redo without the refused.

        Checking after the inserts needs no row lock (a share lock on the version, taken by two
        workers' transactions at once, cost PostgreSQL more than the check): an in-place edit of
        the version locks the responses table first, so either it waits for this commit and then
        sees these responses, or this transaction's inserts waited for it and the check sees the
        new content. The redo is rare: it happens only when the cache was wrong.
        """
        outcomes: list[Ack | StoreError | None] = [None] * len(batch)
        pending = list(range(len(batch)))
        while pending:
            try:
                with self._factory() as session, session.begin():
                    stored = ResponseService(session).store_prepared([batch[i].prepared for i in pending])
                    checks = _check_targets(session, [batch[i].target for i in pending])
                    refused = {
                        i: check for i, check in zip(pending, checks, strict=True) if check is not None
                    }
                    if refused:
                        raise _Refused(refused)
            except _Refused as exc:
                for index, error in exc.refused.items():
                    outcomes[index] = error
                pending = [i for i in pending if i not in exc.refused]
                continue
            for index, outcome in zip(pending, stored, strict=True):
                outcomes[index] = outcome
            break
        return cast("list[Ack | StoreError]", outcomes)  # every position is settled by now


class _Refused(Exception):  # noqa: N818 - control flow: rolls the batch's transaction back
    def __init__(self, refused: dict[int, StoreError]) -> None:
        self.refused = refused


def _check_targets(session: Session, targets: Sequence[OnlineTarget]) -> list[StoreError | None]:
    """Per target: None when the store still agrees with the cache, else the error to give."""
    version_ids = sorted({t.version.id for t in targets})
    if on_postgresql(session):
        now = utcnow()
        rows = bulk.fetch(session, _TARGETS_SQL, (now, now, version_ids))
    else:
        versions, consultations = _VERSIONS.c, _CONSULTATIONS.c
        rows = [
            tuple(row)
            for row in session.execute(
                select(
                    versions.id, versions.content_hash, status_sql(utcnow()), consultations.invitation_only
                )
                .join_from(_VERSIONS, _CONSULTATIONS, consultations.id == versions.consultation_id)
                .where(versions.id.in_(version_ids))
            )
        ]
    current = {row[0]: row[1:] for row in rows}
    checks: list[StoreError | None] = []
    for target in targets:
        found = current.get(target.version.id)
        if found is None:
            checks.append(NotFoundError(f"questionnaire version {target.version.id} not found"))
        elif found[1] != "open":
            checks.append(NotFoundError(f"consultation '{target.slug}' is not open"))
        elif found[0] != target.version.content_hash or found[2] != target.invitation_only:
            checks.append(StaleTargetError(f"consultation '{target.slug}' changed; submit again"))
        else:
            checks.append(None)
    return checks


def _refused() -> InvalidAnswersError:
    """What a response the database itself refuses is told: a 422, since sending it again cannot help."""
    return InvalidAnswersError(
        [
            FieldError(
                "answers", "refused_by_store", "the store refused this response; correct it before sending"
            )
        ]
    )


def submit_alone(
    factory: sessionmaker[Session],
    slug: str,
    version_id: int,
    invitation_code: str | None,
    submission: Callable[[QuestionnaireVersion, Questionnaire], Submission],
) -> Ack:
    """One response in its own transaction, with everything looked up afresh (and its invitation used).

    The slow path beside the group commits: recruited panels (their code is claimed with the
    response) and requests whose cached questionnaire turned out stale. ``submission`` builds what
    to store from the version found, or raises InvalidAnswersError.
    """
    with transaction(factory) as session:
        consultation, version = ConsultationService(session).open_with_version(slug, version_id)
        ack = ResponseService(session).submit(submission(version, load_questionnaire(version)))
        if ack.status is AckStatus.STORED and consultation.invitation_only:
            # Raising here rolls the whole transaction back: no response is kept without its code.
            InvitationService(session).use(consultation, invitation_code, ack.uuid)
        return ack
