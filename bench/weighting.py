"""Benchmark of the weighting package against bare numpy floors and peer libraries.

Why: weighting runs inside a web request and in batch jobs on up to a million rows; the
figures here say how far we are from the fastest possible IPF loop (the floors) and from
what people would otherwise use (samplics, svy, weightipy, balance, R survey), and that we
get the same weights. It is a script that prints a table, never a timed test.

Each method runs in its own subprocess (so peak RSS is its own and a crash or a missing
peer only costs one row): the parent writes the data once to a cache folder, every worker
loads it, times the method (best of --repeat), and saves the weights for the comparison.
balance pins numpy<2, so it runs in a venv of its own that this script creates in the cache
folder on first use; R runs through Rscript when present.

Floors are bare numpy from int64 code arrays: IPF over rows and over observed cells (rake),
post-stratification on the m1 x m2 cells, and linear calibration solved once on the observed
cells. After the table, the issue's goals at 1M rows: ours / floor (<= 2x), the 20 SEs (< 5 s),
and each of our methods' peak allocation in one run (tracemalloc) over its input frame (< 3x).

The CLI rows time the command an analyst runs, end to end (process start to exit, file read and
written): `survey weight` on a CSV (cli_csv) and on Parquet (cli_parquet), beside R doing the same
job in one Rscript (r_cli: read.csv + svydesign + rake + write.csv), each in its own process with
its own peak RSS (wait4) and CPU time (user + system over all threads: on cores shared with other
work the wall time grows, the CPU time much less). Goals at 1M rows: CSV under 1 s, Parquet under
0.5 s; at 10M rows the CLI's peak RSS under 2 GB (`--sizes 10000000 --cli-only`; R is left out above
`--r-max-rows`). Before them, the start-up rows: `survey --help` and `survey weight --help`, goal
under 0.3 s each, and the floors of any such command, Python importing what it cannot do without:
polars and numpy (floor_imports), and with typer and rich, the command line's own (floor_stack).
`--baseline DIR` (a copy of another revision's `survey` and `weighting`, e.g. `git archive main survey
weighting | tar -x -C DIR`) adds its `survey weight` rows, run alternately with ours (A/B on a busy
machine: each pair of runs meets the same load). The CLI rows report the best wall time and the least
CPU time of --repeat runs, and the median of each. `--realtime` runs them under `chrt -f 50`, so that on
a machine other work keeps busy their wall time is close to an idle machine's.

    .venv/bin/python bench/weighting.py --sizes 10000,100000 [--skip-peers] [--skip-cli | --cli-only]
"""

# ruff: noqa: PLC0415
# (imports inside functions on purpose: each worker process loads only the library it times,
# and a missing optional peer costs one table row instead of the whole run)

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PEERS = Path(__file__).resolve().parent / "_peers"
# This file is bench/weighting.py: keep its own folder off the path so `import weighting`
# finds the package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

CATEGORIES = (2, 6, 19, 3, 3)  # sex, age group, municipality, education, mode-of-life
NAMES = ("m1", "m2", "m3", "m4", "m5")
POPULATION = 1_000_000.0
BOUNDS = (0.3, 3.0)
N_SE_VARIABLES = 20
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "civic-consult-bench"
WORKER_TIMEOUT = 1800

OURS = ("ours_rake", "ours_rake_codes", "ours_poststratify", "ours_linear", "ours_logit")
FLOORS = ("floor_ipf_rows", "floor_ipf_cells", "floor_poststratify", "floor_linear")
# Our method each floor is the bare-numpy version of (goal: ours within 2x the floor).
FLOOR_OF = {
    "floor_ipf_rows": "ours_rake",
    "floor_ipf_cells": "ours_rake",
    "floor_poststratify": "ours_poststratify",
    "floor_linear": "ours_linear",
}
GOAL_FLOORS = ("floor_ipf_cells", "floor_poststratify", "floor_linear")
# Size of the frame each of our methods receives (MB), set by its preparer: the memory goal
# is a multiple of it.
INPUT_MB: dict[str, float] = {}
GOAL_ROWS = 1_000_000  # the size the issue states its goals for
PEER_NAMES = ("samplics", "svy", "weightipy", "balance", "r_survey")
FLOOR_COMMANDS = {
    "floor_imports": "import polars, numpy",
    "floor_stack": "import typer, rich.console, polars, numpy",
}
CLI_ROWS = (
    "cli_csv",
    "cli_parquet",
    "base_cli_csv",
    "base_cli_parquet",
    "r_cli",
    "cli_help",
    "cli_weight_help",
    *FLOOR_COMMANDS,
)
CLI_GOAL_SECONDS = {"cli_csv": 1.0, "cli_parquet": 0.5}
HELP_GOAL_SECONDS = 0.3  # `survey --help` and `survey weight --help`, start to exit
HELP_COMMANDS = {"cli_help": ["--help"], "cli_weight_help": ["weight", "--help"]}
CLI_GOAL_RSS_MB = 2048.0
CLI_MEMORY_ROWS = 10_000_000
R_CLI = """
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1], stringsAsFactors = TRUE)
t <- read.csv(a[2], stringsAsFactors = FALSE)
N <- as.numeric(a[4])
ms <- unique(t$variable)
d$w0 <- N / nrow(d)
des <- svydesign(ids = ~1, weights = ~w0, data = d)
sm <- lapply(ms, function(m) as.formula(paste0("~", m)))
pm <- lapply(ms, function(m) {
  s <- t[t$variable == m, ]
  df <- data.frame(x = factor(s$category, levels = levels(d[[m]])), Freq = s$share * N)
  names(df)[1] <- m
  df
})
r <- rake(des, sm, pm, control = list(maxit = 1000, epsilon = as.numeric(a[5])))
d$weight <- weights(r)
d$w0 <- NULL
write.csv(d, a[3], row.names = FALSE)
"""


