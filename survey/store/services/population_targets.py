"""Population counts to weighting margins: the one rule behind `survey targets from-population` and
the console's population-table upload.

The table is read by :mod:`survey.tabular`, like the data `survey weight` reads: ``NA`` or ``null``
is a category (Namibia, "not applicable"), ``1.0`` is ``1``, and an empty cell is refused, naming its
column and row, since a person in no category would shrink every share without a word.
"""

# ruff: noqa: PLC0415
# (pandas and polars load with the first table, so `survey --help` stays fast)

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from survey.store.errors import StoreError
from survey.store.services.targets import TargetRow

if TYPE_CHECKING:
    import pandas as pd


class PopulationError(StoreError):
    """The table or the margins asked for cannot give targets; the message names the file and column."""


def margin_names(variables: str) -> list[str]:
    """``sex,age_group`` or ``sex:age_group`` as a list of margins (crossed ones keep their colon)."""
    return [v.strip() for v in variables.split(",") if v.strip()]


def read_population(table: Path, columns: list[str], *, shown: str | None = None) -> pd.DataFrame:
    """The table's margin columns as category labels and ``count`` as numbers, or PopulationError.

    ``shown`` is the name the messages use for the file (an upload's own name, not its temporary path).
    """
    import pandas as pd

    from survey.tabular import TableError, analysis_frame, read_table

    name = shown or str(table)
    try:
        raw = read_table(table, categorical=columns)
        if "count" not in raw.columns:
            raise PopulationError(f"{name}: no column 'count'")
        present = [c for c in dict.fromkeys(columns) if c in raw.columns]
        frame = analysis_frame(raw, categories=present, numbers=["count"])
    except TableError as exc:
        message = str(exc).replace(str(table), name)
        raise PopulationError(message if name in message else f"{name}: {message}") from None
    for column in present:
        codes = frame[column].cat.codes.to_numpy()
        if (codes < 0).any():
            raise PopulationError(
                f"{name}: column {column!r} is empty at data row {int((codes < 0).argmax()) + 1}"
            )
    counts = frame["count"]
    if counts.isna().any():
        raise PopulationError(
            f"{name}: column 'count' is empty at data row {int(counts.isna().to_numpy().argmax()) + 1}"
        )
    if (counts < 0).any() or not counts.sum() > 0:
        raise PopulationError(
            f"{name}: column 'count' must hold counts of 0 or more that add up to more than 0"
        )
    return pd.DataFrame({c: frame[c].astype(str) for c in present} | {"count": counts})


def margins_of(table: Path, margins: list[str], *, shown: str | None = None) -> tuple[pd.DataFrame, float]:
    """Shares per margin (``variable,category,share``) and the population total."""
    from weighting.targets import margins_from_population

    if not margins:
        raise PopulationError("variables: name at least one column of the table, e.g. sex,age_group")
    population = read_population(table, [p.strip() for v in margins for p in v.split(":")], shown=shown)
    try:
        shares = margins_from_population(population, margins)
    except KeyError as exc:  # a margin missing from the table
        raise PopulationError(str(exc.args[0])) from None
    return shares, float(population["count"].sum())


def target_rows(shares: pd.DataFrame) -> list[TargetRow]:
    """The margins as rows :class:`~survey.store.services.targets.TargetService` stores."""
    return [
        TargetRow(variable=str(v), category=str(c), share=float(s), line=i + 2)
        for i, (v, c, s) in enumerate(shares[["variable", "category", "share"]].itertuples(index=False))
    ]
