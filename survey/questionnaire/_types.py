"""Which of pyxform's question types the platform supports, ignores (metadata) or refuses, and why.

pyxform has already turned every alias into its canonical type name (``select_multiple`` and
``select all that apply`` both become ``select all that apply``), so the tables here list canonical
names only. Types pyxform knows but the platform does not collect are refused as "not supported";
only a type pyxform itself does not know is "unknown".
"""

from __future__ import annotations

import re
from typing import Any

from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from survey.questionnaire.model import QuestionType

SUPPORTED_TYPES = (
    "select_one", "select_multiple", "integer", "decimal", "text", "note", "date", "time", "datetime", "calculate", "rank",
    "image", "audio", "file",
)  # fmt: skip

_BY_BIND_TYPE = {
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "date": QuestionType.DATE,
    "time": QuestionType.TIME,
    "dateTime": QuestionType.DATETIME,
}
_NOTES = {"note", "q note", "add note prompt"}
_CALCULATES = {"calculate", "q calculate", "add calculate prompt"}
_TEXTS = {"text", "string", "q string", "add text prompt", "phone number"}

METADATA = frozenset(
    {
        name
        for name, spec in QUESTION_TYPE_DICT.items()
        if "jr:preload" in (spec.get("bind") or {}) and "control" not in spec
    }
    | {"audit", "start-geopoint", "background-geopoint", "background-audio"}
)

_REASONS = {
    "binary": ": video is not collected (photos, sound recordings and files are)",
    "geopoint": ": a position is personal data; import the form with --allow-location to collect it",
    "geotrace": ": a position is personal data and is not collected",
    "geoshape": ": a position is personal data and is not collected",
    "barcode": ": barcodes need a camera, which the citizen pages do not use",
}
ACKNOWLEDGE_LIST = "_acknowledge"
_DYNAMIC = re.compile(r"\$\{|\(|^\.$")
_BY_MEDIA = {"image/*": QuestionType.IMAGE, "audio/*": QuestionType.AUDIO, "application/*": QuestionType.FILE}
_EXTERNAL_SUFFIXES = (".xml", ".geojson")  # a .csv beside the form is read (see _choice_files)


def question_type(kind: str) -> QuestionType | None:
    """The platform's type for a canonical pyxform type, or None when the platform has no such type."""
    if is_location(kind):
        return QuestionType.GEOPOINT
    if kind == "rank":
        return QuestionType.RANK  # every choice placed once; stored as ODK does, names in order
    if kind in ("acknowledge", "trigger"):
        return QuestionType.SELECT_ONE  # one "OK" choice, the value ODK stores (see ACKNOWLEDGE_LIST)
    if kind == "hidden":
        return QuestionType.CALCULATE  # a value never shown: its default, stored with the response
    if kind == "range":
        return QuestionType.INTEGER  # refined by range_question: decimal when a bound or the step is
    if kind in _NOTES:
        return QuestionType.NOTE
    if kind in _CALCULATES:
        return QuestionType.CALCULATE
    if kind in _TEXTS:
        return QuestionType.TEXT
    spec = QUESTION_TYPE_DICT.get(kind)
    return None if spec is None else _by_control(spec)


def _by_control(spec: dict[str, Any]) -> QuestionType | None:
    """The type pyxform's control tag (and input bind type) gives a question."""
    control = spec.get("control") or {}
    tag = control.get("tag")
    if tag == "upload":  # photo, recording or file: kept as an attachment (video and osm are refused)
        return _BY_MEDIA.get(str(control.get("mediatype")))
    if tag == "select1":
        return QuestionType.SELECT_ONE
    if tag == "select":
        return QuestionType.SELECT_MULTIPLE
    if tag != "input":
        return None
    return _BY_BIND_TYPE.get(str((spec.get("bind") or {}).get("type")))


def is_location(kind: str) -> bool:
    """``geopoint`` and its aliases (``gps``, ``location``): one position, collected only when allowed."""
    spec = QUESTION_TYPE_DICT.get(kind) or {}
    return (spec.get("bind") or {}).get("type") == "geopoint" and kind not in METADATA


def unsupported_reason(element: dict[str, Any], *, allow_location: bool = False) -> str | None:
    """Why a known type is refused (appended to "type 'X' is not supported"), or None if it is fine."""
    kind = str(element.get("type", ""))
    if is_location(kind):
        return None if allow_location else _REASONS["geopoint"]
    itemset = str(element.get("itemset") or "")
    if itemset.lower().endswith(_EXTERNAL_SUFFIXES):
        return f": choices from the file '{itemset}' are not supported yet"
    if kind in ("loop", "include", "select one external", "osm") or kind.startswith("begin "):
        return ""
    spec = QUESTION_TYPE_DICT.get(kind)
    if spec is None or kind == "range" or question_type(kind) is not None:
        return None
    bind_type = str((spec.get("bind") or {}).get("type"))
    return _REASONS.get(bind_type, "")


def range_question(element: dict[str, Any]) -> tuple[QuestionType, str, str]:
    """A ``range`` row as a number with its bounds (and step) as a constraint, and the bounds in words.

    The citizen pages draw a number input, not a slider, so the bounds are what the respondent must
    respect; pyxform has already checked that start, end and step are numbers.
    """
    parameters = element.get("parameters") or {}
    start, end, step = (
        str(parameters.get(key, default)) for key, default in (("start", 1), ("end", 10), ("step", 1))
    )
    whole = all(float(v).is_integer() for v in (start, end, step))
    low, high = sorted((float(start), float(end)))
    text = [f"{_number(low)} <= . and . <= {_number(high)}"]
    if whole and float(step) not in (0.0, 1.0):
        text.append(f"(. - {_number(float(start))}) mod {_number(abs(float(step)))} = 0")
    kind = QuestionType.INTEGER if whole else QuestionType.DECIMAL
    return kind, " and ".join(text), f"{_number(low)} to {_number(high)}"


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def static_default(value: object) -> tuple[str | None, bool]:
    """A ``default`` cell as a fixed answer, and whether it was an expression (not supported: ignored)."""
    if value is None or str(value).strip() == "":
        return None, False
    text = str(value).strip()
    if _DYNAMIC.search(text):
        return None, True
    return text, False


def literal(text: str) -> str:
    """``text`` as an expression that evaluates to it (XPath has no escape inside quotes)."""
    return f'"{text}"' if "'" in text else f"'{text}'"


def attachment_settings(element: dict[str, Any]) -> tuple[str | None, int | None]:
    """An upload row's ``body::accept`` (the file picker's filter) and ``max-pixels`` parameter.

    Both only narrow what the respondent is offered; the server still decides from the bytes what it
    keeps (survey.store.services.attachments).
    """
    accept = str((element.get("control") or {}).get("accept") or "").strip() or None
    pixels = str((element.get("bind") or {}).get("orx:max-pixels") or "").strip()
    return accept, int(pixels) if pixels.isdigit() and 0 < int(pixels) < 100_000 else None
