"""Time the field planner at scale: 10,000 interviews over 2,000 crossed cells from 1M responses.

Prints a table; never a test (timings on a shared machine are not pass/fail). The responses are a
biased synthetic sample in a pandas frame, as `survey plan` gets them from the store's frame
loader (whose own time at scale `bench/report.py` measures). The cells cross four questions of
2, 10, 20 and 5 categories (2,000 cells); their population shares come from single margins, as
with the demo's targets.

    .venv/bin/python bench/plan.py                         # 1M responses, 10,000 interviews
    .venv/bin/python bench/plan.py --responses 100000 --budget 1000 --repeat 5

Goals (issue #17): the plan in under 1 s; the simulation with K = 200 on the demo in under 30 s.
Rows: counting the responses into cells, the greedy plan, the proportional plan it is compared
with, the smallest plan reaching a 0.15 % margin of error, and the whole of it; then the simulation
twice: on synthetic demo-sized cells, and on the demo itself (loaded into a temporary SQLite
database, not timed), exactly what `survey plan brussels-futures --budget 148 --cells
sex:age_group,education --simulate 200` and the monitor page run: the store's frame, the plan,
the proportional split, the answers per cell and the 200 samples of the three scenarios.
The two goal lines come last.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# bench/weighting.py would shadow the `weighting` package: import from the repository root instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from weighting import Targets  # noqa: E402
from weighting.field_plan import plan, plan_for_moe, proportional, simulate  # noqa: E402
from weighting.representativeness import Cells, cells_from_data, r_indicator, weight_effect  # noqa: E402

SIZES = {"sex": 2, "age": 10, "region": 20, "edu": 5}


def population(seed: int) -> dict[str, dict[str, float]]:
    """Uneven single margins: Dirichlet shares per question."""
    rng = np.random.default_rng(seed)
    return {q: dict(zip([f"{q}{i}" for i in range(k)], rng.dirichlet(np.full(k, 3.0)), strict=True))
            for q, k in SIZES.items()}  # fmt: skip


def sample(margins: dict[str, dict[str, float]], n: int, seed: int) -> pd.DataFrame:
    """A sample whose response propensity falls with the category index (the young, educated answer)."""
    rng = np.random.default_rng(seed + 1)
    columns = {}
    for q, shares in margins.items():
        cats = list(shares)
        tilt = np.exp(-np.linspace(0, 1.5, len(cats)))
        p = np.array([shares[c] for c in cats]) * tilt
        columns[q] = rng.choice(np.array(cats, dtype=object), n, p=p / p.sum())  # strings, as the store gives
    return pd.DataFrame(columns)


def demo_simulation(draws: int, seed: int) -> object:
    """`survey plan --simulate` at the demo's size: 36 cells, 1,003 online + 148 field, 10 questions."""
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.full(36, 4.0))
    online = rng.multinomial(1003, rng.dirichlet(np.full(36, 2.0))).astype(float)
    stored = online + rng.multinomial(148, shares)
    cells = Cells(("cell",), tuple((str(i),) for i in range(36)), shares, stored)
    outcomes = {f"q{k}": rng.dirichlet(np.ones(5), size=36) for k in range(10)}
    optimal, usual = plan(cells, 148), proportional(cells, 148)
    plans = {"plan": optimal.planned, "proportional": usual.planned, "none": 0 * optimal.planned}
    return simulate(cells, online, outcomes, plans, draws=draws, seed=seed)