# ----------------------------------------------------------------------------- data
def make_data(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    """A biased sample: category codes per margin, and population shares that differ from it.

    The sample shares are the population shares tilted by up to a factor ~2.5, so weighting
    has real work to do but stays within the logit bounds.
    """
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for name, k in zip(NAMES, CATEGORIES, strict=True):
        pop = rng.dirichlet(np.full(k, 6.0))
        tilt = np.exp(np.linspace(-0.45, 0.45, k))
        sample = pop * tilt / (pop * tilt).sum()
        out[f"{name}_codes"] = rng.choice(k, size=n, p=sample).astype(np.int16)
        out[f"{name}_share"] = pop
    # Outcomes for the SE timing: correlated with the margins.
    base = sum(out[f"{m}_codes"].astype(float) * (j + 1) * 0.1 for j, m in enumerate(NAMES))
    out["y"] = (base[:, None] + rng.normal(size=(n, N_SE_VARIABLES))).astype(np.float64)
    return out


def data_path(cache: Path, n: int) -> Path:
    """Cached data file of size n (npz loads in numpy 1 and 2 alike)."""
    return cache / "data" / f"n{n}.npz"


def ensure_data(cache: Path, n: int) -> Path:
    """Write the data of size n once."""
    path = data_path(cache, n)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **make_data(n))
    return path


def load(path: Path) -> dict[str, np.ndarray]:
    """Load a cached dataset."""
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def labels(k: int) -> list[str]:
    """Category labels of a margin with k categories."""
    return [f"c{i:02d}" for i in range(k)]


