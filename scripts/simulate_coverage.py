"""Monte Carlo check that raked estimates of a biased mixed-mode survey are honest.

Why: golden values prove we compute what R computes; they do not prove that what we publish
is right for *our* kind of sample. This simulation builds a synthetic adult population,
draws many samples the way the platform collects them (a large online sample that
over-represents the young and highly educated, plus a field sample of ~15% with the
opposite bias), and measures, for unweighted and raked estimates, the bias and how often
the 95% confidence interval covers the true population value. Raking to population
margins should bring coverage back near 95%; the unweighted interval should miss badly.

Run `python scripts/simulate_coverage.py --help`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python scripts/simulate_coverage.py` from a checkout
    sys.path.insert(0, str(ROOT))

import weighting as wt  # noqa: E402  (needs ROOT on the path first)

SEX = ("F", "M")
AGE = ("18-24", "25-34", "35-49", "50-64", "65+")
EDUCATION = ("low", "mid", "high")
MUNICIPALITIES = tuple(f"M{i:02d}" for i in range(1, 20))  # the 19 communes of Brussels
Z975 = 1.959963984540054


@dataclass(frozen=True)
class Population:
    """Synthetic population: category codes per person and two outcomes with known truth."""

    sex: np.ndarray
    age: np.ndarray
    education: np.ndarray
    municipality: np.ndarray
    score: np.ndarray
    support: np.ndarray

    @property
    def size(self) -> int:
        """Number of adults."""
        return int(self.sex.size)

    def truth(self) -> dict[str, float]:
        """The population values the estimates should hit."""
        return {"score": float(self.score.mean()), "support": float(self.support.mean())}

    def target_shares(self) -> pd.DataFrame:
        """Population margins in the CLI's `variable,category,share` layout (known from a census)."""
        rows = []
        for name, codes, labels in self._margins():
            shares = np.bincount(codes, minlength=len(labels)) / self.size
            rows += [(name, lab, float(s)) for lab, s in zip(labels, shares, strict=True)]
        return pd.DataFrame(rows, columns=["variable", "category", "share"])

    def _margins(self) -> list[tuple[str, np.ndarray, tuple[str, ...]]]:
        return [
            ("sex", self.sex, SEX),
            ("age_group", self.age, AGE),
            ("education", self.education, EDUCATION),
            ("municipality", self.municipality, MUNICIPALITIES),
        ]


def make_population(size: int, rng: np.random.Generator) -> Population:
    """Adults whose outcomes depend on age and education (so a biased sample is biased in y)."""
    sex = rng.choice(2, size=size, p=[0.515, 0.485])
    age = rng.choice(5, size=size, p=[0.11, 0.19, 0.28, 0.23, 0.19])
    # Education depends on age: older cohorts have less higher education.
    p_high = np.array([0.30, 0.45, 0.40, 0.30, 0.20])[age]
    p_low = np.array([0.20, 0.15, 0.22, 0.30, 0.42])[age]
    u = rng.random(size)
    education = np.where(u < p_low, 0, np.where(u < p_low + p_high, 2, 1))
    municipality = rng.choice(19, size=size, p=rng.dirichlet(np.full(19, 8.0)))
    high = (education == 2).astype(float)
    low = (education == 0).astype(float)
    score = 4.0 + 0.6 * age - 1.0 * high + 0.5 * low + 0.3 * sex + rng.normal(0, 1.6, size)
    p_support = 1 / (1 + np.exp(-(-1.4 + 0.45 * age - 0.7 * high + 0.2 * low)))
    support = (rng.random(size) < p_support).astype(float)
    return Population(sex, age, education, municipality, score, support)


