"""The path through a questionnaire: which questions and pages a respondent with given answers sees.

Shared by the citizen pages (which page comes next) and the progress service (where a resumed
response continues), so both follow the same ``relevant`` conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey.questionnaire.expressions import parse
from survey.questionnaire.model import Page, Question, Questionnaire


def _true(source: str | None, answers: Mapping[str, Any]) -> bool:
    return source is None or not source.strip() or parse(source).is_true(answers)


def question_on(question: Question, answers: Mapping[str, Any]) -> bool:
    return _true(question.relevant, answers)


def page_on(page: Page, answers: Mapping[str, Any]) -> bool:
    """A page is shown when its own condition holds and at least one question on it is relevant."""
    return _true(page.relevant, answers) and any(
        q.type.is_shown and question_on(q, answers) for q in page.questions
    )


def visible_pages(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[int]:
    """Indexes (0-based) of the pages a respondent with these answers goes through."""
    return [i for i, page in enumerate(questionnaire.pages) if page_on(page, answers)]
