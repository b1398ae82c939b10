"""Targets parsing: shares and counts, crossed margins, and errors naming the file line."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from weighting import Targets, TargetsError


def _frame(rows, value="share"):
    return pd.DataFrame(rows, columns=["variable", "category", value])


def test_shares_and_crossed_margin_parse():
    t = Targets.from_frame(
        _frame(
            [
                ("sex", "F", 0.5),
                ("sex", "M", 0.5),
                ("sex:age_group", "F:18-24", 0.4),
                ("sex:age_group", "M:18-24", 0.6),
            ]
        )
    )
    assert t.names == ("sex", "sex:age_group")
    assert t.margin("sex:age_group").variables == ("sex", "age_group")
    assert t.variables == ("sex", "age_group")
    assert t.total is None


def test_counts_give_shares_and_total():
    t = Targets.from_frame(
        _frame([("sex", "F", 60), ("sex", "M", 40), ("age", "y", 30), ("age", "o", 70)], "count")
    )
    assert t.total == 100.0
    assert t.margin("sex").shares == (0.6, 0.4)


def test_polars_frame_and_round_trip():
    df = pl.DataFrame({"variable": ["sex", "sex"], "category": ["F", "M"], "share": [0.3, 0.7]})
    t = Targets.from_frame(df)
    assert Targets.from_frame(t.to_frame()) == t


@pytest.mark.parametrize(
    ("rows", "value", "needle"),
    [
        ([("sex", "F", 0.5), ("sex", "M", 0.4)], "share", "'sex' sum to 0.9"),
        ([("sex", "F", 0.5), ("sex", "F", 0.5)], "share", "line 3: duplicate category sex=F"),
        ([("sex", "F", "abc"), ("sex", "M", 0.5)], "share", "line 2"),
        ([("sex", "F", -0.1), ("sex", "M", 1.1)], "share", "line 2"),
        ([("sex", None, 0.5), ("sex", "M", 0.5)], "share", "line 2: empty category"),
        ([("sex:age", "F", 1.0)], "share", "needs 2 parts"),
        (
            [("sex:sex", "F:F", 0.5), ("sex:sex", "M:M", 0.5)],
            "share",
            "line 2: crossed margin 'sex:sex' names 'sex'",
        ),
        ([("sex: ", "F:x", 1.0)], "share", "line 2: crossed margin 'sex:' has an empty variable name"),
        ([("sex:age", "F: ", 1.0)], "share", "line 2: category 'F:' of 'sex:age' has an empty part"),
        ([("sex", "F", 60), ("sex", "M", 40), ("age", "y", 50)], "count", "'age' total 50"),
    ],
)
def test_errors_name_the_line_or_variable(rows, value, needle):
    with pytest.raises(TargetsError) as exc:
        Targets.from_frame(_frame(rows, value))
    assert needle in str(exc.value)


def test_needs_share_or_count_column():
    with pytest.raises(TargetsError, match="exactly one of"):
        Targets.from_frame(pd.DataFrame({"variable": ["a"], "category": ["b"]}))


def test_shares_within_tolerance_accepted():
    t = Targets.from_frame(_frame([("sex", "F", 0.3333333), ("sex", "M", 0.6666667)]))
    assert len(t.margins[0].categories) == 2
