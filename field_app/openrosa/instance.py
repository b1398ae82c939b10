"""A submitted XForm instance read back into the answers the platform stores.

The instance is the one :mod:`field_app.openrosa.xform` describes: a ``<data id=… version=…>`` root,
questions as leaves (inside page groups), and ``meta/instanceID`` (``uuid:…``), which becomes the
response UUID so a resent submission is the same response. ``meta/deprecatedID`` names the response an
edit in Collect corrects. Nothing is read from a document type declaration: an instance never has one,
so one is refused before parsing (no entity expansion, no external entities).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.store.services.responses import normalise_uuid

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class InstanceError(ValueError):
    """A submission that is not an instance of a form this server gave out; the text names the part."""


@dataclass(frozen=True)
class Instance:
    """What a submission says: its form, version, UUID, the UUID it corrects, and raw answer texts."""

    form_id: str
    version: str
    uuid: str
    deprecated_uuid: str | None
    values: dict[str, str] = field(default_factory=dict)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _uuid(text: str | None, name: str) -> str:
    value = (text or "").strip()
    value = value[5:] if value.lower().startswith("uuid:") else value
    try:
        return normalise_uuid(value)
    except ValueError:
        raise InstanceError(f"meta/{name}: not a uuid:… identifier") from None


def read_instance(document: bytes) -> Instance:
    """Parse the instance XML; :class:`InstanceError` names what is missing or malformed."""
    try:
        text = document.decode("utf-8")
    except UnicodeDecodeError:
        raise InstanceError("xml_submission_file: not UTF-8 text") from None
    if _DECLARATION.search(text):
        raise InstanceError("xml_submission_file: a document type declaration is not allowed")
    try:
        # The parser reads exactly the text checked above, which declares no entity to expand.
        root = ET.fromstring(text.removeprefix("\ufeff"))  # noqa: S314
    except ET.ParseError as exc:
        raise InstanceError(f"xml_submission_file: not well-formed XML ({exc})") from None
    form_id, version = root.get("id"), root.get("version")
    if not form_id:
        raise InstanceError("xml_submission_file: the root element has no form id")
    meta = next((e for e in root if _local(e.tag) == "meta"), None)
    if meta is None:
        raise InstanceError("meta/instanceID: missing")
    found = {_local(e.tag): e.text for e in meta}
    if "instanceID" not in found:
        raise InstanceError("meta/instanceID: missing")
    deprecated = found.get("deprecatedID")
    values: dict[str, str] = {}
    meta_fields = set(meta)
    for element in root.iter():
        if element is root or len(element) or element in meta_fields:
            continue
        values[_local(element.tag)] = element.text or ""
    return Instance(
        form_id=form_id,
        version=version or "",
        uuid=_uuid(found["instanceID"], "instanceID"),
        deprecated_uuid=_uuid(deprecated, "deprecatedID") if deprecated and deprecated.strip() else None,
        values=values,
    )


def answers_of(instance: Instance, form: Questionnaire) -> dict[str, object]:
    """Raw answers by question name, as the tablet app sends them (validation happens on storing).

    Empty elements are unanswered questions; notes carry no answer and calculations are computed again
    when stored; an element the form does not have is refused, naming it.
    """
    by_name = {q.name: q for q in form.questions}
    answers: dict[str, object] = {}
    for name, text in instance.values.items():
        question = by_name.get(name)
        if question is None:
            raise InstanceError(f"{name}: not a question of this form")
        if question.type in (QuestionType.NOTE, QuestionType.CALCULATE) or not text.strip():
            continue
        answers[name] = text.split() if question.type is QuestionType.SELECT_MULTIPLE else text
    return answers