def real_demo_simulation(draws: int) -> tuple[float, str]:
    """The demo loaded into a temporary SQLite database, then the timed plan and simulation on it."""
    from survey.analyst.representativeness import parse_specs, plan_view  # noqa: PLC0415 - only this row needs the store
    from survey.analyst.services import load_context  # noqa: PLC0415
    from survey.demo.load import SLUG, load_demo  # noqa: PLC0415
    from survey.store import migrate  # noqa: PLC0415
    from survey.store.db import make_engine, session_factory  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.sqlite3"
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            factory = session_factory(engine)
            load_demo(factory, password="bench-password-123")
            start = time.perf_counter()
            with factory() as session:
                view = plan_view(
                    load_context(session, SLUG), parse_specs("sex:age_group,education"), 148, draws
                )
            seconds = time.perf_counter() - start
        finally:
            engine.dispose()
    rmse = {s.scenario: s.rmse for s in view.simulation}
    return seconds, (f"{len(view.plan.cells.categories)} cells, {int(view.plan.cells.responses.sum()):,} responses, "
                     f"RMSE plan {100 * rmse['plan']:.2f} / proportional {100 * rmse['proportional']:.2f} / "
                     f"none {100 * rmse['none']:.2f} points")  # fmt: skip


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=1_000_000, help="stored responses (rows)")
    parser.add_argument("--budget", type=int, default=10_000, help="field interviews to plan")
    parser.add_argument("--moe", type=float, default=0.0015, help="margin of error for the --moe row")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the best is shown")
    parser.add_argument("--seed", type=int, default=17, help="random seed of the synthetic data")
    parser.add_argument("--draws", type=int, default=200, help="simulated samples of the demo rows")
    parser.add_argument("--no-demo", action="store_true", help="skip loading the demo (its row and goal)")
    args = parser.parse_args()

    margins = population(args.seed)
    targets = Targets.from_dict(margins)
    data = sample(margins, args.responses, args.seed)
    names = list(SIZES)
    rows: list[tuple[str, float, str]] = []

    t, cells = best_of(args.repeat, lambda: cells_from_data(data, targets, names))
    rows.append(
        (
            "count responses into cells",
            t,
            f"{len(cells.categories):,} cells, {int(cells.responses.sum()):,} rows",
        )
    )
    t, result = best_of(args.repeat, lambda: plan(cells, args.budget))
    rows.append(("greedy plan", t, f"{int(result.planned.sum()):,} interviews, deff {result.before.deff:.3f} -> "
                                   f"{result.after.deff:.3f}"))  # fmt: skip
    t, usual = best_of(args.repeat, lambda: proportional(cells, args.budget))
    rows.append(("proportional plan", t, f"deff -> {usual.after.deff:.3f}"))
    t, smallest = best_of(args.repeat, lambda: plan_for_moe(cells, args.moe))
    rows.append((f"smallest plan for MOE {args.moe:g}", t, f"{int(smallest.planned.sum()):,} interviews"))
    t, _ = best_of(args.repeat, lambda: (r_indicator(cells), weight_effect(cells)))
    rows.append(("R-indicator and weight effect", t, ""))
    t, _ = best_of(1, lambda: demo_simulation(args.draws, args.seed))
    rows.append(
        (f"simulate {args.draws} demo-sized samples", t, "36 cells, 1,151 responses, 10 questions, 3 plans")
    )
    total = sum(r[1] for r in rows[:3])
    rows.append(("count + plan + proportional", total, "goal: < 1 s"))
    if not args.no_demo:
        seconds, note = real_demo_simulation(args.draws)
        rows.append((f"simulate {args.draws} samples on the demo", seconds, note))
    goals = [(f"GOAL plan {args.budget:,} interviews / {len(cells.categories):,} cells / "
              f"{args.responses:,} responses < 1 s", total, 1.0)]  # fmt: skip
    if not args.no_demo:
        goals.append((f"GOAL simulation K={args.draws} on the demo < 30 s", rows[-1][1], 30.0))

    print(f"{args.responses:,} responses, {len(cells.categories):,} cells, budget {args.budget:,}, "
          f"best of {args.repeat}")  # fmt: skip
    width = max(len(r[0]) for r in rows)
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds * 1000:9.1f} ms  {note}")
    for name, seconds, limit in goals:
        print(f"{name}: {seconds:.2f} s, {'met' if seconds < limit else 'NOT met'}")


if __name__ == "__main__":
    main()
