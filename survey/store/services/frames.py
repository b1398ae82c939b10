"""Responses as an analysis frame: one row per complete response, one column per question.

Two queries (responses, answers) read straight into polars and one pivot makes the wide frame;
no per-row Python, so 100k responses load in seconds.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.models import Answer, Response, ResponseStatus

META_COLUMNS = ("uuid", "mode", "language", "questionnaire_version_id", "submitted_at")


def responses_frame(
    session: Session,
    consultation_id: int,
    questionnaire: Questionnaire,
    *,
    statuses: tuple[ResponseStatus, ...] = (ResponseStatus.COMPLETE,),
) -> pl.DataFrame:
    """Wide frame; select_multiple answers are space-joined choice names, numbers are floats."""
    connection = session.connection()
    status_values = [s.value for s in statuses]
    meta = pl.read_database(
        select(Response.id.label("response_id"), *(getattr(Response, c) for c in META_COLUMNS))
        .where(Response.consultation_id == consultation_id, Response.status.in_(status_values))
        .order_by(Response.id),
        connection,
        schema_overrides={"submitted_at": pl.Datetime("us", "UTC")},
    )
    answers = pl.read_database(
        select(Answer.response_id, Answer.question, Answer.position, Answer.value_text, Answer.value_number)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.consultation_id == consultation_id, Response.status.in_(status_values))
        .order_by(Answer.response_id, Answer.question, Answer.position),
        connection,
        schema_overrides={"value_text": pl.String, "value_number": pl.Float64},
    )
    frame = meta
    numeric = {q.name for q in questionnaire.questions if q.type.is_numeric}
    if answers.height:
        texts = (
            answers.filter(~pl.col("question").is_in(list(numeric)))
            .group_by("response_id", "question", maintain_order=True)
            .agg(pl.col("value_text").str.join(" "))
            .pivot(on="question", index="response_id", values="value_text")
        )
        numbers = answers.filter(pl.col("question").is_in(list(numeric))).pivot(
            on="question", index="response_id", values="value_number"
        )
        for part in (texts, numbers):
            if part.width > 1:
                frame = frame.join(part, on="response_id", how="left")
    for question in questionnaire.questions:
        if question.type is QuestionType.NOTE or question.name in frame.columns:
            continue
        dtype = pl.Float64 if question.name in numeric else pl.String
        frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(question.name))
    ordered = [
        "response_id",
        *META_COLUMNS,
        *(q.name for q in questionnaire.questions if q.type is not QuestionType.NOTE),
    ]
    return frame.select([c for c in ordered if c in frame.columns])
