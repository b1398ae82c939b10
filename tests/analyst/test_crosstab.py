"""Subgroup breakdowns on the demo: shares per subgroup and the Rao–Scott test from ``weighting``."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.crosstab import breakdown_choices, crosstab
from survey.analyst.services import WeightingSpec, load_context, run_analysis
from tests.analyst.conftest import SLUG
from weighting import WeightingError, rao_scott_test


def test_shares_per_subgroup_match_weighted_counts_and_the_test(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
    analysis = run_analysis(context, WeightingSpec(method="rake"))
    table = crosstab(analysis, context.questionnaire, "merge_municipalities", "education")
    assert table.groups and table.categories and table.test is not None and not table.problem
    data, weights = analysis.data, analysis.design.weights
    for group in table.groups:
        in_group = (data["education"] == group) & data["merge_municipalities"].notna()
        total = weights[in_group.to_numpy()].sum()
        shares = [table.cells[(group, c)]["estimate"] for c in table.categories if (group, c) in table.cells]
        assert math.isclose(sum(shares), 1.0, rel_tol=1e-9)
        for category in table.categories:
            expected = (
                weights[(in_group & (data["merge_municipalities"] == category)).to_numpy()].sum() / total
            )
            cell = table.cells.get((group, category), {"estimate": 0.0})
            assert math.isclose(cell["estimate"], expected, rel_tol=1e-9, abs_tol=1e-12)
        assert table.group_n[group] == int(in_group.sum())
    direct = rao_scott_test(analysis.design, "merge_municipalities", "education")
    assert table.test.statistic == direct.statistic and 0.0 <= table.test.p_value <= 1.0
    assert table.test.df_num > 0 and table.test.df_den is not None
    by_mode = crosstab(analysis, context.questionnaire, "merge_municipalities", "mode")
    assert by_mode.groups == ["online", "field"]
    assert np.isfinite(by_mode.test.statistic) if by_mode.test else by_mode.problem


def test_bad_choices_are_refused_by_name(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
    analysis = run_analysis(context, WeightingSpec(method="rake"))
    assert "mode" in breakdown_choices(context.questionnaire, analysis.data)
    with pytest.raises(WeightingError, match="by: 'nope'"):
        crosstab(analysis, context.questionnaire, "merge_municipalities", "nope")
    with pytest.raises(WeightingError, match="question: 'comment'"):
        crosstab(analysis, context.questionnaire, "comment", "education")
    with pytest.raises(WeightingError, match="other than the question"):
        crosstab(analysis, context.questionnaire, "education", "education")


def test_breakdown_page_shows_table_chart_and_test(client, demo) -> None:
    from tests.analyst.conftest import login

    assert client.get(f"/analyst/{SLUG}/breakdown", follow_redirects=False).status_code == 303
    assert login(client) == 303
    page = client.get(f"/analyst/{SLUG}/breakdown?method=rake&question=merge_municipalities&by=education")
    assert page.status_code == 200, page.text
    assert "<svg" in page.text and "<caption>" in page.text and 'id="rao-scott"' in page.text
    assert re.search(r"F = \d+\.\d{3} on \d+\.\d{2} and [\d,]+\.\d degrees of freedom", page.text)
    # the line R's svychisq(statistic="F") prints, so a side-by-side reading matches figure for figure
    assert re.search(
        r"<code>F = [\d.e+-]+, ndf = [\d.]+, ddf = [\d.]+, p-value = [\d.e+-]+</code>", page.text
    )
    french = client.get(
        f"/analyst/{SLUG}/breakdown?method=rake&question=merge_municipalities&by=education&lang=fr"
    )
    assert re.search(r"F = \d+,\d{3} avec \d+,\d{2} et [\d\u202f]+,\d degrés de liberté", french.text)
    assert (
        "Test d&#39;indépendance de Rao–Scott" in french.text
        or "Test d&#x27;indépendance de Rao–Scott" in french.text
    )
    assert 'name="method" value="rake"' in page.text
    wrong = client.get(f"/analyst/{SLUG}/breakdown?question=merge_municipalities&by=%3Cscript%3E")
    assert wrong.status_code == 400 and "&lt;script&gt;" in wrong.text and "<script>" not in wrong.text
