"""Demo end to end through the service layer: targets → raking → results, bias audit, snapshots."""

from __future__ import annotations

import dataclasses
import math
import time

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst import snapshots
from survey.analyst.audit import bias_audit
from survey.analyst.services import WeightingSpec, analysis_frame, load_context, run_analysis
from survey.analyst.targets_csv import parse_targets_csv
from survey.http import staff_session
from survey.store.db import make_engine, transaction
from survey.store.models import Base, ResultSnapshot, User
from tests.analyst.conftest import SLUG
from weighting import Design, Targets, estimate, rake


def test_weighted_estimates_equal_the_library(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
        analysis = run_analysis(context, WeightingSpec(method="rake"))
        assert context.target_set is not None and context.population is not None
        targets = pd.DataFrame(
            [(r.variable, r.category, r.share) for r in context.target_rows],
            columns=["variable", "category", "share"],
        )
        direct = rake(
            Design.from_frame(analysis_frame(context.frame, context.questionnaire)),
            Targets.from_frame(targets),
            population=context.population,
            missing="mode",
        )
        table = estimate(direct, ["merge_municipalities", "trust_region"]).to_frame()
        # a multiple-choice option is a share: its 0/1 column read as categories, "1" being chosen
        chosen = direct.data["merge_why_not.cost"].map({1.0: "1", 0.0: "0"})
        as_share = dataclasses.replace(direct, data=pd.DataFrame({"merge_why_not.cost": chosen}))
        option = estimate(as_share, ["merge_why_not.cost"]).to_frame()
        table = pd.concat([table, option[option["category"] == "1"].assign(category="cost")])
    assert analysis.final.converged
    assert math.isclose(float(analysis.design.weights.sum()), context.population, rel_tol=1e-9)
    ours = {(r.name, row["category"]): row["weighted"] for r in analysis.results for row in r.rows}
    for row in table.itertuples():
        variable, category = str(row.variable), str(row.category)
        if "." in variable:
            variable, category = variable.split(".")
        mine = ours[(variable, category)]
        assert mine["estimate"] == pytest.approx(row.estimate, abs=1e-12)
        assert mine["se"] == pytest.approx(row.se, abs=1e-12)
        assert mine["ci_low"] == pytest.approx(row.ci_low, abs=1e-12)
        assert mine["ci_high"] == pytest.approx(row.ci_high, abs=1e-12)


def test_bias_audit_shows_online_bias_shrinking(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
        analysis = run_analysis(context, WeightingSpec())
        audit = bias_audit(context, analysis)
    assert set(audit.distance) == {"sex", "age_group", "education", "municipality", "nationality_group"}
    for margin in ("age_group", "education", "nationality_group"):
        assert audit.distance[margin]["combined"] < audit.distance[margin]["online"]
    for gap in audit.margins:
        assert gap.weighted == pytest.approx(gap.population, abs=1e-5)
    summary = " ".join(audit.summary)
    assert "Lower secondary or less (Your highest qualification)" in summary
    assert "closer to the population" in summary and "education =" not in summary
    ses = [abs(r.in_se) for r in audit.rows]
    assert ses == sorted(ses, reverse=True) and audit.rows
    assert all(r.question not in audit.distance for r in audit.rows)
    assert audit.mode_effects and "with_field" in audit.mode_effects[0]


def test_results_have_every_mode_and_comments(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        analysis = run_analysis(load_context(session, SLUG), WeightingSpec())
    assert analysis.n == {"all": 1151, "online": 1003, "field": 148}
    merge = next(r for r in analysis.results if r.name == "merge_municipalities")
    shares = [row["weighted"]["estimate"] for row in merge.rows]
    assert sum(shares) == pytest.approx(1)
    assert all(row["online"]["n"] == 1003 and row["field"]["n"] == 148 for row in merge.rows)
    assert all(
        row["weighted"]["ci_low"] < row["weighted"]["estimate"] < row["weighted"]["ci_high"]
        for row in merge.rows
    )
    assert next(r for r in analysis.results if r.name == "merge_why_not").kind == "multiple"
    assert analysis.comments and {c["question"] for c in analysis.comments} <= {
        "comment",
        "merge_why_not_other",
    }


def test_trim_and_calibration_choices(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
        trimmed = run_analysis(context, WeightingSpec(method="rake", trim=(0.3, 3.0)))
        linear = run_analysis(context, WeightingSpec(method="linear", variables=("sex", "age_group")))
    assert trimmed.final.method in {"rake", "trim"} and any(d.method == "trim" for d in trimmed.diagnostics)
    g = trimmed.design.weights / trimmed.design.weights.mean()
    assert g.max() < 10
    assert linear.final.margins == ("sex", "age_group")


def test_snapshot_freezes_provenance(demo: sessionmaker[Session]) -> None:
    with transaction(demo) as session:
        context = load_context(session, SLUG)
        analyst = session.query(User).filter_by(username="analyst").one()
        analysis = run_analysis(context, WeightingSpec())
        draft = snapshots.create_snapshot(
            session, context, analysis, actor="analyst", actor_id=analyst.id, publish=False
        )
        draft_id, data_hash = draft.id, context.data_hash()
    with transaction(demo) as session:
        context = load_context(session, SLUG)
        assert snapshots.snapshots(session, context.consultation, published_only=True) == [] or all(
            s.id != draft_id for s in snapshots.snapshots(session, context.consultation, published_only=True)
        )
        stored = session.get(ResultSnapshot, draft_id)
        assert stored is not None
        assert stored.data_hash == data_hash and stored.method == "rake"
        assert stored.questionnaire_version_id == context.version.id
        assert context.target_set is not None and stored.target_set_id == context.target_set.id
        assert stored.software_version and stored.content["questions"]
        snapshots.publish(session, draft_id, actor="analyst", actor_id=None)
    with demo() as session:
        consultation = load_context(session, SLUG).consultation
        assert snapshots.published(session, consultation, draft_id).published_at is not None


def test_migration_matches_model(demo: sessionmaker[Session], demo_url: str) -> None:
    engine = make_engine(demo_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in diff if "result_snapshots" in repr(d)] == []


def test_targets_csv_errors_name_the_line() -> None:
    rows, problems = parse_targets_csv("variable,category,share\nsex,F,0.5\nsex,M,half\n")
    assert len(rows) == 1 and problems == ["line 3, column 'share': share 'half' is not a number"]
    assert parse_targets_csv("a,b\n1,2\n")[1] == ["line 1: the header must be variable,category,share"]


def test_session_cookie_is_tamper_proof() -> None:
    user = User(id=7, username="a", password_hash="", role="analyst")
    cookie = staff_session.sign_session("k" * 20, user)
    assert staff_session.read_session("k" * 20, cookie) is not None
    assert staff_session.read_session("other-key-000000000", cookie) is None
    sig = cookie.split(".")[1]
    forged = staff_session._b64(b'{"uid":7,"role":"admin","exp":99999999999}')
    assert staff_session.read_session("k" * 20, f"{forged}.{sig}") is None
    assert (
        staff_session.read_session("k" * 20, cookie, now=time.time() + staff_session.SESSION_SECONDS + 5)
        is None
    )
