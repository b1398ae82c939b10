"""Numbers as a French, Dutch or English reader writes them: ``45,2 %``, ``45,2%``, ``45.2%``.

Why one place: the report, the workbench tables, the chart labels and the public page all print
the same estimates, and a reader comparing two of them must see the same digits.
"""

from __future__ import annotations

import math

__all__ = ["num", "number", "pct", "significant"]

_THOUSANDS = {"fr": "\u202f", "nl": ".", "en": ","}
_DECIMAL = {"fr": ",", "nl": ",", "en": "."}
_PERCENT = {"fr": "\u202f%", "nl": "%", "en": "%"}


def _localise(text: str, lang: str) -> str:
    """Swap the separators of Python's ``1,234.5`` for the language's own."""
    thousands, decimal = _THOUSANDS.get(lang, ","), _DECIMAL.get(lang, ".")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def num(value: float | None, lang: str = "en", digits: int = 2) -> str:
    """A figure with ``digits`` decimals, or an en dash when there is none."""
    if value is None or not math.isfinite(value):
        return "–"
    return _localise(f"{value:,.{digits}f}", lang)


def pct(value: float | None, lang: str = "en", digits: int = 1) -> str:
    """A share (0.452) as a percentage (``45.2%``), or an en dash when there is none."""
    if value is None or not math.isfinite(value):
        return "–"
    return _localise(f"{100 * value:,.{digits}f}", lang) + _PERCENT.get(lang, "%")


def significant(value: float, lang: str = "en", digits: int = 4) -> str:
    """A figure to ``digits`` significant digits (``0,9502``, ``1e-12``), as a message quotes one."""
    return _localise(f"{value:.{digits}g}", lang)


def number(value: float, lang: str) -> str:
    """A whole number with the language's thousands separator (1 151 / 1.151 / 1,151)."""
    return num(round(value), lang, 0)
