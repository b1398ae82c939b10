"""Every word the product shows, in one shape: key → language → text, in French, Dutch and English.

Why one shape: translators and reviewers read a key with its three languages side by side, and a test
can then hold every catalogue to the same rules (each key in each language, the same ``{placeholders}``
everywhere). A module keeps its own catalogue beside the code that shows it and registers it here under
a name; pages that want a per-language table (``t.key`` in a template) take :func:`per_language`.
Easy-read wording is a key of its own, ending in ``_easy``, next to the standard one.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

Catalogue = dict[str, dict[str, str]]

LANGUAGES = ("fr", "nl", "en")

_REGISTERED: dict[str, Catalogue] = {}


def register(name: str, catalogue: Catalogue) -> Catalogue:
    """Make a catalogue known to the completeness checks; returns it so a module can assign and register."""
    _REGISTERED[name] = catalogue
    return catalogue


def registered() -> Mapping[str, Catalogue]:
    """Every catalogue registered so far (a module registers when it is imported)."""
    return dict(_REGISTERED)


def per_language(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    """The same words as one table per language, the shape templates read (``t.key``)."""
    return {language: {key: texts[language] for key, texts in catalogue.items()} for language in LANGUAGES}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def problems(name: str, catalogue: Catalogue) -> list[str]:
    """What a translator must fix: a language missing or empty, or placeholders that differ."""
    found: list[str] = []
    for key, texts in catalogue.items():
        missing = [language for language in LANGUAGES if not (texts.get(language) or "").strip()]
        if missing:
            found.append(f"{name}: '{key}' has no {', '.join(missing)}")
            continue
        extra = sorted(set(texts) - set(LANGUAGES))
        if extra:
            found.append(f"{name}: '{key}' has unknown languages {', '.join(extra)}")
        fields = {language: _fields(texts[language]) for language in LANGUAGES}
        if len({frozenset(f) for f in fields.values()}) > 1:
            found.append(f"{name}: '{key}' placeholders differ: {fields}")
    return found
