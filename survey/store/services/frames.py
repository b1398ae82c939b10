"""Responses as an analysis frame: one row per complete response, one column per question.

Two queries (responses, answers) read straight into polars and one pivot makes the wide frame;
no per-row Python. On PostgreSQL the queries are streamed with ``COPY ... TO STDOUT`` and parsed
by polars' CSV reader: fetching 3 million answer rows as Python tuples would take most of the
report's time budget, COPY moves them in about a second.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Connection, Select, func, select
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.models import Answer, Response, ResponseStatus

META_COLUMNS = ("uuid", "mode", "language", "questionnaire_version_id", "submitted_at")
_ANSWER_SCHEMA: dict[str, Any] = {
    "response_id": pl.Int64, "question": pl.String, "position": pl.Int64,
    "value_text": pl.String, "value_number": pl.Float64,
}  # fmt: skip


def _read(connection: Connection, query: Select[*tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    """Run ``query`` into a polars frame; PostgreSQL through COPY, other databases through the cursor."""
    if connection.dialect.name != "postgresql":
        return pl.read_database(query, connection, schema_overrides=schema)
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    buffer = io.BytesIO()
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy:
        for block in copy:
            buffer.write(block)
    # NULL arrives as an unquoted empty field (read as null), '' as "" (read as ''), as in the table.
    return pl.read_csv(buffer.getvalue(), schema_overrides=schema)


def _meta(connection: Connection, consultation_id: int, statuses: list[str]) -> pl.DataFrame:
    columns: list[Any] = [getattr(Response, c) for c in META_COLUMNS if c != "submitted_at"]
    if connection.dialect.name == "postgresql":
        # microseconds since the epoch: exact, and no text timestamp format to parse
        micros = (func.extract("epoch", Response.submitted_at) * 1_000_000).cast(BigInteger)
        columns.append(micros.label("submitted_at"))
        schema: dict[str, Any] = {"submitted_at": pl.Int64}
    else:
        columns.append(Response.submitted_at)
        schema = {"submitted_at": pl.Datetime("us", "UTC")}
    query = (
        select(Response.id.label("response_id"), *columns)
        .where(Response.consultation_id == consultation_id, Response.status.in_(statuses))
        .order_by(Response.id)
    )
    meta = _read(connection, query, schema)
    return meta.with_columns(pl.col("submitted_at").cast(pl.Datetime("us", "UTC"))).select(
        "response_id", *META_COLUMNS
    )


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
    frame = _meta(connection, consultation_id, status_values)
    answers = _read(
        connection,
        select(Answer.response_id, Answer.question, Answer.position, Answer.value_text, Answer.value_number)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.consultation_id == consultation_id, Response.status.in_(status_values)),
        _ANSWER_SCHEMA,
    )
    numeric = [q.name for q in questionnaire.questions if q.type.is_numeric]
    multiple = [q.name for q in questionnaire.questions if q.type is QuestionType.SELECT_MULTIPLE]
    if answers.height:
        is_numeric, is_multiple = pl.col("question").is_in(numeric), pl.col("question").is_in(multiple)
        joined = (  # only select_multiple has several rows per response and question: join those in order
            answers.filter(is_multiple)
            .sort("response_id", "question", "position")
            .group_by("response_id", "question", maintain_order=True)
            .agg(pl.col("value_text").str.join(" "))
        )
        single = answers.filter(~is_numeric & ~is_multiple).select("response_id", "question", "value_text")
        texts = pl.concat([single, joined]).pivot(on="question", index="response_id", values="value_text")
        numbers = answers.filter(is_numeric).pivot(on="question", index="response_id", values="value_number")
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
