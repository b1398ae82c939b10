"""Targets uploaded as ``variable,category,share`` CSV: rows, or problems that name the file line.

Why apart from the routes: the file format is checked before the questionnaire check of
``TargetService`` (which names the category and margin), and tests read it without a server.
"""

from __future__ import annotations

import csv
import io

from survey.store.errors import TargetProblem
from survey.store.services.targets import TargetRow

__all__ = ["parse_targets_csv"]


def parse_targets_csv(text: str) -> tuple[list[TargetRow], list[str]]:
    """Rows of a ``variable,category,share`` file; problems name the file line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        return _parse(reader)
    except csv.Error:  # the csv module's own refusals: a field over its limit, a lone CR outside quotes
        return [], [TargetProblem("unreadable", line=reader.line_num + 1)]  # the record it failed to read


def _parse(reader: csv.DictReader[str]) -> tuple[list[TargetRow], list[str]]:
    rows: list[TargetRow] = []
    problems: list[str] = []
    if reader.fieldnames is None or not {"variable", "category", "share"} <= {
        f.strip() for f in reader.fieldnames
    }:
        return [], [TargetProblem("header", line=1)]
    for line, raw in enumerate(reader, start=2):
        record = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        try:
            share = float(record["share"])
        except ValueError:
            problems.append(TargetProblem("share_not_number", line=line, share=repr(record["share"])))
            continue
        rows.append(TargetRow(record["variable"], record["category"], share, line=line))
    if not rows and not problems:
        problems.append(TargetProblem("no_rows"))
    return rows, problems
