"""``survey plan`` on the demo consultation: the plan file, the comparison, --moe, --costs, --apply."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli.main import app
from survey.store.models import AuditEntry, FieldAdaptivePlan, FieldQuota, Response
from tests.plan.conftest import SLUG, login
from weighting.field_plan import proportional
from weighting.representativeness import Cells, weight_effect

runner = CliRunner()


def run(*args: str, demo_url: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--database-url", demo_url])
    assert result.exit_code == code, result.output
    return result.output


def said(*args: str, demo_url: str, code: int = 0) -> str:
    """The output with the terminal's line wrapping undone."""
    return " ".join(run(*args, demo_url=demo_url, code=code).split())


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
        (["--budget", "5"], "--cells is required"),
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


def test_adaptive_switches_the_servers_adaptive_quotas_on_and_off(demo: sessionmaker[Session], demo_url: str):
    output = said("plan", SLUG, "--budget", "20", "--cells", "sex:age_group", "--adaptive", demo_url=demo_url)
    assert "adaptive quotas of brussels-futures on: 20 of 20 field interviews left" in output
    assert sum(quotas(demo).values()) == 1151 + 20  # planned at once: stored plus planned per cell
    with demo() as session:
        row = session.get(FieldAdaptivePlan, session.scalar(select(Response.consultation_id).limit(1)))
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "cli:plan")).all()
    assert row is not None and row.enabled and row.budget == 20 and row.cells == "sex:age_group"
    assert "adaptive_quotas_on" in actions
    output = said("plan", SLUG, "--adaptive-off", demo_url=demo_url)
    assert "switched off; the quotas stay as last planned" in output
    assert sum(quotas(demo).values()) == 1151 + 20
    assert "were not on" in said("plan", SLUG, "--cells", "sex", "--adaptive-off", demo_url=demo_url)
    bad = run(
        "plan", SLUG, "--budget", "20", "--cells", "sex:shoe_size", "--adaptive", demo_url=demo_url, code=2
    )
    assert "'shoe_size' is not a question" in bad and "Traceback" not in bad


def test_adaptive_needs_a_budget(demo: sessionmaker[Session], demo_url: str):
    output = run("plan", SLUG, "--moe", "0.03", "--cells", "sex", "--adaptive", demo_url=demo_url, code=2)
    assert "--adaptive plans a --budget" in output


def test_out_neutralises_formula_like_cells_unless_raw(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path
):
    targets = tmp_path / "targets.csv"
    targets.write_text("variable,category,share\nsex,F,0.5\nsex,M,0.4\nsex,=1+2,0.1\n")
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    for path, extra in ((safe, []), (raw, ["--raw"])):
        run("plan", SLUG, "--budget", "10", "--cells", "sex", "--targets", str(targets), "--out", str(path),
            *extra, demo_url=demo_url)  # fmt: skip
    safe_categories = pd.read_csv(safe, dtype=str)["category"].tolist()
    raw_categories = pd.read_csv(raw, dtype=str)["category"].tolist()
    assert "'=1+2" in safe_categories and "=1+2" not in safe_categories
    assert "=1+2" in raw_categories
    assert {"F", "M"} <= set(safe_categories)


def test_monitor_command_prints_the_json_apis_figures_and_tables(
    client, demo: sessionmaker[Session], demo_url: str
):
    document = json.loads(run("monitor", SLUG, "--cells", "sex:education", "--json", demo_url=demo_url))
    assert login(client) == 303
    api = client.get(f"/analyst/api/{SLUG}/representativeness", params={"cells": "sex:education"}).json()
    assert document == api
    assert document["r_indicator"]["cv"] > 0 and {p["variable"] for p in document["partial"]} == {
        "sex",
        "education",
    }
    text = said("monitor", SLUG, "--cells", "sex:education", demo_url=demo_url)
    for part in ("R-indicator", "CV of response propensities", "Partial indicators", "Coverage", "By day"):
        assert part in text
    bad = said("monitor", SLUG, "--cells", "sex:sex", demo_url=demo_url, code=2)
    assert "named more than once" in bad and "Traceback" not in bad
    assert "no consultation" in said("monitor", "nowhere", demo_url=demo_url, code=2).lower()
