"""ProgressService.post_page: one service call per posted page, an outcome the citizen pages render.

The controller only reads the form and renders what comes back, so where a page leads is decided
here; run on SQLite and PostgreSQL like every store test.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from survey.store.db import transaction
from survey.store.models import QuestionnaireVersion
from survey.store.services.consultations import ConsultationService
from survey.store.services.progress import PageOutcome, PagePost, ProgressService, Step, Unfinished
from tests.factories import demo_questionnaire, store_demo_form, valid_answers

SLUG = "demo"


def _start(sessions: sessionmaker[Session]) -> str:
    version_id = store_demo_form(sessions, SLUG).id
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, version_id)
        assert version is not None
        _response, token = ProgressService(session).start(version, "en", False)
    return token


def _values(index: int, answers: Mapping[str, object]) -> dict[str, object]:
    names = [q.name for q in demo_questionnaire().pages[index].questions]
    return {name: answers[name] for name in names if name in answers}


def _post(
    sessions: sessionmaker[Session], token: str, index: int, values: Mapping[str, object], *,
    action: str = "next", shown: set[str] | None = None, scripted: bool = True,
) -> PageOutcome:  # fmt: skip
    with transaction(sessions) as session:
        service = ProgressService(session)
        found = service.unfinished(SLUG, token)
        assert isinstance(found, Unfinished)
        posted = PagePost(index, values, action, frozenset(shown if shown is not None else values), scripted, "en",
                          False)  # fmt: skip
        return service.post_page(found, posted)


def test_each_page_leads_to_the_next_and_the_last_one_sends(sessions: sessionmaker[Session]) -> None:
    token = _start(sessions)
    answers = valid_answers()
    pages = len(demo_questionnaire().pages)
    for index in range(pages - 1):
        outcome = _post(sessions, token, index, _values(index, answers))
        assert (outcome.step, outcome.page) == (Step.NEXT, index + 1)
    assert _post(sessions, token, pages - 1, _values(pages - 1, answers)).step is Step.COMPLETED
    with transaction(sessions) as session:
        service = ProgressService(session)
        assert not isinstance(service.unfinished(SLUG, token), Unfinished)
        finished = service.finished(token)
        assert finished is not None and finished.response.status == "complete"


def test_errors_show_the_page_again_and_keep_the_valid_answers(sessions: sessionmaker[Session]) -> None:
    token = _start(sessions)
    values = _values(0, valid_answers(sex=None))
    outcome = _post(sessions, token, 0, values)
    assert outcome.step is Step.AGAIN
    assert [e.question for e in outcome.errors] == ["sex"]
    assert outcome.answers["age_group"] == "25-34" and "sex" not in outcome.answers
    with transaction(sessions) as session:
        service = ProgressService(session)
        found = service.unfinished(SLUG, token)
        assert isinstance(found, Unfinished)
        assert service.answers(found.response, found.questionnaire)["municipality"] == "ixelles"
        assert service.resume_page(found) == 0  # the page still missing an answer


def test_back_from_the_first_page_leads_to_the_landing_page(sessions: sessionmaker[Session]) -> None:
    token = _start(sessions)
    assert _post(sessions, token, 0, {}, action="back") == PageOutcome(Step.BACK, page=None)
    assert _post(sessions, token, 2, {}, action="save").step is Step.SAVED


def test_a_question_switched_on_without_the_script_is_shown_before_it_is_required(
    sessions: sessionmaker[Session],
) -> None:
    token = _start(sessions)
    values = {"merge_municipalities": "disagree"}
    unseen = _post(sessions, token, 1, values, scripted=False)
    assert (unseen.step, unseen.more, unseen.errors) == (Step.AGAIN, True, [])
    scripted = _post(sessions, token, 1, values)
    assert scripted.step is Step.AGAIN and [e.question for e in scripted.errors] == ["merge_why_not"]


def test_a_closed_consultation_or_a_page_out_of_range_is_not_stored(sessions: sessionmaker[Session]) -> None:
    token = _start(sessions)
    assert _post(sessions, token, 99, {}).step is Step.NOT_FOUND
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        consultation.status = "closed"
    closed = _post(sessions, token, 0, _values(0, valid_answers()))
    assert closed.step is Step.CLOSED and closed.consultation is not None and not closed.published
