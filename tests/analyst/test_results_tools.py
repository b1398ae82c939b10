"""What an analyst does with the results page: choose the key questions, read the summary through
the API, download a page's table as CSV, see small and empty groups for what they are, and get a
refusal (not silence) for bounds a method would ignore."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.analyst.conftest import SLUG, csv_rows

RESULTS = f"/analyst/{SLUG}/results"
API = f"/analyst/api/{SLUG}"


def test_key_questions_chosen_in_the_browser_and_the_api(analyst: TestClient) -> None:
    default = analyst.get(f"{API}/summary?method=rake").json()
    default_questions = {r["question"] for r in default["rows"]}
    assert "merge_municipalities" in default_questions and len(default_questions) > 1
    chosen = analyst.get(f"{API}/summary?method=rake&key=merge_municipalities").json()
    assert {r["question"] for r in chosen["rows"]} == {"merge_municipalities"}
    assert chosen["spec"]["keys"] == ["merge_municipalities"]
    same = next(
        r for r in default["rows"] if r["question"] == "merge_municipalities" and r["category"] == "agree"
    )
    again = next(r for r in chosen["rows"] if r["category"] == "agree")
    assert again["shift"] == pytest.approx(same["shift"], abs=1e-12)  # choosing keys changes no figure
    full = analyst.get(f"{API}/results?method=rake&key=merge_municipalities").json()
    assert full["summary"] == {k: v for k, v in chosen.items() if k in ("se_method", "rows")}

    page = analyst.get(f"{RESULTS}?method=rake&key=merge_municipalities")
    assert page.status_code == 200 and 'id="keys-form"' in page.text
    assert 'value="merge_municipalities" checked' in page.text
    assert '<input type="hidden" name="method" value="rake">' in page.text
    wrong = analyst.get(f"{RESULTS}?method=rake&key=%3Cb%3Eage")
    assert wrong.status_code == 400 and "&lt;b&gt;age" in wrong.text and "<b>age" not in wrong.text
    refused = analyst.get(f"{API}/summary?key=nope")
    assert refused.status_code == 422 and "key: 'nope' is not a single-choice question" in refused.text


def test_results_csv_holds_the_figures_of_the_page(analyst: TestClient) -> None:
    api = analyst.get(f"{API}/results?method=poststratify&variables=sex").json()
    download = analyst.get(f"{RESULTS}?method=poststratify&variables=sex&format=csv&lang=fr")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = csv_rows(download.text)
    by_key = {(r["question"], r["category"]): r for r in rows}
    for question in api["questions"]:
        for row in question["rows"]:
            got = by_key[(question["name"], row["category"])]
            assert float(got["weighted_estimate"]) == pytest.approx(row["weighted"]["estimate"], rel=1e-12)
            assert float(got["weighted_ci_low"]) == pytest.approx(row["weighted"]["ci_low"], rel=1e-12)
    assert any(r["category_label"] == "D'accord" or "accord" in r["category_label"] for r in rows)


def test_breakdown_csv_small_groups_and_empty_cells(analyst: TestClient) -> None:
    url = f"/analyst/{SLUG}/breakdown?method=rake&question=merge_municipalities&by=municipality"
    page = analyst.get(url)
    assert page.status_code == 200 and 'id="breakdown-csv"' in page.text
    rows = csv_rows(analyst.get(url + "&format=csv").text)
    sizes = {r["group"]: int(r["group_n"]) for r in rows}
    small = [g for g, n in sizes.items() if 0 < n < 30]
    assert page.text.count('class="small-group"') == len(small)
    for r in rows:
        if r["weighted_estimate"]:
            low, high = float(r["weighted_ci_low"]), float(r["weighted_ci_high"])
            assert low <= float(r["weighted_estimate"]) <= high
    empty = [r for r in rows if r["weighted_estimate"] and float(r["weighted_estimate"]) == 0.0]
    assert page.text.count("no respondents") >= len([r for r in empty if float(r["weighted_se"] or 0) == 0])
    assert "0.0%–0.0%" not in page.text and "0.0 %–0.0 %" not in page.text


def test_bounds_a_method_would_ignore_are_refused(analyst: TestClient) -> None:
    for method in ("rake", "poststratify"):
        page = analyst.get(f"/analyst/{SLUG}/weighting?method={method}&bounds_lo=0.5&bounds_hi=2")
        assert page.status_code == 400 and "would ignore them" in page.text
    french = analyst.get(f"/analyst/{SLUG}/weighting?method=rake&bounds_lo=0.5&bounds_hi=2&lang=fr")
    assert "les ignorerait" in french.text
    fine = analyst.get(f"/analyst/{SLUG}/weighting?method=linear&bounds_lo=0.3&bounds_hi=3")
    assert fine.status_code == 200


def test_online_means_the_same_on_results_breakdown_and_bias_pages(analyst: TestClient) -> None:
    """The unweighted online share is one figure under one name on every page; the two other
    online figures (combined weights by mode, online reweighted alone) carry names of their own."""
    api = analyst.get(f"{API}/results?method=rake").json()
    merge = next(q for q in api["questions"] if q["name"] == "merge_municipalities")
    agree = next(r for r in merge["rows"] if r["category"] == "agree")
    online = f"{100 * agree['online']['estimate']:.1f}%"
    results = analyst.get(f"{RESULTS}?method=rake").text
    bias = analyst.get(f"/analyst/{SLUG}/bias?method=rake").text
    by_mode = analyst.get(f"/analyst/{SLUG}/breakdown?method=rake&question=merge_municipalities&by=mode").text
    for page in (results, bias, by_mode):
        assert 'id="modes-note"' in page and "online, unweighted" in page
    assert "Online, unweighted" in results and "Online, unweighted" in bias
    assert "Online only, reweighted alone" in bias and "Online only (weighted)" not in bias
    bias_rows = bias.split('id="bias-rows"')[1].split("</table>")[0]
    assert online in bias_rows and online in results
