"""The workbench's analysis cache never serves a stale statistic, stays within its bound, and is per app.

Each write kind the analysis reads goes through the real services (a citizen's online submission, a
tablet's sync, a field correction that supersedes an interview, an erasure, a new target upload, a
scheme saved again under its name); the cached API answer must change after it and equal a fresh,
uncached analysis of the store. Both backends (the demo copy follows the run's ``database_url``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from collections.abc import Callable
from typing import Any

from litestar.datastructures import MultiDict
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from field_app.schemas import SyncItem
from field_app.sync import Collector, SyncService
from survey.analyst.analysis_cache import ANALYSIS_CACHE, AnalysisCache
from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.analyst.workbench_service import WorkbenchService
from survey.questionnaire.model import QuestionType
from survey.settings import Settings
from survey.store.models import Device, Mode, Response, ResponseStatus, User
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.counted import counted
from survey.store.services.erasure import erase
from survey.store.services.progress import ProgressService
from survey.store.services.responses import ResponseService, Submission
from survey.store.services.revision import data_revision
from survey.store.services.targets import TargetRow
from tests.analyst.conftest import SLUG, login
from tests.app_pool import lent_app

Write = Callable[[Session], None]
RESULTS = f"/analyst/api/{SLUG}/results"


def _cache(client: TestClient) -> AnalysisCache:
    cache: AnalysisCache = client.app.state[ANALYSIS_CACHE]
    return cache


def _results(client: TestClient, query: str = "") -> dict[str, Any]:
    reply = client.get(RESULTS + query)
    assert reply.status_code == 200, reply.text
    found: dict[str, Any] = reply.json()
    return found


def _weighted(answer: dict[str, Any]) -> dict[tuple[str, str], float]:
    return {
        (q["name"], row["category"]): row["weighted"]["estimate"]
        for q in answer["questions"]
        for row in q["rows"]
    }


def _same_as_fresh(demo: sessionmaker[Session], answer: dict[str, Any], spec: WeightingSpec) -> None:
    """The API's answer equals an analysis computed now, without any cache, from the store."""
    with demo() as session:
        fresh = run_analysis(load_context(session, SLUG, scheme=spec.scheme or None), spec)
    assert answer["n"] == fresh.n
    expected = {
        (r.name, row["category"]): row["weighted"]["estimate"] for r in fresh.results for row in r.rows
    }
    got = _weighted(answer)
    assert got.keys() == expected.keys()
    assert all(math.isclose(got[k], expected[k], rel_tol=1e-9, abs_tol=1e-12) for k in expected)


