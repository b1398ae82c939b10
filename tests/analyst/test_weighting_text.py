"""The weighting library's errors and notes read in French and Dutch on the workbench and in reports.

The completeness check reads the source: every ``code="…"`` given to an error or a note, in the
library or in the analyst pages, must have a French and a Dutch sentence whose placeholders are
exactly the values given beside it, so a new message cannot fall back to English unnoticed.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pandas as pd
import pytest

from survey.analyst.weighting_text import WEIGHTING_TEXT, weighting_message
from weighting import BoundsError, ConvergenceError, Design, Note, Targets, WeightingError, rake, trim

ROOT = Path(__file__).resolve().parents[2]
# Values a sentence may leave out or rename: "relative" becomes the words for what was capped.
_RENAMED = {"trimmed": ({"relative"}, {"what"})}


def _coded_calls() -> dict[str, set[str]]:
    """Each code given in the source, with the names of the values given beside it."""
    found: dict[str, set[str]] = {}
    for path in [
        *ROOT.glob("weighting/*.py"),
        *ROOT.glob("survey/analyst/*.py"),
        ROOT / "survey/store/services/schemes.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            code = keywords.pop("code", None)
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.setdefault(code.value, set()).update(keywords)
            elif isinstance(code, ast.JoinedStr):  # f"{what}_pair" in the analyst routes
                found.update({"bounds_pair": set(), "trim_pair": set()})
    return found


def _placeholders(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def test_every_coded_message_has_french_and_dutch_with_the_same_values() -> None:
    calls = _coded_calls()
    assert {"rake_no_convergence", "empty_cell", "bounds_unmet", "trimmed", "unknown_method"} <= set(calls)
    for lang in ("fr", "nl"):
        words = WEIGHTING_TEXT[lang]
        assert set(calls) <= set(words), (lang, set(calls) - set(words))
        for code, given in calls.items():
            dropped, added = _RENAMED.get(code, (set(), set()))
            assert _placeholders(words[code]) == (given - dropped) | added, (lang, code)


def test_a_non_converging_rake_reads_in_french_and_dutch_with_local_figures() -> None:
    data = pd.DataFrame({"sex": ["F", "M", "M", "M"] * 5, "age": ["y", "y", "o", "o"] * 5})
    targets = Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}, "age": {"y": 0.6, "o": 0.4}})
    with pytest.raises(ConvergenceError) as caught:
        rake(Design.from_frame(data), targets, max_iter=1, tol=1e-12)
    error = caught.value
    french, dutch = weighting_message(error, "fr"), weighting_message(error, "nl")
    where = f"{error.values['variable']}={error.values['category']}"
    assert (
        french.startswith("le calage itératif (raking) n'a pas convergé après 1 itérations")
        and where in french
    )
    assert (
        dutch.startswith("de iteratieve weging (raking) is na 1 iteraties niet geconvergeerd")
        and where in dutch
    )
    assert "1e-12" in french and f"{error.values['deviation']:.4g}".replace(".", ",") in french
    assert weighting_message(error, "en") == str(error)


def test_figures_take_the_decimal_comma_and_counts_the_thousands_separator() -> None:
    error = BoundsError("english", code="bounds_unmet", lo=0.95, hi=1.05, iterations=1200)
    assert weighting_message(error, "fr") == (
        "les bornes de calibration 0,95 et 1,05 ne peuvent être tenues après 1\u202f200 itérations : "
        "élargissez-les ou regroupez des catégories"
    )
    assert "0,95 en 1,05" in weighting_message(error, "nl") and "1.200 iteraties" in weighting_message(
        error, "nl"
    )


def test_a_trim_note_says_what_was_capped() -> None:
    relative = Note("english", code="trimmed", n=3, relative=True, lo=0.5, hi=2.0, rounds=2)
    absolute = Note("english", code="trimmed", n=3, relative=False, lo=0.5, hi=2.0, rounds=2)
    assert weighting_message(relative, "fr") == "3 poids plafonnés (rapport g entre 0,5 et 2) en 2 tour(s)"
    assert weighting_message(absolute, "nl") == "3 gewichten begrensd (gewicht tussen 0,5 en 2) in 2 ronde(s)"


def test_a_real_trim_note_and_plain_messages() -> None:
    data = pd.DataFrame({"sex": ["F", "M", "M", "M", "M", "M"]})
    design = rake(Design.from_frame(data), Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}}))
    (note,) = trim(design, 0.5, 2.5, recalibrate=False).diagnostics[-1].notes
    assert weighting_message(note, "nl").endswith("ronde(s)") and "gewichten begrensd" in weighting_message(
        note, "nl"
    )
    uncoded = WeightingError("something only English knows")
    assert weighting_message(uncoded, "fr") == "something only English knows"  # shown, never lost
    assert weighting_message("a plain note", "nl") == "a plain note"


def test_calibration_methods_are_named_as_the_pages_name_them() -> None:
    error = ConvergenceError("english", code="diverged", method="linear", iterations=50)
    assert weighting_message(error, "fr").startswith(
        "le calage linéaire diverge : aucune solution finie après 50"
    )
    assert weighting_message(error, "nl").startswith(
        "lineaire kalibratie divergeert: geen eindige oplossing na 50"
    )
    out_of_step = BoundsError("the English sentence", code="bounds_unmet", lo=0.5)  # values missing
    assert weighting_message(out_of_step, "fr") == "the English sentence"
