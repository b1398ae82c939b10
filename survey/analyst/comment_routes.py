"""The open-comments page of the workbench: search, filters, counts and server-side pages.

Why a GET form and links, no script: the filters are a bookmarkable URL, the page works without
JavaScript and every control is a native form field or link, so a keyboard reaches all of them.
The query itself is :func:`survey.store.services.comments.search_comments`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath

from survey.analyst import auth
from survey.analyst.comments_text import comments_text
from survey.analyst.labels import Labels
from survey.analyst.pages import HTML, page
from survey.analyst.public_text import date as long_date
from survey.analyst.workbench_text import workbench_language
from survey.http.deps import provide_service
from survey.http.i18n import LANGUAGE_NAMES
from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.models import Consultation, Mode
from survey.store.services.comments import CommentFilter, CommentService
from survey.store.services.consultations import ConsultationService, load_questionnaire

__all__ = ["CommentsController"]

ANSWER_SEPARATOR = ":"  # ?answer=merge_support:agree (question names cannot hold a colon)


@dataclass(frozen=True)
class _Page:
    """What the workbench's navigation and labels read (the comments page runs no weighting)."""

    consultation: Consultation
    labels: Labels


def _text_questions(questionnaire: Questionnaire) -> list[str]:
    return [q.name for q in questionnaire.questions if q.type is QuestionType.TEXT]


def _answer_choices(questionnaire: Questionnaire, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(question label, [(value, choice label)]) for every single-choice question."""
    labels = Labels.from_questionnaire(questionnaire)
    return [
        (
            labels.question(q.name, lang),
            [
                (f"{q.name}{ANSWER_SEPARATOR}{c.name}", labels.choice(q.name, c.name, lang))
                for c in questionnaire.choices_for(q)
            ],
        )
        for q in questionnaire.questions
        if q.type is QuestionType.SELECT_ONE
    ]


def _filter(request: Request[Any, Any, Any], questionnaire: Questionnaire) -> CommentFilter:
    """The filter in the query string; a value naming nothing in this questionnaire is a 400."""
    q = request.query_params
    texts = _text_questions(questionnaire)
    questions = tuple(v for v in q.getall("question", []) if v)
    unknown = [v for v in questions if v not in texts]
    mode = q.get("mode") or ""
    single = {qq.name: {c.name for c in questionnaire.choices_for(qq)} for qq in questionnaire.questions
              if qq.type is QuestionType.SELECT_ONE}  # fmt: skip
    answers = []
    for value in (v for v in q.getall("answer", []) if v):
        question, _, choice = value.partition(ANSWER_SEPARATOR)
        if choice not in single.get(question, set()):
            unknown.append(value)
        answers.append((question, choice))
    if mode and mode not in {m.value for m in Mode}:
        unknown.append(mode)
    if unknown:
        raise ValidationException(
            f"not a question, answer or mode of this consultation: {', '.join(unknown)}"
        )
    number = q.get("page") or "1"
    return CommentFilter(
        text=(q.get("q") or "").strip(),
        questions=questions,
        mode=mode,
        language=q.get("language") or "",
        answers=tuple(answers),
        page=int(number) if number.isdigit() else 1,
    )


class CommentsController(Controller):
    """Open comments of one consultation (analyst or admin)."""

    path = "/analyst/{slug:str}/comments"
    guards = [auth.staff_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "consultation_service": provide_service(ConsultationService),
        "comment_service": provide_service(CommentService),
    }

    @get("/", media_type=HTML, sync_to_thread=True)
    def comments(
        self, request: Request[Any, Any, Any], consultation_service: NamedDependency[ConsultationService],
        comment_service: NamedDependency[CommentService], slug: FromPath[str],
    ) -> Response[str]:  # fmt: skip
        consultations = consultation_service
        consultation = consultations.get(slug)
        questionnaire = load_questionnaire(consultations.current_version(consultation))
        lang = workbench_language(request)
        wanted = _filter(request, questionnaire)
        texts = _text_questions(questionnaire)
        found = comment_service.search(consultation.id, texts, wanted)
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "lang")]
        labels = Labels.from_questionnaire(questionnaire)
        return page(
            request, "analyst/comments.html", ctx=_Page(consultation, labels), query="", found=found,
            wanted=wanted, ct=comments_text(lang), texts=[(n, labels.question(n, lang)) for n in texts],
            modes=[m.value for m in Mode], languages_found=comment_service.languages(consultation.id, texts),
            answer_choices=_answer_choices(questionnaire, lang), language_names=dict(LANGUAGE_NAMES),
            chosen_answers={f"{a}{ANSWER_SEPARATOR}{c}" for a, c in wanted.answers},
            page_link=lambda n: f"?{urlencode([*kept, ('page', str(n))])}",
            written=lambda value: long_date(value, lang),
        )  # fmt: skip
