"""The summary that opens results, report and public page: shift due to weighting and its SE.

The demo's support for merging the municipalities ("strongly agree + agree") is 53 % unweighted
and 36 % weighted; these tests hold the summary to that, check the shift's linearised SE against
a jackknife computed directly with numpy over re-raked replicate weights, and check that a choice
label is escaped wherever the summary prints it.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst import snapshots
from survey.analyst.audit import bias_audit
from survey.analyst.easy_read import findings as easy_findings
from survey.analyst.public import public_html
from survey.analyst.render import render
from survey.analyst.report import render_report
from survey.analyst.services import Context, QuestionResult, WeightingSpec, load_context, run_analysis
from survey.analyst.summary import SE_METHOD, shift_scores, summarise
from survey.questionnaire.model import Questionnaire
from tests.analyst.conftest import SLUG, login
from weighting import Design, estimate, replicate_weights

MARGINS = ("sex", "age_group", "education", "municipality", "nationality_group")
MARKUP = '<img src=x onerror="alert(1)">'


def test_summary_leads_with_the_merger_shift(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        analysis = run_analysis(load_context(session, SLUG), WeightingSpec(method="rake"))
    rows = analysis.summary.rows
    top = rows[0]
    assert (top.question, top.category) == ("merge_municipalities", "strongly_agree+agree")
    assert round(100 * top.unweighted) == 53 and round(100 * top.weighted) == 36
    assert top.labels["en"] == "Strongly agree + Agree" and top.clear
    assert top.ci_low < top.weighted < top.ci_high
    shifts = [abs(r.shift) for r in rows]
    assert shifts == sorted(shifts, reverse=True)
    assert not {r.question for r in rows} & set(MARGINS)
    assert {r.question for r in rows} >= {"merge_municipalities", "level_housing", "more_participation"}
    by_cell = {(q.name, row["category"]): row for q in analysis.results for row in q.rows}
    for r in rows:
        assert r.shift_se > 0
        if (r.question, r.category) in by_cell:
            row = by_cell[(r.question, r.category)]
            assert r.weighted == row["weighted"]["estimate"] and r.unweighted == row["unweighted"]["estimate"]
            assert r.shift == pytest.approx(r.weighted - r.unweighted, abs=1e-15)
    assert analysis.summary.to_dict()["se_method"] == SE_METHOD


def test_shift_se_matches_a_direct_jackknife(demo: sessionmaker[Session]) -> None:
    """Linearised SE of weighted − unweighted share vs a JK1 jackknife of the same difference.

    The replicates re-rake each delete-one sample (``weighting.replicate_weights``); the
    difference per replicate and the jackknife variance (n−1)/n Σ(θ_r − θ̄)² are computed
    here with numpy, independent of the linearisation.
    """
    with demo() as session:
        analysis = run_analysis(load_context(session, SLUG), WeightingSpec(method="rake"))
    design, data = analysis.design, analysis.data.reset_index(drop=True)
    replicates = replicate_weights(design, "jk1")
    n = design.n
    assert replicates.n_replicates == n
    answers = data["merge_municipalities"].astype("string")
    answered = answers.notna().to_numpy()
    checked = 0
    for category in (("strongly_agree", "agree"), ("disagree",), ("neutral",)):
        y = answers.isin(category).fillna(False).to_numpy(dtype=np.float64)
        a = answered.astype(np.float64)
        weights = replicates.weights * a[:, None]
        p_w = (weights * y[:, None]).sum(axis=0) / weights.sum(axis=0)
        p_u = (np.dot(a, y) - a * y) / (a.sum() - a)  # row r deleted
        jackknife = {
            name: np.sqrt((n - 1) / n * np.sum((theta - theta.mean()) ** 2))
            for name, theta in (("shift", p_w - p_u), ("weighted", p_w), ("unweighted", p_u))
        }
        row = next(
            r for r in analysis.summary.rows
            if r.question == "merge_municipalities" and r.category == "+".join(category)
        )  # fmt: skip
        # Linearisation and jackknife differ by a few % here even for the weighted share alone
        # (the library's own SEs: up to 4.4 %), hence 8 %; ignoring the covariance would be 40-80 % off.
        assert row.shift_se == pytest.approx(jackknife["shift"], rel=0.08)
        assert np.hypot(jackknife["weighted"], jackknife["unweighted"]) > 1.4 * row.shift_se
        checked += 1
    assert checked == 3


def test_equal_fixed_weights_shift_nothing_with_no_error() -> None:
    """Closed form: equal fixed weights make weighted = unweighted in every sample, so SE 0."""
    frame = pd.DataFrame({"q": ["a", "b", "a", None, "b", "a"], "mode": ["online"] * 6})
    design = Design.from_frame(frame).with_weights(np.full(6, 2.5))
    result = QuestionResult("q", "categorical", {"en": "Q"})
    for row in estimate(design, ["q"]).rows:
        cell = {
            "estimate": row.estimate,
            "se": row.se,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "n": row.n,
        }
        result.rows.append({"category": row.category, "labels": {"en": row.category}, "weighted": cell,
                            "unweighted": cell})  # fmt: skip
    rows = summarise(design, frame, [result], ()).rows
    assert [r.category for r in rows] == ["a", "b"]
    assert all(r.shift == 0 and r.shift_se == pytest.approx(0, abs=1e-15) for r in rows)
    unequal = design.with_weights(np.array([1.0, 1.0, 3.0, 1.0, 1.0, 1.0]))
    scores = shift_scores(
        unequal, (frame["q"] == "a").to_numpy(dtype=np.float64), frame["q"].notna().to_numpy()
    )
    p_w, p_u = 5 / 7, 3 / 5  # a: weights 1+3+1 of 7 answered; 3 of 5 answered
    y = np.array([1, 0, 1, 0, 0, 1.0])
    answered = np.array([1, 1, 1, 0, 1, 1.0])
    expected = answered * (np.array([1, 1, 3, 1, 1, 1.0]) * (y - p_w) / 7 - (y - p_u) / 5)
    assert scores == pytest.approx(expected, abs=1e-15)


def test_analyst_chooses_the_key_questions(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        analysis = run_analysis(
            load_context(session, SLUG), WeightingSpec(method="rake"), keys=("education",)
        )
    chosen = analysis.summary
    assert {r.question for r in chosen.rows} == {"education"}
    unweighted = {(q.name, row["category"]): row["unweighted"] for q in analysis.results for row in q.rows}
    for r in chosen.rows:
        # A raking margin is fixed by calibration: its weighted share has no sampling variance,
        # so the shift varies exactly as the unweighted share does.
        assert r.ci_low == pytest.approx(r.weighted, abs=1e-5)
        assert r.shift_se == pytest.approx(unweighted[("education", r.category)]["se"], rel=1e-3)
        assert r.exact and not r.clear


def test_a_weighting_variable_as_key_question_is_explained_not_given_an_interval(
    demo: sessionmaker[Session],
) -> None:
    """Chosen with a real key question, a margin's rows say "exact by construction" once, come last,
    and neither the headline nor the easy-read findings speak of them."""
    with demo() as session:
        analysis = run_analysis(
            load_context(session, SLUG),
            WeightingSpec(method="rake"),
            keys=("education", "merge_municipalities"),
        )
    rows = analysis.summary.rows
    exact = [r.exact for r in rows]
    assert exact == sorted(exact) and any(exact) and not all(exact)  # the margin's rows after the others
    assert {r.question for r in rows if r.exact} == {"education"}
    stored = analysis.summary.to_dict()
    assert all(row["exact"] == (row["question"] == "education") for row in stored["rows"])
    for lang, words in (("en", "exact by construction"), ("fr", "exact par construction"),
                        ("nl", "exact door constructie")):  # fmt: skip
        page = render("analyst/_summary.html", sm=stored, lang=lang)
        education = [r for r in rows if r.exact]
        assert page.count(f'<a href="#summary-exact-note">{words}</a>') == len(education)
        assert page.count('id="summary-exact-note"') == 1
        note = page.split('id="summary-exact-note">')[1].split("</p>")[0]
        label = next(r.labels[lang] for r in analysis.results if r.name == "education").rstrip(" :\u00a0")
        assert f": {label}. " in note, note  # named once, without the form's trailing colon
        for r in education:  # no interval that is one value printed twice
            shown = render("analyst/_summary.html", sm={"rows": [stored["rows"][rows.index(r)]]}, lang="en")
            assert "&#8288;–&#8288;" not in shown
        headline = page.split('class="headline"')[1].split("</p>")[0]
        assert "education" not in headline.lower() and "qualification" not in headline
    findings = easy_findings({"summary": stored}, "en")
    assert [f.question for f in findings] == ["The 19 Brussels municipalities should merge."]


def test_results_page_opens_with_the_summary(client: TestClient) -> None:
    assert login(client) == 303
    page = client.get(f"/analyst/{SLUG}/results?method=rake").text
    summary_at = page.index('id="key-results"')
    assert summary_at < page.index('id="q-')
    assert (
        "Weighting moves “Strongly agree + Agree” (The 19 Brussels municipalities should merge.) from 53% to 36%."
        in page
    )
    assert re.search(r"<td class=\"n\"><strong[^>]*>-17\.\d pts</strong></td>", page)
    french = client.get(f"/analyst/{SLUG}/results?method=rake&lang=fr").text
    assert "La pondération fait passer «\u00a0Tout à fait d&#39;accord + Plutôt d&#39;accord\u00a0»" in french
    assert "de 53\u202f% à 36\u202f%." in french


def _hostile_context(session: Session) -> Context:
    """The demo with a choice label carrying markup (a questionnaire author's free text)."""
    context = load_context(session, SLUG)
    content = copy.deepcopy(context.version.content)
    for choice in content["choices"]["agree5"]:
        if choice["name"] == "strongly_agree":
            choice["labels"] = dict.fromkeys(choice["labels"], f"Yes {MARKUP}")
    context.questionnaire = Questionnaire.from_dict(content)
    return context


def test_summary_escapes_choice_labels_on_page_report_and_public(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = _hostile_context(session)
        analysis = run_analysis(context, WeightingSpec(method="rake"))
        assert analysis.summary.rows[0].labels["en"].startswith(f"Yes {MARKUP}")
        page = render("analyst/_summary.html", sm=analysis.summary.to_dict(), lang="en")
        report = render_report(context, analysis, bias_audit(context, analysis, "en"), "en")
        snapshot = snapshots.create_snapshot(
            session, context, analysis, actor="t", actor_id=None, publish=True
        )
        public = public_html(snapshot, "en")
        session.rollback()
    escaped = "Yes &lt;img src=x onerror=&#34;alert(1)&#34;&gt;"
    for html in (page, report, public):
        assert MARKUP not in html and escaped in html
    assert report.index('id="key-results"') < report.index('id="methodology"') < report.index("<svg")
    assert "<details>" not in report.split('id="methodology"')[0]  # every row printed in the PDF
    assert "<details>" in public.split('id="easy-read"')[0]  # a page folds all but the largest 8
    assert public.index('id="key-results"') < public.index('id="easy-read"')
