"""`survey weight` and `survey estimate`: thin commands over the `weighting` library.

Why thin: parsing, file I/O and display live here; every statistical decision lives in
`weighting`. Bad input exits with code 2 and one line naming the problem; outputs are
written to a temporary file and renamed only on success, so OUT never holds a half result.
"""

# ruff: noqa: PLC0415
# (pandas, polars and the weighting library are imported inside the commands, so that
# `survey --help` and `survey weight --help` start in a fraction of a second)

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from survey.cli._common import console, fail, stages, writable_file

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from rich.table import Table

    from survey.cli._common import InThread
    from survey.parquet_splice import Splice
    from weighting import Design, Diagnostics, ReplicateWeights, Targets, WeightingError

__all__ = ["register"]

err = console  # the progress bars' console: a notice printed meanwhile lands above the bar
out = Console()


class Method(StrEnum):
    """Weighting methods offered on the command line."""

    poststratify = "poststratify"
    rake = "rake"
    linear = "linear"
    logit = "logit"
    raking = "raking"


class Replicates(StrEnum):
    """Replicate weight kinds."""

    jk1 = "jk1"
    bootstrap = "bootstrap"


class SuppliedType(StrEnum):
    """Kinds of replicate weights delivered with a file (R's svrepdesign types)."""

    JK1 = "JK1"
    JKn = "JKn"
    BRR = "BRR"
    Fay = "Fay"
    bootstrap = "bootstrap"
    SDR = "SDR"
    other = "other"


class LonelyPsu(StrEnum):
    """What a stratum with one PSU contributes to the variance (R's survey.lonely.psu)."""

    fail = "fail"
    remove = "remove"
    adjust = "adjust"
    average = "average"
    certainty = "certainty"


class Missing(StrEnum):
    """Treatments of missing values in weighting variables."""

    error = "error"
    mode = "mode"
    category = "category"


def _check_writable(*paths: Path | None) -> None:
    """Fail before any work if an output cannot be written (so nothing is half-written)."""
    for path in paths:
        if path is not None:
            writable_file(path)
            if path.suffix.lower() in {".sav", ".dta"}:
                fail(f"--out {path}: .sav and .dta are read, not written; write .csv or .parquet")


def _separator(data: Path) -> str:
    """The CSV separator of the input (a semicolon or tab file is answered in kind, decimal commas too)."""
    from survey.tabular import STAT_FORMATS, csv_separator

    if data.suffix.lower() in (".parquet", *STAT_FORMATS) or not data.is_file():
        return ","
    return csv_separator(data)


def _write(frame: pl.DataFrame, path: Path, separator: str = ",") -> None:
    """Write to a temp file beside `path`, then rename: OUT appears only when complete."""
    with _writing(_table_writer(frame, separator), path):
        pass


def _table_writer(frame: pl.DataFrame, separator: str) -> Callable[[Path], None]:
    from survey.tabular import write_table

    return lambda tmp: write_table(frame, tmp, separator=separator)


@contextmanager
def _writing(write: Callable[[Path], None], path: Path) -> Iterator[None]:
    """Write to a temp file beside `path` in a thread while the body runs, then rename: OUT
    appears only when complete, and only if the body succeeded too."""
    import os
    import tempfile

    from survey.cli._common import InThread
    from survey.tabular import TableError

    fd, name = tempfile.mkstemp(dir=path.resolve().parent, suffix=path.suffix)
    os.close(fd)
    tmp = Path(name)
    job = InThread(lambda: write(tmp))
    try:
        yield
        job.result()
        tmp.replace(path)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    except TableError as exc:  # a spliced Parquet output falling back to reading its source in full
        fail(str(exc))
    finally:
        job.wait()
        tmp.unlink(missing_ok=True)


