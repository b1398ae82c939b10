"""Export the weighted responses with labels and a codebook: CSV, Parquet, SPSS (.sav), Stata (.dta).

Why codes for SPSS/Stata: both attach value labels to numbers only, so single-choice answers are
written as 1..k with the choice labels; CSV and Parquet keep the choice names as text. Every
format gets the same ``<out>.codebook.csv`` so the files can be read without the questionnaire.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyreadstat

from survey.analyst.services import MULTI_SEPARATOR, Analysis, Context
from survey.questionnaire.model import QuestionType

FORMATS = ("csv", "parquet", "sav", "dta")
WEIGHT_COLUMN = "weight"


def _safe(name: str) -> str:
    """SPSS/Stata names: letters, digits, underscore, at most 32 characters."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name.replace(MULTI_SEPARATOR, "__"))[:32]


def export_frame(context: Context, analysis: Analysis, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data (one row per response, final weight last) and its codebook."""
    data = analysis.data.drop(columns=["response_id"]).copy()
    data["submitted_at"] = pd.to_datetime(data["submitted_at"]).dt.tz_convert("UTC").dt.tz_localize(None)
    data[WEIGHT_COLUMN] = analysis.design.weights
    book: list[dict[str, object]] = []
    meta = {"uuid": "Response identifier", "mode": "Collection mode", "language": "Language answered in",
            "questionnaire_version_id": "Questionnaire version id", "submitted_at": "Submitted at (UTC)",
            WEIGHT_COLUMN: f"Final weight ({analysis.spec.method}); sums to the population"}  # fmt: skip
    questions = {q.name: q for q in context.questionnaire.questions}
    for column in data.columns:
        base = column.split(MULTI_SEPARATOR, 1)[0]
        q = questions.get(base)
        if column in meta:
            book.append(
                {"variable": column, "label": meta[column], "type": "meta", "value": "", "value_label": ""}
            )
        elif q is not None and MULTI_SEPARATOR in column:
            choice = column.split(MULTI_SEPARATOR, 1)[1]
            labels = {c.name: c.labels.get(lang, c.name) for c in context.questionnaire.choices_for(q)}
            book.append({"variable": column, "label": f"{q.label(lang)}: {labels.get(choice, choice)}",
                         "type": "indicator 0/1", "value": "", "value_label": ""})  # fmt: skip
        elif q is not None:
            book.append(
                {
                    "variable": column,
                    "label": q.label(lang),
                    "type": q.type.value,
                    "value": "",
                    "value_label": "",
                }
            )
            if q.type.has_choices:
                for code, c in enumerate(context.questionnaire.choices_for(q), start=1):
                    book.append({"variable": column, "label": "", "type": "", "value": c.name,
                                 "value_label": c.labels.get(lang, c.name), "code": code})  # fmt: skip
    codebook = pd.DataFrame(book)
    if "code" in codebook:
        codebook["code"] = codebook["code"].astype("Int64")
    return data, codebook


def write_export(context: Context, analysis: Analysis, fmt: str, out: Path) -> Path:
    """Write data and codebook; returns the codebook path."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    data, book = export_frame(context, analysis)
    codebook = out.with_name(out.stem + ".codebook.csv")
    book.to_csv(codebook, index=False)
    if fmt == "csv":
        data.to_csv(out, index=False)
    elif fmt == "parquet":
        data.to_parquet(out, index=False)
    else:
        _write_stat(context, data, book, fmt, out)
    return codebook


def _write_stat(context: Context, data: pd.DataFrame, book: pd.DataFrame, fmt: str, out: Path) -> None:
    labels: dict[str, str] = {}
    values: dict[str, dict[int | float, str]] = {}
    renamed = {c: _safe(c) for c in data.columns}
    frame = data.copy()
    for q in context.questionnaire.questions:
        if q.name not in frame or q.type is not QuestionType.SELECT_ONE:
            continue
        choices = context.questionnaire.choices_for(q)
        codes = {c.name: float(i) for i, c in enumerate(choices, start=1)}
        frame[q.name] = frame[q.name].map(codes).astype(float)
        values[_safe(q.name)] = {i: c.labels.get("en", c.name) for i, c in enumerate(choices, start=1)}
    for row in book.itertuples():
        if row.label:
            labels[_safe(str(row.variable))] = str(row.label)[: 80 if fmt == "dta" else 255]
    frame = frame.rename(columns=renamed)
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("string"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    column_labels: list[str | None] = [labels.get(c, "") for c in frame.columns]
    if fmt == "sav":
        pyreadstat.write_sav(frame, str(out), column_labels=column_labels, variable_value_labels=values)
    else:
        pyreadstat.write_dta(frame, str(out), column_labels=column_labels, variable_value_labels=values)
