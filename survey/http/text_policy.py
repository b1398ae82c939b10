"""One text policy for every text that enters the platform: query strings, form fields and JSON bodies.

Why one place: PostgreSQL refuses a NUL character (a 500 where SQLite stored it), control characters
and bidirectional overrides hide or reorder what staff later read (a comment that displays as
something else, a username that looks like another), and the same word typed on two keyboards can
arrive in two Unicode forms that compare unequal. Checking each input where it is read missed some;
this hook sees every request before its handler does:

* text is put in NFC and line ends become ``\\n``;
* other C0/C1 control characters (tab and newline are kept), DEL and lone surrogates are refused;
* bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069) are refused
  in identifiers (usernames, labels, slugs, question names, query parameters) and removed from answers
  (what respondents type, where a right-to-left quotation may carry them by accident).

A refusal is a 4xx naming the field: 422 for a body (``answers.comment``, ``device_label``), 400 for a
query parameter. The cleaned values replace the parsed body, so handlers read only policy-clean text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.exceptions import ClientException, ValidationException
from litestar.utils.scope.state import ScopeState

__all__ = ["Refusal", "TextProblem", "apply_text_policy", "clean_text", "item_problem"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_ANSWER_KEYS = frozenset({"answers"})
_CITIZEN_FORMS = "/c/"
_NOT_ANSWERS = frozenset({"csrf_token"})


@dataclass(frozen=True)
class TextProblem:
    """Why one field's text was refused."""

    field: str
    message: str


class Refusal(Exception):  # noqa: N818 - a refusal, not a programming error
    """Raised by :func:`clean_text` with the sentence the client will read."""


def clean_text(value: str, *, answer: bool) -> str:
    """The text as stored: NFC, ``\\n`` line ends, bidi controls gone from answers; Refusal otherwise."""
    if value.isascii() and value.isprintable():
        return value  # the common case: nothing to normalise, nothing to refuse
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control is not None:
        raise Refusal(f"contains the control character U+{ord(control.group()):04X}, which is not allowed")
    if _BIDI.search(text):
        if not answer:
            raise Refusal("contains a bidirectional override character (U+202A–U+202E, U+2066–U+2069)")
        text = _BIDI.sub("", text)
    return unicodedata.normalize("NFC", text)


def _walk(value: Any, path: str, answer: bool, problems: list[TextProblem]) -> Any:
    """The JSON value with every string cleaned; each refusal is added to ``problems`` with its path."""
    if isinstance(value, str):
        try:
            return clean_text(value, answer=answer)
        except Refusal as exc:
            problems.append(TextProblem(path or "body", str(exc)))
            return value
    if isinstance(value, list):
        return [_walk(item, f"{path}[{index}]", answer, problems) for index, item in enumerate(value)]
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            name = _walk(key, f"{path}.{key}" if path else str(key), False, problems)
            here = f"{path}.{name}" if path else str(name)
            cleaned[name] = _walk(item, here, answer or name in _ANSWER_KEYS, problems)
        return cleaned
    return value


def _pairs(
    pairs: Iterator[tuple[str, Any]], citizen: bool, problems: list[TextProblem]
) -> list[tuple[str, Any]]:
    """Form or query pairs, cleaned; on citizen pages every value but the CSRF token is an answer."""
    cleaned = []
    for key, value in pairs:
        name = _walk(key, key, False, problems)
        answer = citizen and name not in _NOT_ANSWERS
        cleaned.append((name, _walk(value, name, answer, problems) if isinstance(value, str) else value))
    return cleaned


def _is_batch(value: Any) -> bool:
    """A tablet's batch (``{"items": [...]}``): one bad item must not cost the others their upload."""
    return isinstance(value, dict) and isinstance(value.get("items"), list)


def _walk_batch(batch: dict[str, Any], problems: list[TextProblem]) -> dict[str, Any]:
    """The batch cleaned item by item; an item with refused text is passed on as sent, and the sync
    refuses that item alone (:func:`item_problem`), while the batch's own fields are checked as usual."""
    cleaned = {key: _walk(value, key, False, problems) for key, value in batch.items() if key != "items"}
    items = []
    for item in batch["items"]:
        own: list[TextProblem] = []
        tidy = _walk(item, "", False, own)
        items.append(item if own else tidy)
    cleaned["items"] = items
    return cleaned


def item_problem(item: Any) -> str | None:
    """``field: why`` for the first text of a batch item the policy refuses, or None.

    Text with a NUL is left to the item's own checks, which name the field in their own words.
    """
    problems: list[TextProblem] = []
    _walk(msgspec.to_builtins(item), "", False, problems)
    for problem in problems:
        if "U+0000" not in problem.message:
            return f"{problem.field}: {problem.message}"
    return None


def _refuse(problems: list[TextProblem], source: str) -> ValidationException:
    """One problem per field; an answer is named by its question alone, as answer errors always are."""
    named = [TextProblem(p.field.removeprefix("answers."), p.message) for p in problems]
    detail = "; ".join(f"{p.field}: {p.message}" for p in named)
    extra = [{"source": source, "key": p.field, "message": p.message, "code": "invalid_text"} for p in named]
    return ValidationException(detail, extra=extra)


def _regroup(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    grouped: dict[str, Any] = {}
    for key, value in pairs:
        if key in grouped:
            previous = grouped[key]
            grouped[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            grouped[key] = value
    return grouped


async def apply_text_policy(request: Request[Any, Any, Any]) -> None:
    """Clean the query string and the body before the handler parses them (400 / 422 naming a field)."""
    state = ScopeState.from_scope(request.scope)
    citizen = request.scope["path"].startswith(_CITIZEN_FORMS)
    if request.scope.get("query_string"):
        problems: list[TextProblem] = []
        query = tuple(_pairs(iter(request.query_params.multi_items()), False, problems))
        if problems:
            raise _refuse(problems, "query")
        state.parsed_query = tuple(query)
        request._parsed_query = state.parsed_query
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    problems = []
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        body = await request.body()
        if not body:
            return
        try:
            decoded = msgspec.json.decode(body)
        except (msgspec.DecodeError, RecursionError):
            return  # the handler's own decoding says what is wrong, as before
        cleaned = (
            _walk_batch(decoded, problems) if _is_batch(decoded) else _walk(decoded, "", False, problems)
        )
        if problems:
            raise _refuse(problems, "body")
        state.json = cleaned  # parsed once: the handler reads this instead of decoding again
    elif media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form()
        except (UnicodeDecodeError, LookupError, ValueError) as exc:
            # Refused here: the failed parse has consumed part of the body, and a handler reading the
            # form again would wait for bytes that never come (the request hung instead of a 400).
            raise ClientException("the form could not be read: send it as ordinary UTF-8 text") from exc
        pairs = _pairs(iter(form.multi_items()), citizen, problems)
        if problems:
            raise _refuse(problems, "body")
        state.form = _regroup([(k, v) for k, v in pairs if isinstance(v, str | UploadFile)])
        request._form = type(form).from_form_data(state.form)
