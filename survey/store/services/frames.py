"""Responses as an analysis frame: one row per counted response, one column per question.

Counted means complete and not superseded by a field correction (:mod:`survey.store.services.counted`);
the superseded originals can be read apart, for an audit export.

Two queries (responses, answers) read straight into polars, then one left join per question makes
the wide frame; no per-row Python. On PostgreSQL the queries are streamed with ``COPY ... TO STDOUT``, read
straight from libpq and parsed by polars' CSV reader: fetching 3 million answer rows as Python
tuples would take most of the report's time budget.
"""

from __future__ import annotations

import io
from typing import Any, Literal

import polars as pl
from psycopg import DatabaseError, pq
from sqlalchemy import BigInteger, ColumnElement, Connection, Select, func, select
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.errors import StoreError
from survey.store.models import Answer, Response
from survey.store.services.counted import counted, superseded

Rows = Literal["counted", "superseded"]

META_COLUMNS = ("uuid", "mode", "language", "questionnaire_version_id", "submitted_at")
_ANSWER_SCHEMA: dict[str, Any] = {
    "response_id": pl.Int64, "question": pl.String, "position": pl.Int64,
    "value_text": pl.String, "value_number": pl.Float64,
}  # fmt: skip
_COPY_FAILED = -2  # PQgetCopyData: -1 is the end of the data, -2 an error


def _read(connection: Connection, query: Select[*tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    """Run ``query`` into a polars frame; PostgreSQL through COPY, other databases through the cursor."""
    if connection.dialect.name != "postgresql":
        return pl.read_database(query, connection, schema_overrides=schema)
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    driver: Any = connection.connection.driver_connection
    body = _copy_out(driver.pgconn, f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)")
    # NULL arrives as an unquoted empty field (read as null), '' as "" (read as ''), as in the table.
    return pl.read_csv(body, schema_overrides=schema)


def _copy_out(pgconn: pq.abc.PGconn, statement: str) -> bytes:
    """Run a ``COPY ... TO STDOUT`` on libpq directly and return everything it sent.

    Why not ``cursor.copy()``: the server sends one message per row, and psycopg's iterator
    spends several microseconds of Python per message (2.8M answer rows: about 9 s of client
    CPU); this blocking loop over ``PQgetCopyData`` costs well under a microsecond per row.
    """
    pgconn.send_query(statement.encode())
    started = pgconn.get_result()
    if started is None or started.status != pq.ExecStatus.COPY_OUT:
        _drain(pgconn)
        message = started.error_message.decode(errors="replace") if started is not None else "no result"
        raise DatabaseError(f"COPY did not start: {message}")
    buffer = io.BytesIO()
    while True:
        size, block = pgconn.get_copy_data(0)
        if size < 0:
            break
        buffer.write(block)
    result = pgconn.get_result()
    _drain(pgconn)
    if size == _COPY_FAILED or result is None or result.status != pq.ExecStatus.COMMAND_OK:
        message = pgconn.error_message.decode(errors="replace")
        raise DatabaseError(f"COPY failed: {message}")
    return buffer.getvalue()


def _drain(pgconn: pq.abc.PGconn) -> None:
    """Read the remaining results so the connection is ready for the next statement."""
    while pgconn.get_result() is not None:
        pass


def _meta(connection: Connection, which: ColumnElement[bool]) -> pl.DataFrame:
    columns: list[Any] = [getattr(Response, c) for c in META_COLUMNS if c != "submitted_at"]
    if connection.dialect.name == "postgresql":
        # microseconds since the epoch: exact, and no text timestamp format to parse
        micros = (func.extract("epoch", Response.submitted_at) * 1_000_000).cast(BigInteger)
        columns.append(micros.label("submitted_at"))
        schema: dict[str, Any] = {"submitted_at": pl.Int64}
    else:
        columns.append(Response.submitted_at)
        schema = {"submitted_at": pl.Datetime("us", "UTC")}
    query = select(Response.id.label("response_id"), *columns).where(which).order_by(Response.id)
    meta = _read(connection, query, schema)
    return meta.with_columns(pl.col("submitted_at").cast(pl.Datetime("us", "UTC"))).select(
        "response_id", *META_COLUMNS
    )


def responses_frame(
    session: Session,
    consultation_id: int,
    questionnaire: Questionnaire,
    *,
    rows: Rows = "counted",
) -> pl.DataFrame:
    """Wide frame; select_multiple answers are space-joined choice names, numbers are floats.

    ``rows="superseded"`` gives the originals field corrections replaced instead (audit only).
    """
    connection = session.connection()
    which = counted(consultation_id) if rows == "counted" else superseded(consultation_id)
    frame = _meta(connection, which)
    answers = _read(
        connection,
        select(Answer.response_id, Answer.question, Answer.position, Answer.value_text, Answer.value_number)
        .join(Response, Response.id == Answer.response_id)
        .where(which),
        _ANSWER_SCHEMA,
    )
    numeric = [q.name for q in questionnaire.questions if q.type.is_numeric]
    multiple = [q.name for q in questionnaire.questions if q.type is QuestionType.SELECT_MULTIPLE]
    responses = frame.height
    for column in _answer_columns(answers, {q.name for q in questionnaire.questions}, numeric, multiple):
        frame = frame.join(column, on="response_id", how="left", maintain_order="left")
    if frame.height != responses:  # response ids are unique: only a duplicated answer adds rows
        raise StoreError("a response has two answers to a single-answer question: the store is inconsistent")
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


def _answer_columns(
    answers: pl.DataFrame, wanted: set[str], numeric: list[str], multiple: list[str]
) -> list[pl.DataFrame]:
    """One (response_id, question) frame per answered question of the questionnaire.

    Why split by question rather than one pivot: the pivot of 3 million rows costs about twice as
    much, and only select_multiple questions need grouping (several rows per response, joined in
    ``position`` order).
    """
    columns = []
    for (name,), part in answers.partition_by("question", as_dict=True).items():
        if name not in wanted:
            continue
        if name in multiple:
            columns.append(
                part.sort("response_id", "position")
                .group_by("response_id", maintain_order=True)
                .agg(pl.col("value_text").str.join(" ").alias(str(name)))
            )
        else:
            value = "value_number" if name in numeric else "value_text"
            columns.append(part.select("response_id", pl.col(value).alias(str(name))))
    return columns
