"""Every reader of complete responses goes through ``survey.store.services.counted`` (issue #24).

A query that picked complete responses by their status alone would count a corrected respondent
twice (original and correction). This test reads the source of every package that queries the
store and fails on any such filter outside the one module that defines what counts.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("survey", "field_app", "weighting")  # bench/ counts stored rows, not respondents
ALLOWED = {
    Path("survey/store/services/counted.py"),  # the definition
    Path("survey/store/models/_response.py"),  # the enum and its CHECK constraint
}
# A status filter that selects complete responses: the enum member, or the literal in SQL text.
PATTERNS = (
    re.compile(r"ResponseStatus\.COMPLETE\b"),
    re.compile(r"status\s*(=|==|IN\s*\()\s*'complete'", re.IGNORECASE),
    re.compile(r"status\s*==\s*\"complete\""),
)
SUBMISSION_DEFAULT = "status: ResponseStatus = ResponseStatus.COMPLETE"


def offenders() -> list[str]:
    """``path:line: text`` of each complete-status filter outside the allowed modules."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in ALLOWED or "migrations" in relative.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if SUBMISSION_DEFAULT in line:  # what a submission is stored as, not a filter
                    continue
                if any(p.search(line) for p in PATTERNS):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_reader_filters_complete_responses_by_itself() -> None:
    assert offenders() == [], "use survey.store.services.counted.counted() instead"


def test_the_check_catches_a_reader_that_forgets() -> None:
    """The patterns do find the filter the quota and frame readers used before they were routed."""
    line = "            Response.status == ResponseStatus.COMPLETE.value,"
    assert any(p.search(line) for p in PATTERNS)
    assert any(p.search("WHERE status = 'complete'") for p in PATTERNS)
