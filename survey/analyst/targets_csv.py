"""Targets uploaded as ``variable,category,share`` CSV: rows, or problems that name the file line.

Why apart from the routes: the file format is checked before the questionnaire check of
``TargetService`` (which names the category and margin), and tests read it without a server.

The file is read as `survey weight --targets` reads one (:mod:`survey.tabular`), so a file that works
on the command line works here:

* what a French or Dutch spreadsheet saves is accepted, by the one rule of :mod:`survey.tabular_csv`:
  UTF-8 (with or without a byte-order mark) or Windows-1252 text, a semicolon (or tab) separator
  found from the header line, and shares with a decimal comma (``0,51``) in such a file;
* a problem names the file line and, where one cell is at fault, its column;
* a category follows the one rule of :func:`survey.category_labels.category_label`, part by part in a crossed
  one: spaces around it are trimmed and ``1.0`` is ``1`` (``01`` stays ``01``);
* the header's names are trimmed and read without regard to case (``Share`` is ``share``).
"""

from __future__ import annotations

import csv
import io

from survey.category_labels import crossed_label
from survey.store.errors import TargetProblem
from survey.store.services.targets import TargetRow
from survey.tabular_csv import EncodingError, decimal_comma, decode_text, header_separator

__all__ = ["parse_targets_bytes", "parse_targets_csv"]

COLUMNS = ("variable", "category", "share")


def parse_targets_bytes(raw: bytes) -> tuple[list[TargetRow], list[str]]:
    """Rows of an uploaded file as it came (UTF-8 or Windows-1252); problems name line and column."""
    try:
        text = decode_text(raw)
    except EncodingError as exc:
        return [], [TargetProblem("not_text", line=exc.line)]
    return parse_targets_csv(text)


def parse_targets_csv(text: str) -> tuple[list[TargetRow], list[str]]:
    """Rows of a ``variable,category,share`` file; problems name the file line."""
    body = text.removeprefix("\ufeff")
    separator = header_separator(body.split("\n", 1)[0])
    reader = csv.DictReader(io.StringIO(body, newline=""), delimiter=separator)
    try:
        return _parse(reader, decimal_comma=decimal_comma(separator))
    except csv.Error:  # the csv module's own refusals: a field over its limit, a lone CR outside quotes
        return [], [TargetProblem("unreadable", line=reader.line_num + 1)]  # the record it failed to read


def _share(text: str, *, decimal_comma: bool) -> float:
    """A share as written: ``0.51``, or ``0,51`` in a file separated by semicolons or tabs."""
    if decimal_comma and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def _parse(reader: csv.DictReader[str], *, decimal_comma: bool) -> tuple[list[TargetRow], list[str]]:
    rows: list[TargetRow] = []
    problems: list[str] = []
    names = {f: f.strip().lower() for f in reader.fieldnames or () if f}
    if not set(COLUMNS) <= set(names.values()):
        return [], [TargetProblem("header", line=1)]
    for line, raw in enumerate(reader, start=2):
        record = {names[k]: (v or "").strip() for k, v in raw.items() if k in names}
        try:
            share = _share(record["share"], decimal_comma=decimal_comma)
        except ValueError:
            problems.append(
                TargetProblem("share_not_number", line=line, column="share", share=repr(record["share"]))
            )
            continue
        category = crossed_label(record["category"])
        rows.append(TargetRow(record["variable"], category, share, line=line))
    if not rows and not problems:
        problems.append(TargetProblem("no_rows"))
    return rows, problems