def totals_of(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Population counts per margin."""
    return {m: data[f"{m}_share"] * POPULATION for m in NAMES}


# ----------------------------------------------------------------------------- ours
def _frame(data: dict[str, np.ndarray]) -> Any:
    import pandas as pd

    cols = {}
    for m, k in zip(NAMES, CATEGORIES, strict=True):
        cols[m] = pd.Categorical.from_codes(data[f"{m}_codes"].astype(np.int64), categories=labels(k))
    return pd.DataFrame(cols)


def _codes_frame(data: dict[str, np.ndarray]) -> Any:
    """The peers' input: int64 category codes (what the floors start from too)."""
    import pandas as pd

    return pd.DataFrame({m: data[f"{m}_codes"].astype(np.int64) for m in NAMES})


def _targets(data: dict[str, np.ndarray], crossed: bool = False, codes: bool = False) -> Any:
    import weighting as wt

    if codes:  # integer code columns: labels are the codes as text
        return wt.Targets.from_dict(
            {m: {str(i): float(s) for i, s in enumerate(data[f"{m}_share"])} for m in NAMES}
        )

    if crossed:  # m1 x m2 cells, shares = product of the margins (12 cells)
        s1, s2 = data["m1_share"], data["m2_share"]
        cells = {
            f"{a}:{b}": float(s1[i] * s2[j])
            for i, a in enumerate(labels(CATEGORIES[0]))
            for j, b in enumerate(labels(CATEGORIES[1]))
        }
        return wt.Targets.from_dict({"m1:m2": cells})
    return wt.Targets.from_dict(
        {
            m: dict(zip(labels(k), map(float, data[f"{m}_share"]), strict=True))
            for m, k in zip(NAMES, CATEGORIES, strict=True)
        }
    )


def prepare_ours(data: dict[str, np.ndarray], method: str, tol: float) -> Callable[[], np.ndarray]:
    """A closure running one of our methods end to end (design from the frame, weighting)."""
    import weighting as wt

    codes = method == "ours_rake_codes"
    frame = _codes_frame(data) if codes else _frame(data)
    INPUT_MB["input"] = float(frame.memory_usage(deep=True).sum()) / 2**20
    crossed = method == "ours_poststratify"
    targets = _targets(data, crossed=crossed, codes=codes)

    def run() -> np.ndarray:
        design = wt.Design.from_frame(frame)
        if method in ("ours_rake", "ours_rake_codes"):
            out = wt.rake(design, targets, population=POPULATION, tol=tol, max_iter=1000)
        elif method == "ours_poststratify":
            out = wt.poststratify(design, targets, population=POPULATION)
        elif method == "ours_linear":
            out = wt.calibrate(design, targets, calfun="linear", population=POPULATION, tol=tol)
        else:
            out = wt.calibrate(design, targets, calfun="logit", bounds=BOUNDS, population=POPULATION, tol=tol)
        return np.asarray(out.weights)

    return run


def prepare_ours_se(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """Calibration-aware SEs of 20 means after raking (the estimate step only is timed)."""
    import pandas as pd

    import weighting as wt

    frame = _frame(data)
    ys = pd.DataFrame(data["y"], columns=[f"y{j:02d}" for j in range(N_SE_VARIABLES)])
    frame = pd.concat([frame, ys], axis=1)
    INPUT_MB["input"] = float(frame.memory_usage(deep=True).sum()) / 2**20
    raked = wt.rake(
        wt.Design.from_frame(frame), _targets(data), population=POPULATION, tol=tol, max_iter=1000
    )

    def run() -> np.ndarray:
        table = wt.estimate(raked, list(ys.columns))
        return np.array([r.se for r in table.rows])

    return run


# ----------------------------------------------------------------------------- floors
def prepare_floor_rows(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """Bare IPF over rows: one bincount and one gather per margin and sweep."""
    codes = [data[f"{m}_codes"].astype(np.intp) for m in NAMES]
    totals = list(totals_of(data).values())
    n = codes[0].size

    def run() -> np.ndarray:
        w = np.full(n, POPULATION / n)
        for _ in range(1000):
            for c, t in zip(codes, totals, strict=True):
                w *= (t / np.bincount(c, weights=w, minlength=t.size))[c]
            dev = max(
                np.max(np.abs(np.bincount(c, weights=w, minlength=t.size) - t))
                for c, t in zip(codes, totals, strict=True)
            )
            if dev / POPULATION < tol:
                break
        return w

    return run


def prepare_floor_cells(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """Bare IPF over the observed joint cells (encoding included in the time)."""
    codes = [data[f"{m}_codes"].astype(np.int64) for m in NAMES]
    totals = list(totals_of(data).values())
    n = codes[0].size

    def run() -> np.ndarray:
        combined = np.zeros(n, dtype=np.int64)
        for c, k in zip(codes, CATEGORIES, strict=True):
            combined = combined * k + c
        size = int(np.prod(CATEGORIES))
        counts = np.bincount(combined, minlength=size)
        present = np.flatnonzero(counts)
        lookup = np.full(size, -1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        cell = lookup[combined]
        cell_w = counts[present] * (POPULATION / n)
        digits, rest = [], present.copy()
        for k in reversed(CATEGORIES):
            digits.append(rest % k)
            rest //= k
        cell_cats = digits[::-1]
        factor = np.ones(present.size)
        for _ in range(1000):
            for cc, t in zip(cell_cats, totals, strict=True):
                factor *= (t / np.bincount(cc, weights=cell_w * factor, minlength=t.size))[cc]
            dev = max(
                np.max(np.abs(np.bincount(cc, weights=cell_w * factor, minlength=t.size) - t))
                for cc, t in zip(cell_cats, totals, strict=True)
            )
            if dev / POPULATION < tol:
                break
        return (POPULATION / n) * factor[cell]

    return run


def _observed_cells(
    codes: list[np.ndarray], sizes: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Row -> observed joint cell, rows per cell, and each margin's category per cell."""
    combined = np.zeros(codes[0].size, dtype=np.int64)
    for c, k in zip(codes, sizes, strict=True):
        combined = combined * k + c
    size = int(np.prod(sizes))
    counts = np.bincount(combined, minlength=size)
    present = np.flatnonzero(counts)
    lookup = np.full(size, -1, dtype=np.int64)
    lookup[present] = np.arange(present.size)
    digits, rest = [], present.copy()
    for k in reversed(sizes):
        digits.append(rest % k)
        rest //= k
    return lookup[combined], counts[present], digits[::-1]


def prepare_floor_poststratify(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """Bare post-stratification on the m1 x m2 cells (ours_poststratify's target): ratio per cell."""
    del tol
    c1, c2 = (data[f"{m}_codes"].astype(np.int64) for m in NAMES[:2])
    target = np.outer(data["m1_share"], data["m2_share"]).ravel() * POPULATION
    k = target.size

    def run() -> np.ndarray:
        cell = c1 * CATEGORIES[1] + c2
        return (target / np.bincount(cell, minlength=k))[cell]

    return run


def prepare_floor_linear(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """Bare linear (GREG) calibration to the 5 margins on the observed cells: one normal-equation solve."""
    del tol
    codes = [data[f"{m}_codes"].astype(np.int64) for m in NAMES]
    totals = list(totals_of(data).values())
    n = codes[0].size
    pop = np.concatenate([[POPULATION], *[t[1:] for t in totals]])

    def run() -> np.ndarray:
        cell, counts, cats = _observed_cells(codes, CATEGORIES)
        cell_w = counts * (POPULATION / n)
        x = np.column_stack(
            [np.ones(counts.size)]
            + [(c[:, None] == np.arange(1, k)).astype(float) for c, k in zip(cats, CATEGORIES, strict=True)]
        )
        lam = np.linalg.solve((x * cell_w[:, None]).T @ x, pop - x.T @ cell_w)
        return ((POPULATION / n) * (1 + x @ lam))[cell]

    return run


# ----------------------------------------------------------------------------- peers (in-process)
def prepare_samplics(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """samplics SampleWeight.rake (archived predecessor of svy)."""
    warnings.simplefilter("ignore")
    from samplics.weighting import SampleWeight

    n = data["m1_codes"].size
    margins = {m: data[f"{m}_codes"].astype(np.int64) for m in NAMES}
    control = {m: dict(enumerate(map(float, t))) for m, t in totals_of(data).items()}

    def run() -> np.ndarray:
        return np.asarray(
            SampleWeight().rake(
                samp_weight=np.full(n, POPULATION / n),
                margins=margins,
                control=control,
                tol=tol,
                max_iter=1000,
            )
        )

    return run


def prepare_svy(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """svy Sample.weighting.rake (Rust IPF kernel)."""
    warnings.simplefilter("ignore")
    import polars as pl
    import svy

    n = data["m1_codes"].size
    df = pl.DataFrame({m: data[f"{m}_codes"].astype(np.int64) for m in NAMES}).with_columns(
        pl.lit(POPULATION / n).alias("w0")
    )
    controls = {m: dict(enumerate(map(float, t))) for m, t in totals_of(data).items()}
    sample = svy.Sample(df, svy.Design(wgt="w0"))

    def run() -> np.ndarray:
        out = sample.weighting.rake(controls=controls, tol=tol, max_iter=1000)
        return out.data["rk_wgt"].to_numpy()

    return run


def prepare_weightipy(data: dict[str, np.ndarray], tol: float) -> Callable[[], np.ndarray]:
    """weightipy rim weighting (convergence: relative improvement < convcrit, not a margin gap)."""
    warnings.simplefilter("ignore")
    import pandas as pd
    import weightipy as wp

    df = pd.DataFrame({m: data[f"{m}_codes"].astype(np.int64) for m in NAMES})
    scheme_dict = {m: {i: float(s) * 100 for i, s in enumerate(data[f"{m}_share"])} for m in NAMES}

    def run() -> np.ndarray:
        scheme = wp.scheme_from_dict(scheme_dict, rim_params={"convcrit": tol, "max_iterations": 1000})
        out = wp.weight_dataframe(df, scheme, weight_column="w")
        return out["w"].to_numpy(dtype=float)

    return run


PREPARERS: dict[str, Callable[[dict[str, np.ndarray], float], Callable[[], np.ndarray]]] = {
    "floor_ipf_rows": prepare_floor_rows,
    "floor_ipf_cells": prepare_floor_cells,
    "floor_poststratify": prepare_floor_poststratify,
    "floor_linear": prepare_floor_linear,
    "samplics": prepare_samplics,
    "svy": prepare_svy,
    "weightipy": prepare_weightipy,
    "ours_se20": prepare_ours_se,
}


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (MB; Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(method: str, path: Path, out: Path, tol: float, repeat: int) -> dict[str, Any]:
    """Run one method in this process; save its weights to `out`; return timing and memory."""
    data = load(path)
    rss_data = peak_rss_mb()
    run = prepare_ours(data, method, tol) if method in OURS else PREPARERS[method](data, tol)
    rss_ready = peak_rss_mb()
    best = float("inf")
    result = np.empty(0)
    for _ in range(repeat):
        del result  # the previous run's output must not count towards this run's memory
        t0 = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t0)
    np.save(out, result)
    del result
    # One more, untimed run under tracemalloc (numpy reports its buffers to it): the peak of
    # what the run itself allocates, independent of the allocator's reuse of freed pages.
    tracemalloc.start()
    run()
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "seconds": best,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": rss_ready,
        "rss_data_mb": rss_data,
        "traced_peak_mb": traced,
        "input_mb": INPUT_MB.get("input"),
    }


# ----------------------------------------------------------------------------- out-of-process peers
def balance_python(cache: Path, log: Callable[[str], None]) -> Path | None:
    """The python of balance's own venv (created on first use); None when it cannot be installed."""
    venv = cache / "balance-venv"
    py = venv / "bin" / "python"
    if py.exists():
        ok = subprocess.run([py, "-c", "import balance"], capture_output=True, check=False, timeout=300)
        if ok.returncode == 0:
            return py
    base = getattr(sys, "_base_executable", sys.executable)
    log(f"creating {venv} for balance (pins numpy<2; first run only)")
    try:
        subprocess.run([base, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run(
            [py, "-m", "pip", "install", "-q", "balance"], check=True, capture_output=True, timeout=1800
        )
        subprocess.run([py, "-c", "import balance"], check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        log(f"balance unavailable: {exc}")
        return None
    return py


def r_survey_available() -> bool:
    """Rscript with the survey package."""
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(survey))"], capture_output=True, check=False, timeout=120
    )
    return probe.returncode == 0


def ensure_csv(cache: Path, n: int, data: dict[str, np.ndarray]) -> Path:
    """Codes and population shares as CSV for R."""
    path = cache / "data" / f"n{n}.csv"
    if not path.exists():
        codes = np.column_stack([data[f"{m}_codes"] for m in NAMES])
        np.savetxt(path, codes, fmt="%d", delimiter=",", header=",".join(NAMES), comments="")
        shares = cache / "data" / f"n{n}_shares.csv"
        with shares.open("w", encoding="utf-8") as fh:
            fh.write("margin,code,share\n")
            for m in NAMES:
                for i, s in enumerate(data[f"{m}_share"]):
                    fh.write(f"{m},{i},{float(s)!r}\n")
    return path


# ----------------------------------------------------------------------------- driver
def run_worker(args: list[str], timeout: int = WORKER_TIMEOUT) -> dict[str, Any]:
    """Run a worker subprocess and parse its last JSON line; errors become a row note."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:120]}
    return json.loads(lines[-1])


def max_rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Largest relative difference after scaling `a` to the total of `b` (peers normalise differently)."""
    if a.shape != b.shape:
        return float("nan")
    a = a * (b.sum() / a.sum())
    return float(np.max(np.abs(a - b) / np.abs(b)))


def ensure_cli_files(cache: Path, n: int, data: dict[str, np.ndarray]) -> tuple[Path, Path, Path]:
    """The data as an analyst's file (id, the 5 margins as labels, an outcome), in CSV and Parquet, and
    the targets CSV: what `survey weight` and R's read.csv get."""
    import polars as pl

    folder = cache / "cli"
    folder.mkdir(parents=True, exist_ok=True)
    csv, parquet, targets = folder / f"n{n}.csv", folder / f"n{n}.parquet", folder / "targets.csv"
    if not (csv.exists() and parquet.exists()):
        cols: dict[str, Any] = {"id": np.arange(n)}
        for m, k in zip(NAMES, CATEGORIES, strict=True):
            cols[m] = pl.Series(labels(k)).gather(data[f"{m}_codes"].astype(np.int64))
        frame = pl.DataFrame({**cols, "y": np.round(data["y"][:, 0], 4)})
        frame.write_csv(csv)
        frame.write_parquet(parquet)
    with targets.open("w", encoding="utf-8") as fh:
        fh.write("variable,category,share\n")
        for m, k in zip(NAMES, CATEGORIES, strict=True):
            for label, share in zip(labels(k), data[f"{m}_share"], strict=True):
                fh.write(f"{m},{label},{float(share)!r}\n")
    return csv, parquet, targets


# Runs one command and reports its wall time, CPU time and peak RSS. Why a launcher of its own: on
# Linux a child's ru_maxrss starts from the memory of the process that spawned it (vfork shares it
# until exec), so a child of this script, which holds the 10M-row data, would report this script's
# peak instead of its own; started from this small launcher, the child's figure is its own.
LAUNCHER = """
import json, os, subprocess, sys, tempfile, time
args = json.loads(sys.argv[1])
with tempfile.TemporaryFile() as err:
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err.seek(0)
    tail = err.read().decode(errors="replace").strip().splitlines()[-1:]
print(json.dumps({"seconds": seconds, "code": os.waitstatus_to_exitcode(status), "tail": tail,
                  "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def timed_process(args: list[str], repeat: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Best wall time of `repeat` runs of a command, its least CPU time (user + system, all threads:
    what the run costs whatever else shares the cores), the medians of both and the largest peak RSS
    (wait4)."""
    return timed_alternately({"run": (args, env)}, repeat)["run"]


Command = tuple[list[str], dict[str, str] | None]  # arguments, environment (None: this one's)
# Put before every timed command: `chrt -f 50` with --realtime (see its help).
RUN_PREFIX: list[str] = []


def timed_alternately(
    commands: dict[str, Command], repeat: int, cwd: Path | None = None
) -> dict[str, dict[str, Any]]:
    """`timed_process` for several commands run in turn, `repeat` rounds: on a shared machine each
    round's runs meet about the same load, so their figures compare where separate series would not.
    A command whose environment sets PYTHONPATH runs in that folder (`python -m` puts the working
    folder first on the path)."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    failed: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for name, (args, env) in commands.items():
            if name in failed:
                continue
            launched = subprocess.run(
                [sys.executable, "-S", "-c", LAUNCHER, json.dumps([*RUN_PREFIX, *args])],
                capture_output=True,
                text=True,
                check=False,
                timeout=WORKER_TIMEOUT,
                env=env,
                cwd=(env or {}).get("PYTHONPATH", cwd),
            )
            run = json.loads(launched.stdout)
            if run["code"] != 0:
                failed[name] = {"error": (run["tail"] or ["failed"])[-1][:120]}
            runs[name].append(run)
    out: dict[str, dict[str, Any]] = dict(failed)
    for name, done in runs.items():
        if name in failed:
            continue
        walls = sorted(r["seconds"] for r in done)
        cpus = sorted(r["cpu"] for r in done)
        out[name] = {
            "seconds": walls[0],
            "median_seconds": walls[len(walls) // 2],
            "cpu_seconds": cpus[0],
            "median_cpu_seconds": cpus[len(cpus) // 2],
            "peak_rss_mb": max(r["maxrss_kb"] for r in done) / 1024,
        }
    return out


def _weights_of(table: Path, out: Path) -> Path:
    """The weight column of a CLI output, saved as .npy for the comparison."""
    import polars as pl

    frame = pl.read_parquet(table) if table.suffix == ".parquet" else pl.read_csv(table, columns=["weight"])
    np.save(out, frame.get_column("weight").to_numpy())
    return out


def bench_cli(
    n: int, opts: argparse.Namespace, data: dict[str, np.ndarray], log: Callable[[str], None]
) -> list[dict[str, Any]]:
    """`survey weight` end to end on CSV and Parquet, and R doing the same job, at size n."""
    csv, parquet, targets = ensure_cli_files(opts.cache_dir, n, data)
    outdir = opts.cache_dir / "out"
    survey = [sys.executable, "-m", "survey", "weight"]
    common = ["--targets", str(targets.resolve()), "--method", "rake", "--population", repr(POPULATION)]
    common += ["--tol", repr(opts.tol), "--max-iter", "1000"]
    rows: list[dict[str, Any]] = []
    for method, source in (("cli_csv", csv), ("cli_parquet", parquet)):
        log(f"n={n:,} {method}{' and the baseline' if opts.baseline else ''} ...")
        dest = outdir.resolve() / f"{method}_n{n}{source.suffix}"
        commands: dict[str, Command] = {
            method: ([*survey, str(source.resolve()), *common, "--out", str(dest)], None)
        }
        if opts.baseline:  # the other revision first on the path: its `survey` and `weighting` load
            env = {**os.environ, "PYTHONPATH": str(opts.baseline.resolve())}
            base_dest = outdir.resolve() / f"base_{method}_n{n}{source.suffix}"
            base_args = [*survey, str(source.resolve()), *common, "--out", str(base_dest)]
            commands[f"base_{method}"] = (base_args, env)
        timed = timed_alternately(commands, opts.repeat)
        for name in commands:
            res, out = timed[name], Path(commands[name][0][-1])
            weights = _weights_of(out, outdir / f"{name}_n{n}.npy") if "error" not in res else None
            rows.append({"n": n, "method": name, **res, "weights": weights})
    if n > opts.r_max_rows:
        rows.append(
            {"n": n, "method": "r_cli", "error": f"skipped: more rows than --r-max-rows {opts.r_max_rows:,}"}
        )
    elif shutil.which("Rscript") is not None and r_survey_available():
        log(f"n={n:,} r_cli (read.csv + rake + write.csv) ...")
        dest = outdir / f"r_cli_n{n}.csv"
        args = ["Rscript", "-e", R_CLI, str(csv), str(targets), str(dest), repr(POPULATION), repr(opts.tol)]
        res = timed_process(args, 1 if n > 100_000 else opts.repeat)
        weights = _weights_of(dest, outdir / f"r_cli_n{n}.npy") if "error" not in res else None
        rows.append({"n": n, "method": "r_cli", **res, "weights": weights})
    else:
        rows.append({"n": n, "method": "r_cli", "error": "unavailable (no Rscript with survey)"})
    ref = rows[0].get("weights")
    for r in rows[1:]:  # against cli_csv; the full run compares with ours_rake instead
        if ref is not None and r.get("weights") is not None:
            r["max_rel_diff"] = max_rel_diff(np.load(r["weights"]), np.load(ref))
    return rows


def bench_help(opts: argparse.Namespace, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Start-up: `survey --help` and `survey weight --help`, process start to exit (best of 5 or more),
    and the floors: Python importing polars and numpy, then typer and rich too."""
    rows: list[dict[str, Any]] = []
    for method, args in HELP_COMMANDS.items():
        log(f"{method} ...")
        res = timed_process([sys.executable, "-m", "survey", *args], max(5, opts.repeat))
        rows.append({"n": 0, "method": method, **res})
    log("floors (python -c 'import ...') ...")
    floors = {name: ([sys.executable, "-c", code], None) for name, code in FLOOR_COMMANDS.items()}
    for name, res in timed_alternately(floors, max(5, opts.repeat)).items():
        rows.append({"n": 0, "method": name, **res})
    _warn_without_bytecode(log)
    return rows


def _warn_without_bytecode(log: Callable[[str], None]) -> None:
    """Say so when the libraries have no compiled bytecode: every start-up row then includes compiling
    them (uv installs without bytecode, and PYTHONDONTWRITEBYTECODE keeps Python from writing it)."""
    import polars

    if not any(Path(polars.__file__).parent.glob("__pycache__/*.pyc")):
        log(
            "note: polars has no compiled bytecode here, so each run compiles it: the start-up figures are "
            f"too high (`{sys.executable} -m compileall -q {Path(polars.__file__).parents[1]}` compiles it once)"
        )


def bench_size(n: int, opts: argparse.Namespace, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """All methods at size n; rows for the table."""
    cache: Path = opts.cache_dir
    path = ensure_data(cache, n)
    outdir = cache / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    me = [sys.executable, str(Path(__file__).resolve())]
    methods = [*OURS, *FLOORS]
    if not opts.skip_peers:
        methods += ["samplics", "svy", "weightipy"]
    rows: list[dict[str, Any]] = []
    if opts.cli_only:
        methods = []
    if not opts.skip_cli:
        rows += bench_cli(n, opts, load(path), log)
    for method in methods:
        repeat = opts.repeat if (method in OURS or method in FLOORS or n <= 100_000) else 1
        out = outdir / f"{method}_n{n}.npy"
        log(f"n={n:,} {method} ...")
        res = run_worker(
            [
                *me,
                "--worker",
                method,
                "--data",
                str(path),
                "--out",
                str(out),
                "--tol",
                str(opts.tol),
                "--repeat",
                str(repeat),
            ]
        )
        rows.append({"n": n, "method": method, **res, "weights": out if "error" not in res else None})
    if not opts.skip_peers and not opts.cli_only:
        py = balance_python(cache, log)
        out = outdir / f"balance_n{n}.npy"
        if py is None:
            rows.append({"n": n, "method": "balance", "error": "unavailable (install failed)"})
        else:
            log(f"n={n:,} balance ...")
            ours = outdir / f"ours_rake_n{n}.npy"
            res = run_worker([str(py), str(PEERS / "balance_rake.py"), str(path), str(ours), str(out)])
            rows.append({"n": n, "method": "balance", **res, "weights": out if "error" not in res else None})
        if r_survey_available() and not opts.cli_only:
            log(f"n={n:,} R survey::rake ...")
            csv = ensure_csv(cache, n, load(path))
            out = outdir / f"r_survey_n{n}.bin"
            res = run_worker(
                [
                    "Rscript",
                    str(PEERS / "rake.R"),
                    str(csv),
                    str(csv).replace(".csv", "_shares.csv"),
                    str(out),
                    repr(POPULATION),
                    repr(opts.tol),
                ]
            )
            rows.append({"n": n, "method": "r_survey", **res, "weights": out if "error" not in res else None})
        elif not opts.cli_only:
            rows.append({"n": n, "method": "r_survey", "error": "unavailable (no Rscript with survey)"})
    if opts.cli_only:
        _compare(rows)
        return rows
    log(f"n={n:,} ours: SEs of {N_SE_VARIABLES} means ...")
    res = run_worker(
        [
            *me,
            "--worker",
            "ours_se20",
            "--data",
            str(path),
            "--out",
            str(outdir / f"se20_n{n}.npy"),
            "--tol",
            str(opts.tol),
            "--repeat",
            "1",
        ]
    )
    rows.append({"n": n, "method": "ours_se20", **res, "weights": None})
    _compare(rows)
    return rows


def _load_weights(path: Path) -> np.ndarray:
    return np.fromfile(path, dtype="<f8") if path.suffix == ".bin" else np.load(path)


def _compare(rows: list[dict[str, Any]]) -> None:
    """Ratios to our same-kind method, and weight differences against it."""
    by_method = {r["method"]: r for r in rows}
    refs: dict[str, np.ndarray] = {}
    for name in ("ours_rake", "ours_poststratify", "ours_linear"):
        if by_method.get(name, {}).get("weights"):
            refs[name] = _load_weights(by_method[name]["weights"])
    for r in rows:
        if "error" in r:
            continue
        method = r["method"]
        kind = FLOOR_OF.get(method, method if method in OURS and method != "ours_rake_codes" else "ours_rake")
        base = by_method.get(kind, {}).get("seconds")
        r["ratio"] = r["seconds"] / base if base and method != "ours_se20" else None
        ref = refs.get(kind)
        if (
            r.get("weights")
            and ref is not None
            and method not in {"ours_poststratify", "ours_linear", "ours_logit"}
        ):
            r["max_rel_diff"] = max_rel_diff(_load_weights(r["weights"]), ref)


def render(rows: list[dict[str, Any]], opts: argparse.Namespace) -> None:
    """Print the table (plain text, so it pastes into a report), then the goals."""
    head = (
        f"{'n':>9}  {'method':<18} {'seconds':>9} {'x ours':>8} {'max rel diff':>13} {'peak RSS MB':>12} "
        f"{'+MB in run':>10} {'traced MB':>9} {'x frame':>8}  note"
    )
    print(
        f"\n5 margins ({', '.join(map(str, CATEGORIES))} categories), tol {opts.tol:g}; "
        "'x ours' = time / our same method (rake for floors and peers); weights compared to our same method"
    )
    print(
        "ours_rake: from pandas Categorical columns; ours_rake_codes: from the int64 code columns the "
        "peers get; floors: from int64 code arrays (building the cells included); traced MB: peak "
        "allocated by one run (tracemalloc); x frame: traced MB / the input frame's size"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        if "error" in r:
            print(
                f"{r['n']:>9,}  {r['method']:<18} {'—':>9} {'':>8} {'':>13} {'':>12} {'':>10}  {r['error']}"
            )
            continue
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") else ""
        diff = f"{r['max_rel_diff']:.1e}" if r.get("max_rel_diff") is not None else ""
        note = {
            "ours_se20": f"{N_SE_VARIABLES} calibration-aware SEs (estimate only)",
            "r_survey": "memory: R heap max used (gc), not RSS",
            "cli_csv": "survey weight, CSV in and out, process start to exit",
            "cli_parquet": "survey weight, Parquet in and out, process start to exit",
            "r_cli": "Rscript: read.csv + svydesign + rake + write.csv, start to exit",
            "cli_help": "survey --help, start to exit",
            "cli_weight_help": "survey weight --help, start to exit",
            "base_cli_csv": "cli_csv of --baseline, run alternately with ours",
            "base_cli_parquet": "cli_parquet of --baseline, run alternately with ours",
            **{name: f"python -c '{code}', start to exit" for name, code in FLOOR_COMMANDS.items()},
        }.get(r["method"], "")
        grow = r["peak_rss_mb"] - r["rss_before_mb"] if r.get("rss_before_mb") is not None else float("nan")
        if r["method"] in CLI_ROWS:
            if r.get("cpu_seconds") is not None:
                note = f"{note}; CPU {r['cpu_seconds']:.3f} s"
            if r.get("median_seconds") is not None:
                note = f"{note}; medians {r['median_seconds']:.3f} s, CPU {r['median_cpu_seconds']:.3f} s"
            print(
                f"{r['n']:>9,}  {r['method']:<18} {r['seconds']:>9.4f} {ratio:>8} {diff:>13} {r['peak_rss_mb']:>12.0f} {'':>10} {'':>9} {'':>8}  {note}"
            )
            continue
        traced = f"{r['traced_peak_mb']:.0f}" if r.get("traced_peak_mb") is not None else ""
        frame = f"{r['traced_peak_mb'] / r['input_mb']:.2f}" if r.get("input_mb") else ""
        cells = f"{r['n']:>9,}  {r['method']:<18} {r['seconds']:>9.4f} {ratio:>8} {diff:>13}"
        print(f"{cells} {r['peak_rss_mb']:>12.0f} {grow:>10.0f} {traced:>9} {frame:>8}  {note}")
    _render_goals(rows)


def _render_cli_goals(rows: list[dict[str, Any]]) -> None:
    """The command line's goals: 1M rows in under 1 s (CSV) / 0.5 s (Parquet); 10M rows under 2 GB."""
    for r in rows:
        if "error" not in r and r["method"] in HELP_COMMANDS:
            verdict = "ok" if r["seconds"] < HELP_GOAL_SECONDS else "MISSED"
            print(
                f"  {r['method']}: {r['seconds']:.3f} s (CPU {r['cpu_seconds']:.3f} s) "
                f"(goal < {HELP_GOAL_SECONDS:g} s) {verdict}"
            )
        if "error" in r or r["method"] not in CLI_GOAL_SECONDS:
            continue
        if r["n"] == GOAL_ROWS:
            goal = CLI_GOAL_SECONDS[r["method"]]
            verdict = "ok" if r["seconds"] < goal else "MISSED"
            print(
                f"  {r['method']} at n={r['n']:,}: {r['seconds']:.3f} s end to end, CPU {r['cpu_seconds']:.3f} s "
                f"(goal < {goal:g} s) {verdict}{_beside_floors(rows, r)}"
            )
        if r["n"] >= CLI_MEMORY_ROWS:
            verdict = "ok" if r["peak_rss_mb"] < CLI_GOAL_RSS_MB else "MISSED"
            print(
                f"  {r['method']} at n={r['n']:,}: peak RSS {r['peak_rss_mb']:.0f} MB "
                f"(goal < {CLI_GOAL_RSS_MB:.0f} MB) {verdict}"
            )


def _beside_floors(rows: list[dict[str, Any]], r: dict[str, Any]) -> str:
    """The run beside the floors and the baseline: how much of it is imports no command can avoid."""
    at = {x["method"]: x for x in rows if "error" not in x}
    parts = [
        f"{name} {at[name]['seconds']:.3f} s (CPU {at[name]['cpu_seconds']:.3f} s)"
        for name in (*FLOOR_COMMANDS, f"base_{r['method']}")
        if name in at and (at[name]["n"] in (0, r["n"]))
    ]
    return f"; beside {', '.join(parts)}" if parts else ""


def _render_goals(rows: list[dict[str, Any]]) -> None:
    """The issue's goals at 1M rows: ours / floor within 2x, SEs under 5 s, memory under 3x the frame."""
    if any(r["method"] in CLI_GOAL_SECONDS or r["method"] in HELP_COMMANDS for r in rows):
        print("\ncommand line goals (2 shared cores: other work on the machine slows these rows):")
        _render_cli_goals(rows)
    for n in dict.fromkeys(r["n"] for r in rows):
        if n < GOAL_ROWS:  # fixed per-call costs (labels, diagnostics) dominate small runs
            continue
        at = {r["method"]: r for r in rows if r["n"] == n and "error" not in r}
        print(f"\ngoals at n={n:,}:")
        for floor in GOAL_FLOORS:
            ours = FLOOR_OF[floor]
            if floor in at and ours in at:
                ratio = at[ours]["seconds"] / at[floor]["seconds"]
                verdict = "ok" if ratio <= 2 else "MISSED"
                print(
                    f"  {ours:<18} / {floor:<18} {at[ours]['seconds']:.4f} / {at[floor]['seconds']:.4f} s "
                    f"= {ratio:.2f}x  (goal <= 2x) {verdict}"
                )
        if "ours_se20" in at:
            sec = at["ours_se20"]["seconds"]
            print(
                f"  {N_SE_VARIABLES} calibration-aware SEs  {sec:.2f} s  (goal < 5 s) {'ok' if sec < 5 else 'MISSED'}"
            )
        for name in (*OURS, "ours_se20"):
            r = at.get(name, {})
            if r.get("input_mb") and r.get("traced_peak_mb") is not None:
                x = r["traced_peak_mb"] / r["input_mb"]
                print(
                    f"  memory {name:<18} {r['traced_peak_mb']:.0f} MB peak in run / {r['input_mb']:.0f} MB "
                    f"input frame = {x:.2f}x  (goal < 3x) {'ok' if x < 3 else 'MISSED'}"
                )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    p = argparse.ArgumentParser(
        description="Weighting benchmark: ours vs numpy floors vs peers (prints a table)."
    )
    p.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated row counts")
    p.add_argument("--skip-peers", action="store_true", help="only ours and the numpy floors")
    p.add_argument("--tol", type=float, default=1e-6, help="convergence tolerance (share gap)")
    p.add_argument("--repeat", type=int, default=3, help="best of this many runs (peers at >100k: 1)")
    p.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="data, outputs and balance's venv")
    p.add_argument("--json", type=Path, help="also write the rows as JSON")
    p.add_argument("--skip-cli", action="store_true", help="leave out the end-to-end `survey weight` rows")
    p.add_argument(
        "--cli-only", action="store_true", help="only the end-to-end rows (survey weight CSV/Parquet, R)"
    )
    p.add_argument(
        "--r-max-rows",
        type=int,
        default=1_000_000,
        help="R end to end only up to this many rows (read.csv on 10M rows takes many minutes)",
    )
    p.add_argument(
        "--baseline",
        type=Path,
        help="folder holding another revision's survey/ and weighting/: its survey weight rows run "
        "alternately with ours",
    )
    p.add_argument(
        "--realtime",
        action="store_true",
        help="run the timed commands under `chrt -f 50` (Linux, root): on a machine other work keeps "
        "busy, their wall time is then close to an idle machine's; the others wait meanwhile",
    )
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    if opts.worker:
        print(json.dumps(worker(opts.worker, opts.data, opts.out, opts.tol, opts.repeat)))
        return 0
    opts.cache_dir.mkdir(parents=True, exist_ok=True)
    if opts.realtime:
        RUN_PREFIX[:] = ["chrt", "-f", "50"]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    rows: list[dict[str, Any]] = [] if opts.skip_cli else bench_help(opts, log)
    for n in (int(s) for s in opts.sizes.split(",")):
        rows += bench_size(n, opts, log)
    render(rows, opts)
    if opts.json:
        clean = [{k: (str(v) if isinstance(v, Path) else v) for k, v in r.items()} for r in rows]
        opts.json.write_text(json.dumps(clean, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
