"""The media files of a generated XForm: choice lists read from files, written back as CSV attachments.

Why: a ``select_one_from_file places.csv`` row makes pyxform write an external secondary instance
(``jr://file-csv/places.csv``), so ODK Collect and Enketo look the list up in a file downloaded
beside the form, listed in the form's manifest with its md5. The importer read that CSV into the
stored version (the workbook's folder is gone by then), so the file is written again from the stored
choices, in the XLSForm choices format: ``name``, a ``label`` column in the form's default language,
a ``label::Language (code)`` column per XForm language (the names :func:`language_name` gives, which
Collect and Enketo match against the form's current language), then every column a
``choice_filter`` reads. The same stored version always gives the same bytes, hence the same md5,
so Collect downloads a file again only when its choices changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass

from survey.questionnaire.model import Choice, Questionnaire

CSV_TYPE = "text/csv; charset=utf-8"
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.csv")


@dataclass(frozen=True)
class MediaFile:
    """One attachment of a form: its file name (as the XForm names it), bytes and media type."""

    name: str
    content: bytes
    media_type: str = CSV_TYPE

    @property
    def md5(self) -> str:
        """The manifest's ``md5:`` hash of the bytes: Collect downloads the file again only when it changes."""
        return "md5:" + hashlib.md5(self.content).hexdigest()  # noqa: S324 (OpenRosa names md5)


def is_file_list(list_name: str | None) -> bool:
    """Whether a choice list was read from a CSV file beside the form (``select_one_from_file``)."""
    return bool(list_name and _FILE_NAME.fullmatch(list_name))


def _choices_csv(
    choices: tuple[Choice, ...], form: Questionnaire, languages: list[tuple[str, bool, str]]
) -> bytes:
    filters = sorted({column for choice in choices for column in choice.filters})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "label", *(f"label::{name}" for _, _, name in languages), *filters])
    for choice in choices:
        labels = [
            (choice.easy_labels.get(code) if easy else None)
            or choice.label(code, default_language=form.default_language)
            for code, easy, _ in languages
        ]
        default = choice.label(form.default_language, default_language=form.default_language)
        writer.writerow([choice.name, default, *labels, *(choice.filters.get(c, "") for c in filters)])
    return buffer.getvalue().encode("utf-8")


def choice_files(form: Questionnaire, languages: list[tuple[str, bool, str]]) -> list[MediaFile]:
    """The CSV attachment of every file choice list a question uses, by file name.

    ``languages`` is the XForm's language list: (code, easy-read?, the itext language name).
    """
    used = {q.choice_list for q in form.questions if q.type.has_choices and q.choice_list}
    return [
        MediaFile(name, _choices_csv(form.choices[name], form, languages))
        for name in sorted(used)
        if is_file_list(name) and name in form.choices
    ]
