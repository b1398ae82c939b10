"""Language names of ``label::Language (code)`` headers as codes, and which of them are easy-read wording."""

from __future__ import annotations

import re

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
