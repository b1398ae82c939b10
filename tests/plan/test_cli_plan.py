"""``survey plan`` on the demo consultation: the plan file, the comparison, --moe, --costs, --apply."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from field_app.models import FieldQuota
from field_app.plan_quotas import register
from survey.cli.main import app
from survey.cli.plan import adaptive_round
from survey.store.db import transaction
from survey.store.models import AuditEntry, Response
from tests.plan.conftest import SLUG
from weighting.field_plan import proportional
from weighting.representativeness import Cells, weight_effect

runner = CliRunner()


def run(*args: str, demo_url: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--database-url", demo_url])
    assert result.exit_code == code, result.output
    return result.output


def as_cells(frame: pd.DataFrame, column: str) -> Cells:
    labels = tuple((c,) for c in frame["category"])
    return Cells(("x",), labels, frame["target_share"].to_numpy(float), frame[column].to_numpy(float))


def test_plan_file_and_comparison_with_proportional(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path
):
    path = tmp_path / "plan.csv"
    output = run("plan", SLUG, "--budget", "148", "--cells", "sex:age_group", "--out", str(path),
                 demo_url=demo_url)  # fmt: skip
    frame = pd.read_csv(path, dtype={"category": str})
    assert list(frame.columns) == ["variable", "category", "target_share", "responses", "planned", "after"]
    assert set(frame["variable"]) == {"sex:age_group"}
    assert frame["planned"].sum() == 148
    assert (frame["after"] == frame["responses"] + frame["planned"]).all()
    assert frame["responses"].sum() == 1151
    assert frame["target_share"].sum() == pytest.approx(1.0, abs=1e-5)
    # The plan's final weights beat the same 148 interviews split by population share.
    stored = as_cells(frame, "responses")
    usual = proportional(stored, 148)
    assert weight_effect(as_cells(frame, "after")).deff < usual.after.deff
    for line in ("Kish deff", "effective n", "largest weight", "MOE of 50 %", "after proportional"):
        assert line in output
    assert "assume its variables independent" in output  # the demo targets are single margins


def test_moe_plans_the_fewest_interviews_reaching_it(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path
):
    path = tmp_path / "plan.csv"
    run(
        "plan",
        SLUG,
        "--moe",
        "0.03",
        "--cells",
        "sex,education",
        "--out",
        str(path),
        demo_url=demo_url,
    )
    frame = pd.read_csv(path)
    assert set(frame["variable"]) == {"sex", "education"}
    by_margin = frame.groupby("variable")["planned"].sum()
    assert by_margin["sex"] == by_margin["education"] > 0
    # Both margins are read from the same crossed cells: rebuild them and check the MOE.
    path2 = tmp_path / "plan2.csv"
    run("plan", SLUG, "--budget", str(by_margin["sex"]), "--cells", "sex:education", "--out", str(path2),
        demo_url=demo_url)  # fmt: skip
    crossed = pd.read_csv(path2)
    assert weight_effect(as_cells(crossed, "after")).moe <= 0.03
    run("plan", SLUG, "--budget", str(by_margin["sex"] - 1), "--cells", "sex:education", "--out", str(path2),
        demo_url=demo_url)  # fmt: skip
    assert weight_effect(as_cells(pd.read_csv(path2), "after")).moe > 0.03


def test_costs_and_caps_per_cell(demo: sessionmaker[Session], demo_url: str, tmp_path: Path):
    costs = tmp_path / "costs.csv"
    costs.write_text("variable,category,cost,max\nsex:education,F:low,3,\nsex:education,M:low,,5\n")
    path = tmp_path / "plan.csv"
    run("plan", SLUG, "--budget", "100", "--cells", "sex:education", "--costs", str(costs), "--out", str(path),
        demo_url=demo_url)  # fmt: skip
    frame = pd.read_csv(path).set_index("category")
    assert frame.loc["M:low", "planned"] <= 5
    output = run("plan", SLUG, "--budget", "100", "--cells", "sex:education", "--costs", str(costs),
                 demo_url=demo_url)  # fmt: skip
    cost, unit_cost = (float(x) for x in re.findall(r"cost(?:s)? (?:of this plan: )?([0-9.]+)", output)[:2])
    assert cost <= unit_cost


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cells", "sex"], "exactly one of --budget"),
        (["--cells", "sex", "--budget", "5", "--moe", "0.03"], "exactly one of --budget"),
        (["--cells", "sex:shoe_size", "--budget", "5"], "'shoe_size' is not a question"),
        (["--cells", "sex:sex", "--budget", "5"], "named more than once"),
        (["--cells", "sex", "--budget", "-1"], "--budget must be between"),
        (["--cells", "sex", "--moe", "3"], "--moe must be a proportion"),
        (["--cells", "years_in_brussels", "--budget", "5"], "no targets for 'years_in_brussels'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(demo: sessionmaker[Session], demo_url: str, args, message):
    output = run("plan", SLUG, *args, demo_url=demo_url, code=2)
    assert message in output
    assert "Traceback" not in output


def test_bad_costs_line_and_unknown_consultation(demo: sessionmaker[Session], demo_url: str, tmp_path: Path):
    costs = tmp_path / "costs.csv"
    costs.write_text("variable,category,cost\nsex,F,2\n")
    output = run("plan", SLUG, "--budget", "5", "--cells", "sex:education", "--costs", str(costs),
                 demo_url=demo_url, code=2)  # fmt: skip
    assert "--costs line 2: sex=F is not one of the planned sex:education cells" in output
    costs.write_text("variable,category,cost\nsex:education,F:low,free\n")
    output = run("plan", SLUG, "--budget", "5", "--cells", "sex:education", "--costs", str(costs),
                 demo_url=demo_url, code=2)  # fmt: skip
    assert "--costs line 2: cost of sex:education=F:low must be a number > 0" in output
    assert "no consultation" in run("plan", "nowhere", "--budget", "5", "--cells", "sex", demo_url=demo_url,
                                    code=2).lower()  # fmt: skip


def test_apply_replaces_the_field_quotas_and_is_audited(demo: sessionmaker[Session], demo_url: str):
    run(
        "plan",
        SLUG,
        "--budget",
        "148",
        "--cells",
        "sex:age_group,education",
        "--apply",
        demo_url=demo_url,
    )
    with demo() as session:
        quotas = session.scalars(select(FieldQuota)).all()
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_quotas")).all()
    got = {(q.variable, q.category): q.target for q in quotas}
    assert {v for v, _ in got} == {"sex:age_group", "education"}
    sums = {v: sum(t for (w, _), t in got.items() if w == v) for v in ("sex:age_group", "education")}
    assert sums["sex:age_group"] == sums["education"] == 1151 + 148
    assert audit and audit[-1].actor == "cli:plan"
    assert np.all(np.array(list(got.values())) >= 0)


def test_simulate_reports_bias_and_rmse_per_scenario(demo: sessionmaker[Session], demo_url: str):
    output = run("plan", SLUG, "--budget", "148", "--cells", "sex:age_group", "--simulate", "30",
                 demo_url=demo_url)  # fmt: skip
    assert "30 simulated samples" in output
    for scenario in ("this plan", "proportional", "no more field work"):
        assert scenario in output
    assert "must be" not in output
    bad = run("plan", SLUG, "--budget", "148", "--cells", "sex", "--simulate", "-1", demo_url=demo_url,
              code=2)  # fmt: skip
    assert "--simulate" in bad


def quotas(demo: sessionmaker[Session]) -> dict[tuple[str, str], int]:
    with demo() as session:
        return {(q.variable, q.category): q.target for q in session.scalars(select(FieldQuota))}


def test_adaptive_round_applies_the_plan_and_says_so(demo: sessionmaker[Session], demo_url: str):
    output = run("plan", SLUG, "--budget", "20", "--cells", "sex:age_group", "--adaptive", "--rounds", "1",
                 "--every", "0", demo_url=demo_url)  # fmt: skip
    assert "round 1: 0 field interviews since the start, 20 left" in output
    assert sum(quotas(demo).values()) == 1151 + 20


def test_adaptive_rounds_spend_the_budget_as_field_interviews_arrive(demo: sessionmaker[Session]):
    register(typer.Typer())  # the command as the CLI loads it: --adaptive writes the field quotas
    specs = [("sex", "age_group")]
    first = adaptive_round(demo, SLUG, specs, None, 12, None)
    assert first.remaining == 12
    assert sum(r.planned for r in first.rows) == 12
    # Five more field interviews arrive (here: five stored online responses become field ones).
    with transaction(demo) as session:
        ids = session.scalars(select(Response.id).where(Response.mode == "online").limit(5)).all()
        for response in session.scalars(select(Response).where(Response.id.in_(ids))):
            response.mode = "field"
    second = adaptive_round(demo, SLUG, specs, None, 12, first.field)
    assert second.field == first.field + 5
    assert second.remaining == 7
    assert sum(quotas(demo).values()) == 1151 + 7
    assert {(r.variable, r.category): r.after for r in second.rows} == quotas(demo)
    spent = adaptive_round(demo, SLUG, specs, None, 4, first.field)
    assert spent.remaining == 0
    assert sum(quotas(demo).values()) == 1151  # nothing left to plan: every target is what is stored
    with demo() as session:
        actors = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "set_quotas")).all()
    assert actors.count("cli:plan --adaptive") >= 3


def test_adaptive_needs_a_budget(demo: sessionmaker[Session], demo_url: str):
    output = run("plan", SLUG, "--moe", "0.03", "--cells", "sex", "--adaptive", demo_url=demo_url, code=2)
    assert "--adaptive plans a --budget" in output