def draw_sample(
    pop: Population, n_online: int, n_field: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of one mixed-mode sample and its mode (1 = online, 0 = field).

    Selection propensities are log-linear in age and education (online favours the young and
    the highly educated, field the opposite); the two samples do not overlap. Sampling is
    without replacement with probability proportional to propensity (Efraimidis–Spirakis keys).
    """
    young = (2 - pop.age).astype(float)  # 2 for 18-24 ... -2 for 65+
    high = pop.education - 1.0  # -1 low, 0 mid, 1 high
    online_p = np.exp(0.45 * young + 0.7 * high)
    field_p = np.exp(-0.35 * young - 0.5 * high)
    keys = rng.exponential(size=pop.size) / online_p
    online = np.argpartition(keys, n_online)[:n_online]
    keys_f = rng.exponential(size=pop.size) / field_p
    keys_f[online] = np.inf
    fieldwork = np.argpartition(keys_f, n_field)[:n_field]
    idx = np.concatenate([online, fieldwork])
    mode = np.concatenate([np.ones(n_online), np.zeros(n_field)])
    return idx, mode


def sample_frame(pop: Population, idx: np.ndarray, mode: np.ndarray) -> pd.DataFrame:
    """The respondents as the platform stores them (text categories)."""
    return pd.DataFrame(
        {
            "mode": np.where(mode == 1, "online", "field"),
            "sex": np.asarray(SEX)[pop.sex[idx]],
            "age_group": np.asarray(AGE)[pop.age[idx]],
            "education": np.asarray(EDUCATION)[pop.education[idx]],
            "municipality": np.asarray(MUNICIPALITIES)[pop.municipality[idx]],
            "score": pop.score[idx],
            "support": pop.support[idx],
        }
    )


@dataclass
class Tally:
    """Running bias / coverage of one estimator of one outcome."""

    errors: list[float] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    ses: list[float] = field(default_factory=list)

    def add(self, estimate: float, se: float, truth: float) -> None:
        """Record one replication."""
        self.errors.append(estimate - truth)
        self.ses.append(se)
        self.covered.append(abs(estimate - truth) <= Z975 * se)

    def summary(self) -> dict[str, float]:
        """Bias, RMSE, empirical SD, mean SE and coverage of the 95% interval."""
        e = np.asarray(self.errors)
        return {
            "bias": float(e.mean()),
            "abs_bias": float(abs(e.mean())),
            "rmse": float(np.sqrt(np.mean(e**2))),
            "empirical_sd": float(e.std(ddof=1)) if e.size > 1 else float("nan"),
            "mean_se": float(np.mean(self.ses)),
            "coverage": float(np.mean(self.covered)),
        }


@dataclass(frozen=True)
class Config:
    """Simulation settings (the CLI flags)."""

    population: int = 200_000
    replications: int = 1000
    online: int = 1003
    field: int = 148
    seed: int = 20221115
    tol: float = 1e-8


def weighted_estimates(
    frame: pd.DataFrame, targets: Any, population: int, tol: float
) -> dict[str, tuple[float, float]]:
    """Rake with the platform and return (estimate, calibration-aware SE) per outcome."""
    design = wt.Design.from_frame(frame)
    raked = wt.rake(design, targets, population=float(population), tol=tol, max_iter=1000)
    table = wt.estimate(raked, ["score", "support"])
    return {row.variable: (row.estimate, row.se) for row in table.rows}


def unweighted_estimates(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Sample means with the simple-random-sampling SE (what an unweighted report shows)."""
    out = {}
    for var in ("score", "support"):
        y = frame[var].to_numpy(dtype=float)
        out[var] = (float(y.mean()), float(y.std(ddof=1) / np.sqrt(y.size)))
    return out


def simulate(config: Config, *, progress: bool = False) -> dict[str, Any]:
    """Run the replications; returns settings, truth and a summary per (estimator, outcome)."""
    rng = np.random.default_rng(config.seed)
    pop = make_population(config.population, rng)
    truth = pop.truth()
    targets = wt.Targets.from_frame(pop.target_shares())
    tallies = {(kind, var): Tally() for kind in ("unweighted", "raked") for var in truth}
    started = time.perf_counter()

    def one() -> None:
        idx, mode = draw_sample(pop, config.online, config.field, rng)
        frame = sample_frame(pop, idx, mode)
        for kind, est in (
            ("unweighted", unweighted_estimates(frame)),
            ("raked", weighted_estimates(frame, targets, config.population, config.tol)),
        ):
            for var, (value, se) in est.items():
                tallies[(kind, var)].add(value, se, truth[var])

    if progress:
        columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns) as bar:
            task = bar.add_task("replications", total=config.replications)
            for _ in range(config.replications):
                one()
                bar.advance(task)
    else:
        for _ in range(config.replications):
            one()
    return {
        "config": asdict(config),
        "truth": truth,
        "seconds": time.perf_counter() - started,
        "results": {f"{kind}/{var}": t.summary() for (kind, var), t in tallies.items()},
    }


def render(report: dict[str, Any]) -> None:
    """Print the summary table with rich."""
    cfg = report["config"]
    table = Table(
        title=(
            f"{cfg['replications']} samples of {cfg['online']} online + {cfg['field']} field "
            f"from {cfg['population']:,} adults"
        )
    )
    for col in ("estimator", "outcome", "truth", "bias", "RMSE", "emp. SD", "mean SE", "95% CI coverage"):
        table.add_column(col, justify="right" if col not in {"estimator", "outcome"} else "left")
    for key, s in report["results"].items():
        kind, var = key.split("/")
        table.add_row(
            kind,
            var,
            f"{report['truth'][var]:.4f}",
            f"{s['bias']:+.4f}",
            f"{s['rmse']:.4f}",
            f"{s['empirical_sd']:.4f}",
            f"{s['mean_se']:.4f}",
            f"{s['coverage']:.3f}",
        )
    Console().print(table)
    Console().print(f"{report['seconds']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=(
            "Bias and 95% CI coverage of unweighted vs raked estimates for biased online + field samples "
            "drawn from a synthetic population."
        )
    )
    d = Config()
    parser.add_argument("--population", type=int, default=d.population, help="population size (adults)")
    parser.add_argument("--replications", type=int, default=d.replications, help="number of samples drawn")
    parser.add_argument("--online", type=int, default=d.online, help="online respondents per sample")
    parser.add_argument("--field", type=int, default=d.field, help="field respondents per sample")
    parser.add_argument("--seed", type=int, default=d.seed, help="random seed")
    parser.add_argument("--tol", type=float, default=d.tol, help="raking tolerance on shares")
    parser.add_argument("--json", type=Path, help="also write the report as JSON")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    config = Config(args.population, args.replications, args.online, args.field, args.seed, args.tol)
    report = simulate(config, progress=not args.no_progress)
    render(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