def _weighting_error(exc: WeightingError, targets: Targets | None) -> NoReturn:
    """One line for a library error; a category that differs from a target only by invisible
    characters (a zero-width or no-break space) is named with quotes beside the target it missed."""
    from survey.tabular import invisible_twin

    values = exc.values
    if exc.code == "no_target" and isinstance(values.get("category"), str):
        category = str(values["category"])
        known = [c for m in targets.margins for c in m.categories] if targets is not None else []
        twin = invisible_twin(category, known)
        if twin is not None:
            fail(
                f"sample category {values.get('variable')}={category!r} ({values.get('n')} respondents) "
                f"has no target: it differs from the target {twin!r} only by invisible characters or spaces"
            )
    fail(str(exc))


def _load_targets(path: Path) -> Targets:
    """Targets read by the shared reader, then checked by the library (errors name the line)."""
    return _parse_targets(_read_targets(path), path)


def _read_targets(path: Path) -> pl.DataFrame:
    """The targets table as read, before the library (and numpy) loads."""
    from survey.tabular import TableError, read_targets

    try:
        return read_targets(path)
    except TableError as exc:
        fail(str(exc))


def _parse_targets(table: pl.DataFrame, path: Path) -> Targets:
    from weighting import Targets, WeightingError

    try:
        return Targets.from_frame(table)
    except WeightingError as exc:
        fail(f"{path}: {exc}")


def _load_data(path: Path, categorical: Sequence[str]) -> pl.DataFrame:
    from survey.tabular import TableError, read_table

    try:
        return read_table(path, categorical=categorical)
    except TableError as exc:
        fail(str(exc))


def _preload() -> None:
    """Modules the command needs after the data are read, imported while they may still be: polars
    builds the weight column from a numpy array through numpy.ma, and the diagnostics are tables."""
    import numpy.ma  # noqa: F401
    import rich.table  # noqa: F401


def _read_data(reading: InThread[tuple[pl.DataFrame, Splice | None]]) -> tuple[pl.DataFrame, Splice | None]:
    from survey.tabular import TableError

    try:
        return reading.result()
    except TableError as exc:
        fail(str(exc))


def _read_for_weighting(
    data: Path, categorical: list[str], base_weight: str | None, weight_column: str, splice: bool
) -> tuple[pl.DataFrame, Splice | None]:
    """The data, and how to write the output by copying the input's column chunks (None: in full).

    Why: Parquet in and out, the input's columns go to the output unchanged, so they are copied as
    bytes (:mod:`survey.parquet_splice`) and only the columns the weighting uses are read. An earlier
    weight column, replicates, or a file the splice is unsure of take the full read and write.
    """
    from survey.tabular import PARQUET_CODEC, read_table

    plan = None
    if splice:
        from survey.parquet_splice import plan as splice_plan

        plan = splice_plan(data, categorical, weight_column, PARQUET_CODEC)
    if plan is None or _stale_columns(plan.columns, weight_column):
        return read_table(data, categorical=categorical), None
    used = [*categorical, *([base_weight] if base_weight else [])]
    return read_table(data, categorical=categorical, columns=used), plan


def _spliced_writer(plan: Splice, weights: pl.Series, categorical: list[str]) -> Callable[[Path], None]:
    """Write the input's chunks plus the weights; if polars laid the weights out unlike the input's row
    groups (or the input changed meanwhile), read the input in full and write it as before."""
    from survey.parquet_splice import write
    from survey.tabular import read_table, write_table

    def run(tmp: Path) -> None:
        if not write(plan, weights, tmp):
            write_table(read_table(plan.source, categorical=categorical).with_columns(weights), tmp)

    return run


