"""Breakdowns of numeric and multiple-choice questions: R's svyby as the oracle, then the demo's
page, CSV, API and chart (means on the question's scale, each option's share, small and empty groups)."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

import weighting as wt
from survey.analyst.breakdown_means import group_means
from survey.analyst.crosstab import crosstab, question_choices
from survey.analyst.services import MULTI_SEPARATOR, WeightingSpec, load_context, run_analysis
from tests.analyst.conftest import SLUG, csv_rows

GOLDEN = Path(__file__).parents[1] / "weighting" / "golden"
PAGE = f"/analyst/{SLUG}/breakdown"
API = f"/analyst/api/{SLUG}/breakdown"
Z = NormalDist().inv_cdf(0.975)


def test_group_means_match_r_svyby_on_a_calibrated_design() -> None:
    """``svyby(~x, ~g, design, svymean, na.rm=TRUE)`` after ``calibrate(calfun="raking")`` (make_golden_breakdowns.R)."""
    golden = json.loads((GOLDEN / "golden_breakdowns.json").read_text(encoding="utf-8"))
    data = pd.read_csv(GOLDEN / "consult.csv", keep_default_na=False)
    data["agree"] = np.where(data["opinion"] == "agree", 1.0, 0.0)
    data.loc[data["id"] % 7 == 0, "agree"] = np.nan  # an option's 0/1 column: missing when not answered
    targets = wt.Targets.from_frame(pd.read_csv(GOLDEN / "consult_t_margins.csv", keep_default_na=False))
    design = wt.calibrate(
        wt.Design.from_frame(data, weights=golden["design"]["base_weight"]), targets, calfun="raking",
        population=golden["design"]["population"], tol=1e-13, max_iter=500,
    )  # fmt: skip
    for case in golden["breakdowns"]:
        cells = group_means(design, [case["variable"]], case["by"], ["x"], shares=case["share"])
        assert {g for g, _ in cells} == {r["group"] for r in case["rows"]}
        for row in case["rows"]:
            got = cells[(row["group"], "x")]
            for figure in ("estimate", "se", "ci_low", "ci_high"):
                assert got[figure] == pytest.approx(row[figure], rel=1e-9), (case["variable"], figure, row)
            assert got["n"] == row["n"]
            if not case["share"]:
                assert got["ci_high"] == pytest.approx(row["estimate"] + Z * row["se"], rel=1e-9)


def _by_hand(data: pd.DataFrame, weights: np.ndarray, column: str, by: str, group: str) -> float:
    inside = ((data[by].astype(str) == group) & data[column].notna()).to_numpy()
    return float((weights[inside] * data[column].to_numpy()[inside]).sum() / weights[inside].sum())


def test_numeric_and_multiple_choice_breakdowns_on_the_demo(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
    analysis = run_analysis(context, WeightingSpec(method="rake"))
    kinds = question_choices(context.questionnaire, analysis.data)
    assert kinds["trust_municipality"] == "numeric" and kinds["merge_why_not"] == "multiple"
    assert kinds["merge_municipalities"] == "categorical" and "comment" not in kinds
    data, weights = analysis.data, analysis.design.weights

    means = crosstab(analysis, context.questionnaire, "trust_municipality", "education")
    assert means.kind == "numeric" and means.categories == ["mean"] and means.test is None
    assert means.scale is not None and (means.scale.low, means.scale.high) == (0.0, 10.0)
    for group in means.groups:
        cell = means.cells[(group, "mean")]
        assert cell["estimate"] == pytest.approx(
            _by_hand(data, weights, "trust_municipality", "education", group)
        )
        assert cell["ci_low"] < cell["estimate"] < cell["ci_high"] and cell["se"] > 0
        answered = (data["education"] == group) & data["trust_municipality"].notna()
        assert means.group_n[group] == int(answered.sum()) == cell["n"]

    options = crosstab(analysis, context.questionnaire, "merge_why_not", "municipality")
    assert options.kind == "multiple" and options.test is None and len(options.categories) > 1
    for group in options.groups:
        if options.group_n[group] == 0:  # nobody in this group was asked or answered: no figure at all
            assert all(not options.cells.get((group, c), {}).get("n") for c in options.categories)
            continue
        for option in options.categories:
            column = f"merge_why_not{MULTI_SEPARATOR}{option}"
            cell = options.cells[(group, option)]
            assert cell["estimate"] == pytest.approx(_by_hand(data, weights, column, "municipality", group))
            assert cell["n"] == options.group_n[group]
    assert any(options.small(g) for g in options.groups)  # the demo's few field answers by municipality
    refused = pytest.raises(wt.WeightingError, match="question: 'comment' is not a single-choice, multiple")
    with refused:
        crosstab(analysis, context.questionnaire, "comment", "education")
    with pytest.raises(wt.WeightingError, match="by: 'trust_region' is not a single-choice"):
        crosstab(analysis, context.questionnaire, "merge_why_not", "trust_region")


def test_numeric_breakdown_page_csv_api_and_chart(analyst: TestClient) -> None:
    query = "method=rake&question=trust_municipality&by=age_group"
    page = analyst.get(f"{PAGE}?{query}")
    assert page.status_code == 200, page.text
    assert (
        '<option value="trust_municipality" selected>' in page.text and 'label="Numeric (mean)"' in page.text
    )
    assert 'id="compare-intervals"' in page.text and 'id="rao-scott"' not in page.text
    chart_words = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", page.text))
    assert "Weighted mean on the question's scale, 0 to 10" in chart_words  # the axis title, however wrapped
    assert "(scale 0 to 10)" in page.text or "0 to 10" in page.text
    api = analyst.get(f"{API}?{query}").json()
    assert api["kind"] == "numeric" and api["scale"]["high"] == 10 and api["test"] is None
    rows = csv_rows(analyst.get(f"{PAGE}?{query}&format=csv").text)
    assert [r["group"] for r in rows] == api["groups"]
    for got, row in zip(rows, api["rows"], strict=True):
        assert got["kind"] == "numeric" and got["category_label"] == "mean"
        assert float(got["weighted_estimate"]) == pytest.approx(row["estimate"], rel=1e-12)
        assert float(got["weighted_ci_high"]) == pytest.approx(row["ci_high"], rel=1e-12)
        assert 0 <= row["ci_low"] <= row["estimate"] <= row["ci_high"] <= 10
        shown = f"{row['estimate']:.2f}"
        assert shown in page.text  # the table prints every group's mean with 2 decimals
    french = analyst.get(f"{PAGE}?{query}&lang=fr")
    assert "Moyenne pondérée sur l" in french.text and "moyenne" in french.text
    assert "Weighted mean" not in french.text


def test_multiple_choice_breakdown_flags_small_and_empty_groups(analyst: TestClient) -> None:
    query = "method=rake&question=merge_why_not&by=municipality"
    page = analyst.get(f"{PAGE}?{query}&lang=nl")
    assert page.status_code == 200, page.text
    assert "tellen niet op tot 100%" in page.text and "<svg" in page.text
    api = analyst.get(f"{API}?{query}").json()
    assert api["kind"] == "multiple" and api["test"] is None
    small = {r["group"] for r in api["rows"] if r["small"]}
    empty = {r["group"] for r in api["rows"] if r["group_n"] == 0}
    assert small and page.text.count('class="small-group"') == len(small)
    for row in api["rows"]:
        if row["group"] in empty:
            assert row.get("estimate") is None  # never a share of 0 for nobody
        else:
            assert 0.0 <= row["estimate"] <= 1.0 and row["ci_low"] <= row["estimate"] <= row["ci_high"]
    assert page.text.count("geen respondenten") == len(empty)
    assert "0,0%–0,0%" not in page.text and "0,0 %–0,0 %" not in page.text
    rows = csv_rows(analyst.get(f"{PAGE}?{query}&format=csv").text)
    assert {r["small_group"] for r in rows if r["group"] in small} == {"True"}
    assert all(not r["weighted_estimate"] for r in rows if r["group"] in empty)


def test_bad_breakdown_questions_name_the_field(analyst: TestClient) -> None:
    wrong = analyst.get(f"{PAGE}?question=comment&by=education")
    assert wrong.status_code == 400 and "question: &#39;comment&#39; is not a single-choice" in wrong.text
    french = analyst.get(f"{PAGE}?question=%3Cb%3Ex&by=education&lang=fr")
    assert french.status_code == 400 and "choix multiple ou numérique" in french.text
    assert "&lt;b&gt;x" in french.text and "<b>x" not in french.text
    api = analyst.get(f"{API}?question=trust_region&by=trust_municipality")
    assert api.status_code == 422 and "by: 'trust_municipality'" in api.text
    assert math.isfinite(
        analyst.get(f"{API}?question=merge_municipalities&by=mode").json()["test"]["statistic"]
    )
