"""Choice lists of ``select_one_from_file`` / ``select_multiple_from_file`` rows, read from a CSV beside the form.

ODK and KoBoToolbox upload such a CSV next to the XLSForm; here it is looked for in the form's
folder. The CSV is the XLSForm choices format: a ``name`` column (or the column named by the row's
``value=`` parameter), labels in ``label`` or ``label::Language (code)`` columns (or the column of
``label=``), and any other column readable by ``choice_filter``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from survey.questionnaire.errors import FormIssue
from survey.questionnaire.model import Choice, Labels

MAX_BYTES = 5 * 1024 * 1024
LabelReader = Callable[[object], tuple[Labels, Labels]]


def read_choice_file(
    folder: Path, file_name: str, parameters: dict[str, str], labels_of: LabelReader
) -> tuple[tuple[Choice, ...], list[FormIssue]]:
    """The file's choices, or the problems that stop it being read (each names the file and its row)."""
    path = folder / file_name
    if Path(file_name).name != file_name or not path.is_file():
        return (), [FormIssue(file_name, None, None, f"choices file '{file_name}' not found beside the form")]
    if path.stat().st_size > MAX_BYTES:
        return (), [
            FormIssue(file_name, None, None, f"choices file larger than {MAX_BYTES // 1024 // 1024} MB")
        ]
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as exc:
        return (), [FormIssue(file_name, None, None, f"cannot read the CSV file: {exc}")]
    if not rows:
        return (), [FormIssue(file_name, None, None, "the choices file is empty")]
    header = [h.strip() for h in rows[0]]
    value_column = parameters.get("value", "name")
    label_column = parameters.get("label", "label")
    if value_column not in header:
        return (), [
            FormIssue(file_name, 1, value_column, f"the choices file needs a '{value_column}' column")
        ]
    label_columns = [h for h in header if h == label_column or h.startswith(f"{label_column}::")]
    other = [h for h in header if h and h != value_column and h not in label_columns]
    choices: list[Choice] = []
    issues: list[FormIssue] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        name = values.get(value_column, "")
        if not name:
            continue
        if name in seen:
            issues.append(
                FormIssue(file_name, number, value_column, f"choice '{name}' is already on row {seen[name]}")
            )
            continue
        seen[name] = number
        raw = {h.split("::", 1)[1] if "::" in h else "default": values.get(h, "") for h in label_columns}
        normal, easy = labels_of(raw)
        filters = {h: values[h] for h in other if values.get(h)}
        choices.append(Choice(name=name, labels=normal or {}, easy_labels=easy, filters=filters))
    if not choices and not issues:
        issues.append(FormIssue(file_name, None, None, "the choices file has no choices"))
    return tuple(choices), issues
