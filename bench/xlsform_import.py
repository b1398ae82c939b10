"""XLSForm import time for a 500-question form (goal: under 2 s), and for a real 527-question form.

    .venv/bin/python bench/xlsform_import.py [--questions 500] [--repeat 3]

Writes a generated workbook (three label languages, 25 groups of 20 questions: select_one,
select_multiple, integer with a constraint, text, date, a relevant on every other question, a
calculate per group) to a temporary folder, then times ``load_xlsform`` on it end to end (pyxform
reading the file, mapping, every expression parsed). It also times the WHO verbal-autopsy form
from the test corpus (``tests/data/xlsforms/whova_form.xlsx``, 527 questions). Prints the best and
the median of the repeats, in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from survey.questionnaire.xlsform import load_xlsform  # noqa: E402

LANGUAGES = ("Français (fr)", "Nederlands (nl)", "English (en)")
REAL_FORM = ROOT / "tests" / "data" / "xlsforms" / "whova_form.xlsx"


def build(path: Path, questions: int) -> Path:
    """A form of ``questions`` questions in groups of 20, each group closed by a calculate."""
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        ["type", "name", *(f"label::{lang}" for lang in LANGUAGES), "relevant", "constraint", "calculation"]
    )
    kinds = ("select_one agree", "select_multiple topics", "integer", "text", "date")
    made = 0
    group = 0
    while made < questions:
        group += 1
        survey.append(["begin group", f"g{group}", *(f"Group {group}" for _ in LANGUAGES), "", "", ""])
        first = made
        for _ in range(min(19, questions - made)):
            made += 1
            kind = kinds[made % len(kinds)]
            relevant = f"${{q{made - 1}}} != ''" if made % 2 == 0 and made - 1 > first else ""
            constraint = ". >= 0 and . <= 120" if kind == "integer" else ""
            survey.append(
                [
                    kind,
                    f"q{made}",
                    *(f"Question {made} ({lang})" for lang in LANGUAGES),
                    relevant,
                    constraint,
                    "",
                ]
            )
        if made < questions:
            made += 1
            survey.append(
                ["calculate", f"q{made}", "", "", "", "", "", f"concat('g{group}-', ${{q{first + 1}}})"]
            )
        survey.append(["end group", "", "", "", "", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{lang}" for lang in LANGUAGES)])
    for name in ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"):
        choices.append(["agree", name, *(f"{name} ({lang})" for lang in LANGUAGES)])
    for k in range(12):
        choices.append(["topics", f"topic{k}", *(f"Topic {k} ({lang})" for lang in LANGUAGES)])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Bench", "bench", "Français (fr)"])
    book.save(path)
    return path


def timed(path: Path, repeat: int) -> tuple[float, float, int]:
    times = []
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = load_xlsform(path)
        times.append(time.perf_counter() - start)
        count = len(result.questionnaire.questions)
    return min(times), statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--questions", type=int, default=500, help="questions in the generated form (default 500)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="imports timed per form (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        form = build(Path(folder) / "bench.xlsx", args.questions)
        best, median, count = timed(form, args.repeat)
    print(f"generated form, {count} questions: best {best:.3f} s, median {median:.3f} s (goal < 2 s)")
    best, median, count = timed(REAL_FORM, args.repeat)
    print(f"{REAL_FORM.name}, {count} questions: best {best:.3f} s, median {median:.3f} s")


if __name__ == "__main__":
    main()
