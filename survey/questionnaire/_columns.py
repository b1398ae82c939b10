"""XLSForm column names: aliases and ``label::Language (code)`` headers, decoded once."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ALIASES = {
    "list name": "list_name",
    "bind:relevant": "relevant",
    "bind::relevant": "relevant",
    "bind:constraint": "constraint",
    "bind::constraint": "constraint",
    "bind:required": "required",
    "bind::required": "required",
    "constraint message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "bind:jr:constraintmsg": "constraint_message",
    "bind::jr:constraintmsg": "constraint_message",
    "required message": "required_message",
    "requiredmsg": "required_message",
    "bind:jr:requiredmsg": "required_message",
    "bind::jr:requiredmsg": "required_message",
    "body:appearance": "appearance",
    "control::appearance": "appearance",
}
_TRANSLATABLE = ("label", "hint", "constraint_message", "required_message")
_KNOWN_LANGUAGES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "dutch": "nl",
    "nederlands": "nl",
    "german": "de",
    "deutsch": "de",
    "swahili": "sw",
    "chinese": "zh",
    "spanish": "es",
    "arabic": "ar",
    "default": "und",
}
_EASY_PREFIXES = {
    "falc": "fr",
    "facile à lire": "fr",
    "easy read": "en",
    "easy-read": "en",
    "easy": "en",
    "makkelijk lezen": "nl",
    "eenvoudig": "nl",
}


@dataclass(frozen=True)
class Column:
    """A decoded header: its base meaning and, for labels, the language and easy-read flag."""

    base: str
    language: str | None = None
    easy: bool = False


def language_code(name: str) -> tuple[str, bool]:
    """``'Français (fr)'`` → ``('fr', False)``; ``'FALC (fr)'`` → ``('fr', True)``."""
    text = name.strip()
    match = re.fullmatch(r"(.*?)\s*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)", text)
    spoken = (match.group(1) if match else text).strip().lower()
    code = match.group(2).lower() if match else None
    for prefix, default_code in _EASY_PREFIXES.items():
        if spoken.startswith(prefix):
            return code or default_code, True
    if code:
        return code, False
    return _KNOWN_LANGUAGES.get(spoken, spoken or "und"), False


def decode(header: str) -> Column:
    """Decode one header cell; unknown columns keep their name and are ignored by the importer."""
    raw = header.strip()
    lowered = raw.lower()
    if lowered in _ALIASES:
        return Column(_ALIASES[lowered])
    match = re.fullmatch(r"([A-Za-z_ ]+?)\s*::?\s*(.+)", raw)
    if match:
        base = _ALIASES.get(match.group(1).strip().lower(), match.group(1).strip().lower().replace(" ", "_"))
        if base in _TRANSLATABLE:
            code, easy = language_code(match.group(2))
            return Column(base, code, easy)
    base = lowered.replace(" ", "_") if lowered.replace(" ", "_") in _TRANSLATABLE else lowered
    if base in _TRANSLATABLE:
        return Column(base, None)
    return Column(base)
