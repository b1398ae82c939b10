"""Unfinished online responses, kept server-side so a respondent can come back without an account.

An unfinished response is an ordinary ``responses`` row with status ``in_progress``; the only key
to it is a random resume token of which we store the SHA-256, so a database leak does not hand out
working links. The final submission goes through :class:`ResponseService` like every other mode,
so online answers get exactly the same validation and idempotency as field and paper ones.
"""

from __future__ import annotations

import secrets
import uuid as uuid_lib
from collections.abc import Mapping

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.validation import Answer as AnswerValue
from survey.store.models import Answer, Mode, QuestionnaireVersion, Response, ResponseStatus, utcnow
from survey.store.services.responses import Ack, ResponseService, Submission, content_hash
from survey.store.tokens import hash_token


def _rows(answers: Mapping[str, AnswerValue]) -> list[Answer]:
    rows: list[Answer] = []
    for question, value in answers.items():
        if isinstance(value, list):
            rows.extend(Answer(question=question, position=i, value_text=v) for i, v in enumerate(value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            rows.append(Answer(question=question, value_number=float(value)))
        else:
            rows.append(Answer(question=question, value_text=str(value)))
    return rows


class ProgressStore:
    """Start, find, save and finish unfinished online responses."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def start(
        self, version: QuestionnaireVersion, language: str, easy_read: bool, *, is_test: bool = False
    ) -> tuple[Response, str]:
        """A new empty in-progress response and its resume token (shown once, never stored).

        ``is_test``: started through the organisers' test link; the mark stays when it is sent.
        """
        token = secrets.token_urlsafe(24)
        ack = ResponseService(self.session).submit(
            Submission(
                uuid=str(uuid_lib.uuid4()), version=version, mode=Mode.ONLINE, language=language,
                answers={}, status=ResponseStatus.IN_PROGRESS, easy_read=easy_read, started_at=utcnow(),
            )
        )  # fmt: skip
        response = self.session.get(Response, ack.response_id)
        assert response is not None
        response.resume_token_hash = hash_token(token)
        response.is_test = is_test
        self.session.flush()
        return response, token

    def find(self, token: str) -> Response | None:
        if not token or len(token) > 100:
            return None
        return self.session.scalar(select(Response).where(Response.resume_token_hash == hash_token(token)))

    def lock(self, response: Response) -> bool:
        """Take the response for this request, or False if it is no longer in progress.

        Two posts of the same page (a double click on "send", a retry after a timeout) then run one
        after the other: the second finds the response completed and is shown the thank-you page
        instead of storing it twice. A no-op UPDATE locks the row on PostgreSQL and takes SQLite's
        write lock, so the same code serialises both.
        """
        taken = self.session.execute(
            update(Response)
            .where(Response.id == response.id, Response.status == ResponseStatus.IN_PROGRESS.value)
            .values(status=Response.status)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]

    def answers(self, response: Response, questionnaire: Questionnaire) -> dict[str, AnswerValue]:
        """The stored answers, typed back as validation returns them."""
        types = {q.name: q.type for q in questionnaire.questions}
        rows = self.session.scalars(
            select(Answer).where(Answer.response_id == response.id).order_by(Answer.question, Answer.position)
        )
        out: dict[str, AnswerValue] = {}
        for row in rows:
            kind = types.get(row.question)
            if kind is QuestionType.SELECT_MULTIPLE:
                existing = out.setdefault(row.question, [])
                assert isinstance(existing, list)
                existing.append(row.value_text or "")
            elif row.value_number is not None:
                out[row.question] = (
                    int(row.value_number) if kind is QuestionType.INTEGER else row.value_number
                )
            else:
                out[row.question] = row.value_text or ""
        return out

    def save(
        self,
        response: Response,
        version: QuestionnaireVersion,
        answers: Mapping[str, AnswerValue],
        language: str,
        easy_read: bool,
    ) -> None:
        """Replace the partial answers (already validated with ``partial=True``)."""
        if response.status != ResponseStatus.IN_PROGRESS.value:
            raise ValueError("only an in-progress response can be saved")
        self.session.execute(delete(Answer).where(Answer.response_id == response.id))
        for row in _rows(answers):
            row.response_id = response.id
            self.session.add(row)
        response.language = language
        response.easy_read = easy_read
        response.content_hash = content_hash(version.content_hash, Mode.ONLINE, language, answers)
        response.received_at = utcnow()
        self.session.flush()

    def complete(
        self, response: Response, version: QuestionnaireVersion, answers: Mapping[str, object], language: str,
        easy_read: bool,
    ) -> Ack:  # fmt: skip
        """Submit the finished response under the same UUID; the link then only shows the thank-you page.

        The in-progress row is replaced by the one ResponseService stores (same UUID, same token
        hash), inside the request's transaction: either the complete response exists or nothing changed.
        """
        uuid, started, token_hash = response.uuid, response.started_at, response.resume_token_hash
        is_test = response.is_test
        self.session.execute(delete(Answer).where(Answer.response_id == response.id))
        self.session.delete(response)
        self.session.flush()
        ack = ResponseService(self.session).submit(
            Submission(
                uuid=uuid, version=version, mode=Mode.ONLINE, language=language, answers=answers,
                easy_read=easy_read, started_at=started,
            )
        )  # fmt: skip
        stored = self.session.get(Response, ack.response_id)
        assert stored is not None
        stored.resume_token_hash = token_hash
        stored.is_test = is_test
        self.session.flush()
        return ack