def _notice(message: str) -> None:
    err.print(f"[bold yellow]notice:[/] {_escape(message)}", highlight=False, soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _pair(text: str | None, option: str) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lo, hi = (float(p) for p in text.split(","))
    except ValueError:
        fail(f"{option} must be two numbers LO,HI (got {text!r})")
    return lo, hi


@dataclass(frozen=True)
class _Options:
    """Weighting options shared by both commands."""

    population: float | None
    missing: str
    min_cell: int
    max_iter: int | None
    tol: float | None
    bounds: tuple[float, float] | None

    def __post_init__(self) -> None:
        # Click's range check lets NaN through (every comparison with it is false).
        for name, value in (("--population", self.population), ("--tol", self.tol)):
            if value is not None and not math.isfinite(value):
                fail(f"{name}: give a finite number, not {value}")


def _weight(design: Design, targets: Targets, method: Method, o: _Options) -> Design:
    from weighting import calibrate, poststratify, rake

    iters: dict[str, Any] = {k: v for k, v in (("max_iter", o.max_iter), ("tol", o.tol)) if v is not None}
    common: dict[str, Any] = {"population": o.population, "missing": o.missing, "min_cell": o.min_cell}
    if method is Method.poststratify:
        if o.bounds is not None:
            fail("--bounds applies to linear and logit calibration, not poststratify")
        return poststratify(design, targets, **common)
    if method is Method.rake:
        if o.bounds is not None:
            fail("--bounds applies to linear and logit calibration; use --trim with rake")
        return rake(design, targets, **common, **iters)
    calfun: Any = method.value
    return calibrate(design, targets, calfun=calfun, bounds=o.bounds, **common, **iters)


def _table(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i < 2 else "right")
    for row in rows:
        table.add_row(*row)
    return table


def _show(diags: tuple[Diagnostics, ...]) -> None:
    """Print each step's diagnostics: fit per category, weight spread overall and per mode."""
    for d in diags:
        fits = [
            (
                c.margin,
                c.category,
                str(c.n),
                f"{c.target_share:.4f}",
                f"{c.unweighted_share:.4f}",
                f"{c.achieved_share:.4f}",
            )
            for c in d.categories
        ]
        cols = ("margin", "category", "n", "target", "unweighted", "weighted")
        out.print(_table(f"{d.method}: {', '.join(d.margins)}", cols, fits))
        spread = [
            (
                s.group,
                str(s.n),
                f"{s.weight_sum:.1f}",
                f"{s.min:.4g}",
                f"{s.max:.4g}",
                f"{s.deff:.3f}",
                f"{s.n_eff:.1f}",
            )
            for s in (d.overall, *d.by_mode)
        ]
        out.print(_table("weights", ("group", "n", "sum", "min", "max", "deff", "n_eff"), spread))
        lines = [
            f"iterations {d.iterations}, converged {d.converged}, max deviation {d.max_deviation:.2e} "
            f"(unweighted {d.unweighted_max_deviation:.3f})",
            *(f"{c.margin}: {'+'.join(c.categories)} -> {c.into} ({c.reason})" for c in d.collapses),
            *(f"{m.variable}: {m.n} missing -> {m.treatment} {m.category}" for m in d.missing),
            *d.notes,
        ]
        out.print("\n".join(lines), highlight=False)


def _replicates(design: Design, kind: Replicates, n: int, seed: int | None) -> ReplicateWeights:
    from rich.progress import Progress

    from weighting import replicate_weights

    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(f"{kind.value} replicates", total=None)
        return replicate_weights(
            design,
            kind.value,
            n_replicates=n,
            seed=seed,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )


def _diag_json(diags: tuple[Diagnostics, ...], path: Path, **extra: object) -> None:
    import json
    import os
    import tempfile

    payload = {"diagnostics": [json.loads(d.to_json()) for d in diags], **extra}
    fd, tmp = tempfile.mkstemp(dir=path.resolve().parent, suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(payload, fh, indent=2)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


TargetsOpt = Annotated[
    Path, typer.Option(help="Targets CSV: variable,category,share (or count); crossed: sex:age.")
]
MethodOpt = Annotated[
    Method, typer.Option(help="poststratify | rake | linear (GREG) | logit (needs --bounds) | raking.")
]
PopulationOpt = Annotated[
    float | None, typer.Option(min=1e-9, max=1e15, help="Population size N: weights sum to N (default: n).")
]
BoundsOpt = Annotated[
    str | None, typer.Option(help="LO,HI bounds on g = weight/base weight (linear, logit).")
]
DiagOpt = Annotated[Path | None, typer.Option(help="Also write the diagnostics as JSON to this file.")]
MaxIterOpt = Annotated[
    int | None, typer.Option(help="Iteration cap (default: 100 for rake, 50 for calibration).")
]
TolOpt = Annotated[
    float | None, typer.Option(help="Tolerance (rake: share gap, default 1e-6; calibration: 1e-7).")
]
MissingOpt = Annotated[
    Missing, typer.Option(help="Missing weighting values: error | mode (impute) | category (own cell).")
]
MinCellOpt = Annotated[
    int, typer.Option(min=0, help="Merge categories with fewer respondents into a neighbour (reported).")
]
ModeOpt = Annotated[str, typer.Option(help="Column with the collection mode, for per-mode diagnostics.")]
RepOpt = Annotated[
    Replicates | None, typer.Option(help="Replicate weights: jk1 or bootstrap (each re-weighted).")
]
NRepOpt = Annotated[int, typer.Option(min=2, max=10_000, help="Number of bootstrap replicates.")]
SeedOpt = Annotated[
    int | None, typer.Option(min=0, max=2**32 - 1, help="Random seed for bootstrap replicates.")
]


NaOpt = Annotated[
    str | None,
    typer.Option(
        help="Cell values that also mean missing in the columns used, comma-separated (e.g. NA,-9). "
        "Without it only an empty cell is missing: NA, None, null and n/a are categories. "
        "Copied columns are written as read either way (in a CSV, text that a spreadsheet would run "
        "as a formula gets a leading ' unless --raw)."
    ),
]
DataArg = Annotated[
    Path,
    typer.Argument(
        help="Responses: CSV (UTF-8), or by extension .parquet, .sav (SPSS) or .dta (Stata), "
        "whose value labels are the categories."
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV out: write text cells beginning with = + - @ tab or CR as read, not prefixed with ' "
        "(a spreadsheet may run them as formulas). Numbers are never prefixed.",
    ),
]
REP_SUFFIX = "_rep"


def _stale_columns(columns: Sequence[str], weight_column: str) -> list[str]:
    """The weight column and its replicate columns left by an earlier `survey weight` or export."""
    reps = re.compile(re.escape(weight_column + REP_SUFFIX) + r"\d+")
    return [c for c in columns if c == weight_column or reps.fullmatch(c)]


def _check_replaceable(raw: pl.DataFrame, weight_column: str, used: Sequence[str], data: Path) -> None:
    """Only an earlier weight column is replaced: never a weighting variable, nor a column of answers."""
    from survey.tabular import holds_numbers

    if weight_column not in raw.columns:
        return
    if weight_column in used or not holds_numbers(raw.get_column(weight_column)):
        fail(
            f"{data} has a column {weight_column!r} that is not an earlier weight (it holds categories): "
            "choose another --weight-column"
        )


def weight_command(
    data: DataArg,
    targets: TargetsOpt,
    method: MethodOpt,
    population: PopulationOpt = None,
    base_weight: Annotated[
        str | None, typer.Option(help="Column of base (design) weights; default N/n.")
    ] = None,
    bounds: BoundsOpt = None,
    trim_: Annotated[
        str | None, typer.Option("--trim", help="LO,HI caps on g; excess redistributed, re-weighted.")
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Output CSV/Parquet (default: DATA stem + _weighted.csv).")
    ] = None,
    diagnostics: DiagOpt = None,
    max_iter: MaxIterOpt = None,
    tol: TolOpt = None,
    missing: MissingOpt = Missing.error,
    min_cell: MinCellOpt = 0,
    mode_column: ModeOpt = "mode",
    weight_column: Annotated[
        str,
        typer.Option(
            help="Name of the output weight column. If DATA already has it (a `survey export` file, an "
            "earlier run), it and its replicate columns are replaced, with a notice."
        ),
    ] = "weight",
    replicates: RepOpt = None,
    n_replicates: NRepOpt = 50,
    seed: SeedOpt = None,
    na_values: NaOpt = None,
    raw_cells: RawOpt = False,
) -> None:
    """Weight responses to population margins; write every input row and column plus the weights.

    In a CSV written, text cells a spreadsheet would run as formulas (beginning with = + - @, a tab
    or a carriage return, and not a number) get a leading apostrophe, as `survey export` does;
    --raw writes them as read.
    """
    import polars as pl

    from survey.cli._common import InThread
    from survey.tabular import TableError, analysis_columns, na_set, target_variables
    from survey.tabular_csv import decimal_comma

    dest = out_path or data.with_name(f"{data.stem}_weighted.csv")
    _check_writable(dest, diagnostics)
    opts = _Options(population, missing.value, min_cell, max_iter, tol, _pair(bounds, "--bounds"))
    caps = _pair(trim_, "--trim")
    table = _read_targets(targets)
    # The data are read in polars' threads (the targets' columns as dictionary codes) while the
    # weighting library and numpy load here: on a million rows each takes about a tenth of a second.
    encoded = [*target_variables(table), mode_column]
    splice = data.suffix.lower() == dest.suffix.lower() == ".parquet" and replicates is None
    reading = InThread(lambda: _read_for_weighting(data, encoded, base_weight, weight_column, splice))
    from weighting import Design, WeightingError

    goal = None
    try:
        with stages(2) as stage, _notices():
            stage(f"reading {data.name}")
            goal = _parse_targets(table, targets)
            categories = [*goal.variables, mode_column]
            _preload()  # while the data may still be being read
            raw, plan = _read_data(reading)
            stale = _stale_columns(raw.columns, weight_column)
            _check_replaceable(raw, weight_column, categories, data)
            if stale:
                _notice(f"{data} already has {', '.join(stale)}: replaced by the new weights")
            stage(f"weighting ({method.value})")
            numbers = [base_weight] if base_weight else []
            frame = analysis_columns(
                raw,
                categories=categories,
                numbers=numbers,
                na_values=na_set(na_values),
                decimal_comma=decimal_comma(_separator(data)),
            )
            design = Design.from_frame(frame, weights=base_weight, mode_column=mode_column)
            design = _weight(design, goal, method, opts)
            if caps is not None:
                from weighting import trim  # loads the replicate machinery: only when asked

                design = trim(design, *caps)
        weights = pl.Series(weight_column, design.weights)
        if plan is not None:
            write = _spliced_writer(plan, weights, encoded)
        else:
            reps = None if replicates is None else (replicates, n_replicates, seed)
            result = _with_weights(raw, design, weights, stale, reps)
            if not raw_cells and dest.suffix.lower() != ".parquet":
                result = _neutralised(result)
            write = _table_writer(result, _separator(data))
    except TableError as exc:
        fail(f"{data}: {exc}")
    except WeightingError as exc:
        _weighting_error(exc, goal)
    _write_and_show(write, dest, design.diagnostics, diagnostics)
    out.print(f"wrote {weights.len()} rows to {dest}", highlight=False)


def _with_weights(
    raw: pl.DataFrame,
    design: Design,
    weights: pl.Series,
    stale: list[str],
    replicates: tuple[Replicates, int, int | None] | None,
) -> pl.DataFrame:
    """Every input column but earlier weights, then the weights and any replicate weights."""
    import polars as pl

    result = raw.drop([c for c in stale if c != weights.name]).with_columns(weights)
    if replicates:
        reps = _replicates(design, *replicates)
        names = [f"{weights.name}{REP_SUFFIX}{r + 1}" for r in range(reps.n_replicates)]
        result = result.with_columns(pl.DataFrame(reps.weights, schema=names, orient="row"))
    return result


def _write_and_show(
    write: Callable[[Path], None], dest: Path, diags: tuple[Diagnostics, ...], json_path: Path | None
) -> None:
    """Write OUT and lay out the diagnostics meanwhile (polars writes outside the interpreter's
    lock); they are printed once OUT is complete, so a failed write prints only its error."""
    status = err.status(f"writing {dest}...") if err.is_terminal else nullcontext()
    with status, _writing(write, dest), out.capture() as shown:
        _show(diags)
    if json_path is not None:
        _diag_json(diags, json_path)
    out.file.write(shown.get())


def _neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with formula-like text cells prefixed, and a notice naming the columns touched."""
    from survey.analyst.spreadsheet import neutralised_cells

    safe, changed = neutralised_cells(frame)
    if changed:
        where = ", ".join(f"{name} ({n})" for name, n in changed.items())
        _notice(
            f"text cells beginning with = + - @, a tab or a carriage return were written with a leading ' "
            f"so that a spreadsheet shows them instead of running them: {where}; --raw writes them as read"
        )
    return safe


def _fixed_weights(frame: pd.DataFrame, weight: str, layout: dict[str, Any]) -> Design | None:
    """A design on final weights that include some <= 0 (linear calibration makes them), with a notice.

    None when every weight is positive: the library then checks them as usual. Missing weights are
    still refused, by the library, naming the row.
    """
    import numpy as np

    from weighting import Design

    if weight not in frame.columns:
        return None
    values = frame[weight].to_numpy(dtype=np.float64)
    low = values <= 0
    if np.isnan(values).any() or not low.any():
        return None
    row = int(np.flatnonzero(low)[0]) + 1
    _notice(
        f"weight {weight!r} has {int(low.sum())} value(s) <= 0 (first at data row {row}, {values[row - 1]:g}): "
        "used as given, since final weights from linear calibration can be negative"
    )
    design = Design.from_frame(frame, **layout)
    return design.with_weights(values)


def _names(text: str | None) -> list[str]:
    """Column names given comma-separated (``psu,ssu``)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@contextmanager
def _notices() -> Iterator[None]:
    """The library's warnings (an estimate on one respondent, negative weights) as notice lines,
    not Python's warning format with a file name and line number."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for message in dict.fromkeys(str(w.message) for w in caught):
        _notice(message)


def _supplied_columns(raw: pl.DataFrame, pattern: str) -> list[str]:
    """The columns a --replicate-weights regular expression finds (searched in each name, as R does)."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        fail(f"--replicate-weights {pattern!r} is not a regular expression: {exc}")
    found = [c for c in raw.columns if regex.search(c)]
    if len(found) < 2:
        fail(
            f"--replicate-weights {pattern!r} matches {len(found)} column(s); replicate weights need at least 2"
        )
    return found


def estimate_command(
    data: DataArg,
    variables: Annotated[
        str, typer.Option(help="Comma-separated outcome columns (text: proportions; numeric: mean).")
    ],
    out_path: Annotated[Path, typer.Option("--out", help="Output CSV/Parquet of estimates.")],
    weight: Annotated[
        str | None,
        typer.Option(
            help="Weight column: final weights (values <= 0, as linear calibration can give, are used "
            "with a notice), or base weights with --targets (then they must be > 0)."
        ),
    ] = None,
    targets: Annotated[
        Path | None, typer.Option(help="Targets CSV: weight inside the call (calibration-aware SEs).")
    ] = None,
    method: Annotated[Method | None, typer.Option(help="Weighting method, required with --targets.")] = None,
    population: PopulationOpt = None,
    bounds: BoundsOpt = None,
    by: Annotated[str | None, typer.Option(help="Subgroup column: one estimate per level.")] = None,
    strata: Annotated[str | None, typer.Option(help="Strata column (Taylor SE within strata).")] = None,
    cluster: Annotated[
        str | None, typer.Option(help="Cluster (PSU) column, or PSU,SSU for a two-stage design.")
    ] = None,
    fpc: Annotated[
        str | None,
        typer.Option(
            help="Finite population correction: the column of population sizes (counts, or sampling "
            "fractions when every value is <= 1), one per stage as N1,N2 (R's fpc=~N1+N2)."
        ),
    ] = None,
    lonely_psu: Annotated[
        LonelyPsu,
        typer.Option(
            help="A stratum with one PSU: fail (name it) | remove | adjust | average | certainty, "
            "as R's options(survey.lonely.psu)."
        ),
    ] = LonelyPsu.fail,
    replicates: RepOpt = None,
    n_replicates: NRepOpt = 50,
    seed: SeedOpt = None,
    replicate_weights: Annotated[
        str | None,
        typer.Option(
            help="Regular expression naming the replicate weight columns delivered with DATA (e.g. "
            "'^weight_rep[0-9]+$', what `survey weight --replicates` writes); they hold analysis "
            "weights and go with --weight. With --targets each is calibrated like the weights."
        ),
    ] = None,
    replicate_type: Annotated[
        SuppliedType,
        typer.Option(
            help="Kind of the --replicate-weights: JK1 | JKn | BRR | Fay | bootstrap | SDR | other."
        ),
    ] = SuppliedType.JK1,
    diagnostics: DiagOpt = None,
    max_iter: MaxIterOpt = None,
    tol: TolOpt = None,
    missing: MissingOpt = Missing.error,
    min_cell: MinCellOpt = 0,
    mode_column: ModeOpt = "mode",
    level: Annotated[
        float, typer.Option(min=0.5, max=0.9999, help="Confidence level of the intervals (0.5 to 0.9999).")
    ] = 0.95,
    na_values: NaOpt = None,
) -> None:
    """Estimate means / proportions with SEs and CIs: variable,category,(by),estimate,se,ci_low,ci_high,n.

    SEs are Taylor-linearised; with --targets the weights are made here and the SEs are
    calibration-aware (R survey after postStratify / rake / calibrate); with --weight only, the
    weights are treated as fixed. Proportion CIs are logit (svyciprop), mean CIs normal.
    """
    import polars as pl

    from survey.tabular import TableError, analysis_frame, na_set
    from survey.tabular_csv import decimal_comma
    from weighting import Design, WeightingError, estimate, recalibrate_replicates, supplied_replicates

    if (targets is None) != (method is None):
        fail("--targets and --method go together")
    if replicate_weights is not None and (replicates is not None or weight is None):
        fail("--replicate-weights goes with --weight (the final weights), and not with --replicates")
    _check_writable(out_path, diagnostics)
    names = [v.strip() for v in variables.split(",") if v.strip()]
    opts = _Options(population, missing.value, min_cell, max_iter, tol, _pair(bounds, "--bounds"))
    goal = None
    try:
        with stages(2) as stage, _notices():
            stage(f"reading {data.name}")
            goal = _load_targets(targets) if targets is not None else None
            clusters, fpcs = _names(cluster), _names(fpc)
            layout: dict[str, Any] = {
                "strata": strata,
                "cluster": clusters or None,
                "fpc": fpcs or None,
                "lonely_psu": lonely_psu.value,
                "mode_column": mode_column,
            }
            design_columns = [c for c in (mode_column, by, strata, *clusters) if c]
            categories = [*(goal.variables if goal is not None else ()), *design_columns]
            raw = _load_data(data, categories)
            supplied = _supplied_columns(raw, replicate_weights) if replicate_weights else []
            stage("weighting" if goal is not None else "design")
            frame = analysis_frame(
                raw,
                categories=categories,
                numbers=[*([weight] if weight else []), *fpcs, *supplied],
                outcomes=names,
                na_values=na_set(na_values),
                decimal_comma=decimal_comma(_separator(data)),
            )
            fixed = _fixed_weights(frame, weight, layout) if weight and goal is None else None
            design = fixed or Design.from_frame(frame, weights=weight, **layout)
            if goal is not None and method is not None:
                design = _weight(design, goal, method, opts)
        reps = _replicates(design, replicates, n_replicates, seed) if replicates is not None else None
        if supplied:
            reps = supplied_replicates(frame, supplied, type=replicate_type.value)
            if goal is not None:
                reps = recalibrate_replicates(design, reps)
        with err.status("estimating..."), _notices():
            table = estimate(design, names, by=by, level=level, replicates=reps)
    except TableError as exc:
        fail(f"{data}: {exc}")
    except WeightingError as exc:
        _weighting_error(exc, goal)
    _write(pl.from_pandas(table.to_frame()), out_path, _separator(data))
    if diagnostics is not None:
        _diag_json(design.diagnostics, diagnostics, variance=table.variance)
    _show(design.diagnostics)
    out.print(f"wrote {len(table.rows)} estimates to {out_path} (SE: {table.variance})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `weight` and `estimate` commands to the main `survey` app."""
    app.command("weight", help=weight_command.__doc__)(weight_command)
    app.command("estimate", help=estimate_command.__doc__)(estimate_command)
