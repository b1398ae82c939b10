"""docs/data-protection.md names every table and column of the store, so a new field that could hold
personal data cannot be added without saying what it holds and how long it is kept (issue #14)."""

from __future__ import annotations

import re
from pathlib import Path

import survey.store.models  # noqa: F401  (every mapped table, field and snapshot ones included)
from survey.store.models import Base

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"


def sections() -> dict[str, str]:
    """Each ``### heading`` of the table list with its text; a heading may name several tables."""
    text = DOC.read_text(encoding="utf-8").split("## Every table and column", 1)[1]
    found: dict[str, str] = {}
    for block in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        for name in heading.split(","):
            found[name.strip()] = body
    return found


def undescribed(described: dict[str, str]) -> list[str]:
    """``table.column`` of every column its table's section does not name in backticks."""
    return [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if f"`{column.name}`" not in described.get(table.name, "")
    ]


def test_every_table_and_column_is_described() -> None:
    assert undescribed(sections()) == [], "describe these in docs/data-protection.md"


def test_the_check_sees_a_column_left_out() -> None:
    described = sections()
    described["responses"] = described["responses"].replace("`resume_token_hash`", "resume_token_hash")
    assert undescribed(described) == ["responses.resume_token_hash"]
