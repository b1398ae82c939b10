"""Export the weighted responses with labels and a codebook: CSV, Parquet, SPSS (.sav), Stata (.dta).

Why codes for SPSS/Stata: both attach value labels to numbers only, so single-choice answers are
written as 1..k with the choice labels; CSV and Parquet keep the choice names as text. Every
format gets the same ``<out>.codebook.csv`` so the files can be read without the questionnaire.

Rows are the counted responses: a field correction replaces its original (``replaces_uuid`` names
it); ``--with-superseded`` adds the originals for audit, with no weight and ``superseded_by`` set.
CSV cells that a spreadsheet would run as a formula are neutralised unless the caller asks for raw
text (:mod:`survey.analyst.spreadsheet`); the other formats keep the text and the codebook says
which columns hold such cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyreadstat
from sqlalchemy.orm import Session

from survey.analyst.services import MULTI_SEPARATOR, Analysis, Context, analysis_frame
from survey.analyst.spreadsheet import NEUTRALISED_NOTE, neutralise_frame, risky_columns
from survey.questionnaire.model import QuestionType
from survey.store.services.attachments import AttachmentService, write_zip
from survey.store.services.counted import correction_links
from survey.store.services.frames import responses_frame

FORMATS = ("csv", "parquet", "sav", "dta")
WEIGHT_COLUMN = "weight"
REPLACES_COLUMN = "replaces_uuid"
SUPERSEDED_COLUMN = "superseded_by"
NOTE_VARIABLE = "(note)"


@dataclass(frozen=True)
class Corrections:
    """Field corrections of the consultation: ``(correction, replaced)`` pairs and, for an audit
    export, the superseded originals encoded like the analysis data."""

    links: list[tuple[str, str]] = field(default_factory=list)
    originals: pd.DataFrame | None = None


@dataclass(frozen=True)
class ExportResult:
    """The codebook written beside the data, and notes for the person who asked for the export."""

    codebook: Path
    notes: list[str]


def load_corrections(session: Session, context: Context, *, with_superseded: bool = False) -> Corrections:
    """What the export needs to link corrections to their originals (and the originals themselves)."""
    links = correction_links(session, context.consultation.id)
    if not with_superseded:
        return Corrections(links)
    frame = responses_frame(session, context.consultation.id, context.questionnaire, rows="superseded")
    return Corrections(links, analysis_frame(frame, context.questionnaire))


def _safe(name: str) -> str:
    """SPSS/Stata names: letters, digits, underscore, at most 32 characters."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name.replace(MULTI_SEPARATOR, "__"))[:32]


def _with_corrections(data: pd.DataFrame, corrections: Corrections) -> pd.DataFrame:
    """Originals appended (weight empty) if asked for, and the two linking columns after ``uuid``."""
    originals = corrections.originals
    if originals is not None and len(originals):
        extra = originals.drop(columns=["response_id"]).reindex(columns=data.columns)
        data = pd.concat([data, extra.astype(data.dtypes.to_dict(), errors="ignore")], ignore_index=True)
    replaced = dict(corrections.links)
    superseder = {original: correction for correction, original in corrections.links}  # latest wins
    data.insert(1, REPLACES_COLUMN, data["uuid"].map(replaced).astype(object))
    data.insert(2, SUPERSEDED_COLUMN, data["uuid"].map(superseder).astype(object))
    return data


def export_frame(
    context: Context, analysis: Analysis, lang: str = "en", corrections: Corrections | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data (one row per counted response, final weight last) and its codebook."""
    data = analysis.data.drop(columns=["response_id"]).copy()
    data[WEIGHT_COLUMN] = analysis.design.weights
    data = _with_corrections(data, corrections or Corrections())
    data["submitted_at"] = pd.to_datetime(data["submitted_at"]).dt.tz_convert("UTC").dt.tz_localize(None)
    book: list[dict[str, object]] = []
    meta = {"uuid": "Response identifier", "mode": "Collection mode", "language": "Language answered in",
            REPLACES_COLUMN: "Identifier of the interview this response corrects: a field correction "
                             "supersedes it, so the original is not counted and not in this file",
            SUPERSEDED_COLUMN: "Only on rows added by --with-superseded (audit): the correction that "
                               "replaces this interview; such rows have no weight and must not be counted",
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
                    "type": f"attachment ({q.type.value}): file name"
                    if q.type.is_attachment
                    else q.type.value,
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


def _note(text: str) -> dict[str, object]:
    return {"variable": NOTE_VARIABLE, "label": text, "type": "note", "value": "", "value_label": ""}


def write_export(
    context: Context,
    analysis: Analysis,
    fmt: str,
    out: Path,
    *,
    corrections: Corrections | None = None,
    raw: bool = False,
) -> ExportResult:
    """Write data and codebook; ``raw`` writes CSV text cells as typed, even those that look like formulas.

    The codebook is itself a CSV file and is neutralised the same way (question labels come from
    an uploaded form).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    data, book = export_frame(context, analysis, corrections=corrections)
    risky = risky_columns(data)
    notes: list[str] = []
    if fmt == "csv" and not raw:
        notes.append(NEUTRALISED_NOTE)
    elif risky:
        where = ", ".join(f"{name} ({n})" for name, n in sorted(risky.items()))
        notes.append(
            "Text cells beginning with = + - @, a tab or a carriage return are kept as typed in this "
            f"file; a spreadsheet that opens it may run them as formulas: {where}"
        )
    book = pd.concat([book, pd.DataFrame([_note(n) for n in notes])], ignore_index=True) if notes else book
    codebook = out.with_name(out.stem + ".codebook.csv")
    (book if raw else neutralise_frame(book)).to_csv(codebook, index=False)
    if fmt == "csv":
        (data if raw else neutralise_frame(data)).to_csv(out, index=False)
    elif fmt == "parquet":
        data.to_parquet(out, index=False)
    else:
        _write_stat(context, data, book, fmt, out)
    return ExportResult(codebook, notes)


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


def attachments_path(out: Path) -> Path:
    """Where ``survey export --attachments`` writes the files: beside the data, ``<out>.attachments.zip``."""
    return out.with_name(out.stem + ".attachments.zip")


def write_attachments(
    session: Session, context: Context, analysis: Analysis, corrections: Corrections | None, out: Path
) -> int:
    """The files of exactly the exported responses (and the superseded ones, when exported) as a zip."""
    uuids = [str(u) for u in analysis.data["uuid"]]
    originals = corrections.originals if corrections is not None else None
    if originals is not None and len(originals):
        uuids += [str(u) for u in originals["uuid"]]
    service = AttachmentService(session)
    listed = service.for_consultation(context.consultation.id, uuids)
    with attachments_path(out).open("wb") as target:
        return write_zip(service, listed, target)