def _cached_then_changed(
    analyst: TestClient,
    demo: sessionmaker[Session],
    write: Write,
    query: str = "",
    spec: WeightingSpec | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer before (served from the cache the second time) and after ``write`` committed."""
    cache = _cache(analyst)
    before = _results(analyst, query)
    hits = cache.hits
    assert _results(analyst, query) == before
    assert cache.hits == hits + 1  # the same data and settings: served from the cache
    runs = cache.runs
    with demo.begin() as session:
        write(session)
    after = _results(analyst, query)
    assert cache.runs == runs + 1  # the write made a new key: computed again, not served
    _same_as_fresh(demo, after, spec or WeightingSpec())
    return before, after


def _counted(session: Session, mode: str) -> Response:
    found = session.scalars(
        select(Response)
        .where(counted(_consultation_id(session)), Response.mode == mode)
        .order_by(Response.id)
    ).first()
    assert found is not None
    return found


def _consultation_id(session: Session) -> int:
    return ConsultationService(session).get(SLUG).id


def _answers_of(session: Session, response: Response) -> dict[str, Any]:
    version = ConsultationService(session).current_version(ConsultationService(session).get(SLUG))
    return dict(ProgressService(session).answers(response, load_questionnaire(version)))


def _other_choice(session: Session, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with the first answered single-choice question changed to another choice."""
    version = ConsultationService(session).current_version(ConsultationService(session).get(SLUG))
    questionnaire = load_questionnaire(version)
    for question in questionnaire.questions:
        if question.type is QuestionType.SELECT_ONE and question.name in answers:
            others = [c.name for c in questionnaire.choices_for(question) if c.name != answers[question.name]]
            return {**answers, question.name: others[0]}
    raise AssertionError("no single-choice answer to change")


def _sync(session: Session, **fields: Any) -> None:
    device = session.scalars(select(Device).order_by(Device.id)).first()
    assert device is not None
    version = ConsultationService(session).current_version(ConsultationService(session).get(SLUG))
    when = dt.datetime(2022, 12, 1, 10, 0, tzinfo=dt.UTC)
    item = SyncItem(
        uuid=str(uuid.uuid4()),
        consultation=SLUG,
        version_id=version.id,
        started_at=when,
        submitted_at=when + dt.timedelta(minutes=9),
        **fields,
    )
    results = SyncService(session, Collector(device.id, device.user_id)).apply([item])
    assert [r.status for r in results] == ["stored"], results


def test_a_new_online_submission_is_counted_at_once(analyst: TestClient, demo: sessionmaker[Session]) -> None:
    def submit(session: Session) -> None:
        model = _counted(session, Mode.ONLINE.value)
        version = ConsultationService(session).current_version(ConsultationService(session).get(SLUG))
        ack = ResponseService(session).submit(
            Submission(
                uuid=str(uuid.uuid4()),
                version=version,
                mode=Mode.ONLINE,
                language=model.language,
                answers=_answers_of(session, model),
            )
        )
        assert ack.status == "stored"

    before, after = _cached_then_changed(analyst, demo, submit)
    assert after["n"]["all"] == before["n"]["all"] + 1
    assert after["n"]["online"] == before["n"]["online"] + 1


def test_a_field_sync_is_counted_at_once(analyst: TestClient, demo: sessionmaker[Session]) -> None:
    def sync(session: Session) -> None:
        model = _counted(session, Mode.FIELD.value)
        _sync(session, language=model.language, answers=_answers_of(session, model))

    before, after = _cached_then_changed(analyst, demo, sync)
    assert after["n"]["field"] == before["n"]["field"] + 1


def test_a_correction_supersedes_the_cached_interview(
    analyst: TestClient, demo: sessionmaker[Session]
) -> None:
    def correct(session: Session) -> None:
        original = _counted(session, Mode.FIELD.value)
        answers = _other_choice(session, _answers_of(session, original))
        _sync(session, language=original.language, answers=answers, replaces_uuid=original.uuid)

    before, after = _cached_then_changed(analyst, demo, correct)
    assert after["n"] == before["n"]  # one interview replaced by its correction: as many counted
    assert _weighted(after) != _weighted(before)  # but one answer is another now


def test_an_erasure_removes_the_response_from_cached_results(
    analyst: TestClient, demo: sessionmaker[Session]
) -> None:
    def forget(session: Session) -> None:
        erase(session, "response", _counted(session, Mode.ONLINE.value).uuid, actor="test")

    before, after = _cached_then_changed(analyst, demo, forget)
    assert after["n"]["all"] == before["n"]["all"] - 1


def test_a_new_target_upload_is_weighted_to_at_once(analyst: TestClient, demo: sessionmaker[Session]) -> None:
    def upload(session: Session) -> None:
        service = WorkbenchService(session)
        rows = service.context(SLUG).target_rows
        first = rows[0].variable
        share = [r for r in rows if r.variable == first]
        moved = 0.05 if share[1].share > 0.05 else -0.05  # move weight between two categories of a margin
        changed = {share[0].category: share[0].share + moved, share[1].category: share[1].share - moved}
        new = [
            TargetRow(
                r.variable, r.category, changed.get(r.category, r.share) if r.variable == first else r.share
            )
            for r in rows
        ]
        assert (
            service.add_targets(SLUG, new, population=None, label="moved", source="test", actor="test") == []
        )

    before, after = _cached_then_changed(analyst, demo, upload)
    assert after["weighting"]["targets"] != before["weighting"]["targets"]
    assert _weighted(after) != _weighted(before)


def test_a_scheme_saved_again_under_its_name_is_weighted_anew(
    analyst: TestClient, demo: sessionmaker[Session]
) -> None:
    name = f"cache-{uuid.uuid4().hex[:8]}"
    with demo.begin() as session:
        assert (
            WorkbenchService(session).add_scheme(
                SLUG, name, "", MultiDict({"method": "rake"}), actor=_analyst(session)
            )
            is None
        )

    def resave(session: Session) -> None:
        service = WorkbenchService(session)
        service.remove_scheme(SLUG, name, actor=_analyst(session))
        refusal = service.add_scheme(
            SLUG, name, "", MultiDict({"method": "poststratify", "variables": "sex"}), actor=_analyst(session)
        )
        assert refusal is None

    spec = WeightingSpec(method="poststratify", variables=("sex",), scheme=name)
    before, after = _cached_then_changed(analyst, demo, resave, f"?scheme={name}", spec)
    assert before["spec"]["method"] == "rake" and after["spec"]["method"] == "poststratify"
    assert _weighted(after) != _weighted(before)


def test_a_new_questionnaire_version_is_analysed_anew(
    analyst: TestClient, demo: sessionmaker[Session]
) -> None:
    """A version whose wording changed (same questions) is a new key: the frame and analysis are made again."""
    with demo() as session:
        first_id = ConsultationService(session).current_version(ConsultationService(session).get(SLUG)).id

    def publish(session: Session) -> None:
        service = ConsultationService(session)
        consultation = service.get(SLUG)
        current = load_questionnaire(service.current_version(consultation))
        reworded = dataclasses.replace(
            current,
            version=f"{current.version}-b",
            title={**current.title, "en": "Brussels futures, reworded"},
        )
        assert service.add_version(consultation, reworded, source_name="reworded.xlsx", actor="test").created

    before, after = _cached_then_changed(analyst, demo, publish)
    with demo() as session:
        assert (
            ConsultationService(session).current_version(ConsultationService(session).get(SLUG)).id
            != first_id
        )
    assert after["n"] == before["n"]


def _analyst(session: Session) -> User:
    return session.scalars(select(User).where(User.username == "analyst")).one()


def test_the_revision_changes_with_each_write_and_never_returns(demo: sessionmaker[Session]) -> None:
    """Submit, then erase the same response: the digest is new both times (no earlier value again)."""
    with demo() as session:
        consultation_id = _consultation_id(session)
        first = data_revision(session, consultation_id)
        assert data_revision(session, consultation_id) == first  # stable while nothing changes
    new = str(uuid.uuid4())
    with demo.begin() as session:
        model = _counted(session, Mode.ONLINE.value)
        version = ConsultationService(session).current_version(ConsultationService(session).get(SLUG))
        ResponseService(session).submit(
            Submission(
                uuid=new,
                version=version,
                mode=Mode.ONLINE,
                language=model.language,
                answers=_answers_of(session, model),
            )
        )
    with demo() as session:
        second = data_revision(session, consultation_id)
    with demo.begin() as session:
        erase(session, "response", new, actor="test")
    with demo() as session:
        third = data_revision(session, consultation_id)
    assert len({first, second, third}) == 3


def test_an_unfinished_response_does_not_change_the_revision(demo: sessionmaker[Session]) -> None:
    """In-progress answers are never counted, so saving a page does not throw the cache away."""
    with demo() as session:
        consultation_id = _consultation_id(session)
        first = data_revision(session, consultation_id)
    with demo.begin() as session:
        version = ConsultationService(session).current_version(ConsultationService(session).get(SLUG))
        ResponseService(session).submit(
            Submission(
                uuid=str(uuid.uuid4()),
                version=version,
                mode=Mode.ONLINE,
                language="fr",
                answers={},
                status=ResponseStatus.IN_PROGRESS,
            )
        )
    with demo() as session:
        assert data_revision(session, consultation_id) == first


def test_the_cache_keeps_at_most_its_bound(demo: sessionmaker[Session]) -> None:
    cache = AnalysisCache(frames=1, analyses=2)
    specs = [
        WeightingSpec(method="rake"),
        WeightingSpec(method="poststratify", variables=("sex",)),
        WeightingSpec(method="linear"),
    ]
    with demo() as session:
        service = WorkbenchService(session, cache)
        for spec in specs:
            service.analysis(service.context(SLUG), spec)
        assert (len(cache.frames), len(cache.analyses), cache.runs) == (1, 2, 3)
        service.analysis(service.context(SLUG), specs[-1])  # the latest two are kept...
        assert (cache.runs, cache.hits) == (3, 1)
        service.analysis(service.context(SLUG), specs[0])  # ...the first was let go: computed again
        assert (cache.runs, len(cache.analyses)) == (4, 2)


def test_two_apps_never_share_entries(demo: sessionmaker[Session], demo_settings: Settings) -> None:
    caches = []
    for _ in range(2):
        with lent_app(demo_settings) as app, TestClient(app) as client:
            assert login(client) == 303
            _results(client)
            cache = _cache(client)
            assert (cache.runs, cache.hits, len(cache.analyses)) == (1, 0, 1)  # computed here, not found
            caches.append(cache)
    assert caches[0] is not caches[1]
