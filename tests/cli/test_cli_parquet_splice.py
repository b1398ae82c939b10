"""`survey weight` Parquet in and out copies the input's column chunks and adds the weights: the
output reads, in pyarrow, polars and pandas, exactly as a full polars write of the same frame does."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from survey import parquet_splice
from survey.cli.weighting import _spliced_writer
from survey.tabular import PARQUET_CODEC, read_table, write_table
from survey.thrift_compact import read_struct, write_struct

runner = CliRunner()
N = 3_000
ENCODED = ["sex", "region", "mode"]


@pytest.fixture
def tfile(tmp_path: Path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(
        "variable,category,share\nsex,F,0.5\nsex,M,0.5\nregion,NA,0.2\nregion,north,0.3\nregion,south,0.5\n"
    )
    return path


def _frame() -> pl.DataFrame:
    """Text categories (one written NA, one column with missing cells), text and numbers copied as read."""
    rng = np.random.default_rng(3)
    sex = rng.choice(["F", "M"], N, p=[0.7, 0.3])
    region = rng.choice(["NA", "north", "south", " south "], N)
    note = np.where(rng.random(N) < 0.2, None, rng.choice(["=1+1", "ok", "x"], N))
    return pl.DataFrame(
        {
            "id": np.arange(N, dtype=np.int64),
            "sex": sex,
            "region": region,
            "note": pl.Series(note.tolist(), dtype=pl.String),
            "n": pl.Series(rng.integers(0, 9, N), dtype=pl.Int32),
            "day": pl.date_range(pl.date(2024, 1, 1), pl.date(2032, 12, 31), eager=True)[:N],
            "y": rng.normal(size=N),
        }
    )


def _weigh(app: typer.Typer, data: Path, tfile: Path, out: Path, *extra: str) -> None:
    args = ["weight", str(data), "--targets", str(tfile), "--method", "rake", "--out", str(out), *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def _expected(data: Path, out: Path, tmp_path: Path) -> Path:
    """What the full path writes: the input as read, text categories as dictionaries, plus the weights."""
    weights = pl.read_parquet(out, columns=["weight"]).to_series()
    path = tmp_path / "expected.parquet"
    write_table(read_table(data, categorical=ENCODED).with_columns(weights), path)
    return path


def _assert_same(out: Path, expected: Path) -> None:
    ours, theirs = pq.read_table(out), pq.read_table(expected)
    assert ours.schema.equals(theirs.schema, check_metadata=True)
    assert _decoded(ours).equals(_decoded(theirs))
    assert pl.read_parquet(out).equals(pl.read_parquet(expected))
    assert pl.read_parquet(out).schema == pl.read_parquet(expected).schema
    pd.testing.assert_frame_equal(pd.read_parquet(out), pd.read_parquet(expected))
    assert pq.ParquetFile(out).metadata.num_rows == N


def _decoded(table: pa.Table) -> pa.Table:
    """Dictionary columns as their values (each row group has a dictionary of its own, in its own order)."""
    return pa.table(
        {
            name: column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )


def _codecs(path: Path) -> set[str]:
    meta = pq.ParquetFile(path).metadata
    return {
        meta.row_group(g).column(c).compression
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns - 1)  # the copied columns, not the weights
    }


@pytest.mark.parametrize("rows_per_group", [N, 1_000, 700])
def test_polars_file_is_spliced_and_reads_as_a_full_write(app, tmp_path, tfile, rows_per_group):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    _frame().write_parquet(data, compression="zstd", row_group_size=rows_per_group)
    _weigh(app, data, tfile, out)
    assert _codecs(out) == {"ZSTD"}  # the input's chunks, copied (a full write would be Snappy)
    assert pq.ParquetFile(out).metadata.num_row_groups == pq.ParquetFile(data).metadata.num_row_groups
    _assert_same(out, _expected(data, out, tmp_path))
    shares = pl.read_parquet(out).group_by("sex").agg(pl.col("weight").sum()).sort("sex")
    assert (shares["weight"] / shares["weight"].sum()).to_list() == pytest.approx([0.5, 0.5], abs=1e-5)


def test_pyarrow_file_with_uneven_row_groups_is_written_in_full(app, tmp_path, tfile):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    table = _frame().to_arrow()
    with pq.ParquetWriter(data, table.schema) as writer:
        for start, stop in ((0, 5), (5, 2_000), (2_000, N)):
            writer.write_table(table.slice(start, stop - start))
    assert parquet_splice.plan(data, ENCODED, "weight", PARQUET_CODEC) is None
    _weigh(app, data, tfile, out)
    _assert_same(out, _expected(data, out, tmp_path))


def test_pandas_file_is_spliced_and_reads_as_a_full_write(app, tmp_path, tfile):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    _frame().to_pandas().to_parquet(data, compression="gzip")
    _weigh(app, data, tfile, out)
    assert _codecs(out) == {"GZIP"}  # copied: the schema differs from polars' only in words (root name,
    # a legacy TIMESTAMP_MILLIS beside the timestamp), and the output takes polars' words
    _assert_same(out, _expected(data, out, tmp_path))


def test_brotli_chunks_are_not_copied(app, tmp_path, tfile):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    _frame().write_parquet(data, compression="brotli")
    assert parquet_splice.plan(data, ENCODED, "weight", PARQUET_CODEC) is None
    _weigh(app, data, tfile, out)
    assert _codecs(out) == {"SNAPPY"}
    _assert_same(out, _expected(data, out, tmp_path))


def test_earlier_weights_and_replicates_are_replaced_not_copied(app, tmp_path, tfile):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    _frame().with_columns(weight=pl.lit(1.0), weight_rep1=pl.lit(2.0)).write_parquet(data)
    _weigh(app, data, tfile, out)
    written = pl.read_parquet(out)
    assert written.columns == [*_frame().columns, "weight"]
    assert written["weight"].n_unique() > 1


def test_replicates_are_written_in_full(app, tmp_path, tfile):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    _frame().write_parquet(data)
    _weigh(app, data, tfile, out, "--replicates", "bootstrap", "--n-replicates", "3", "--seed", "1")
    written = pl.read_parquet(out)
    assert written.columns[-4:] == ["weight", "weight_rep1", "weight_rep2", "weight_rep3"]
    assert written.drop([c for c in written.columns if c.startswith("weight")]).equals(
        read_table(data, categorical=ENCODED)
    )


def test_a_source_changed_after_the_plan_is_read_again_in_full(tmp_path):
    data, out = tmp_path / "d.parquet", tmp_path / "w.parquet"
    _frame().write_parquet(data)
    plan = parquet_splice.plan(data, ENCODED, "weight", PARQUET_CODEC)
    assert plan is not None
    changed = _frame().with_columns(pl.col("y") * 2)
    changed.write_parquet(data, row_group_size=100)
    os.utime(data, ns=(1, 1))
    weights = pl.Series("weight", np.linspace(1, 2, N))
    assert not parquet_splice.write(plan, weights, out)
    _spliced_writer(plan, weights, ENCODED)(out)
    assert pl.read_parquet(out).equals(read_table(data, categorical=ENCODED).with_columns(weights))


def test_not_parquet_or_encrypted_looking_files_are_not_planned(tmp_path):
    for name, content in (
        ("empty.parquet", b""),
        ("text.parquet", b"a,b\n1,2\n"),
        ("pare.parquet", b"PAR1xxxxPARE"),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        assert parquet_splice.plan(path, ENCODED, "weight", PARQUET_CODEC) is None
    assert parquet_splice.plan(tmp_path / "absent.parquet", ENCODED, "weight", PARQUET_CODEC) is None


def test_no_rows_is_written_in_full(tmp_path):
    data = tmp_path / "d.parquet"
    _frame().head(0).write_parquet(data)
    assert parquet_splice.plan(data, ENCODED, "weight", PARQUET_CODEC) is None


def test_thrift_footers_round_trip_byte_for_byte(tmp_path):
    path = tmp_path / "d.parquet"
    table = _frame().to_arrow().append_column("f", pa.array([i % 2 == 0 for i in range(N)]))
    pq.write_table(table, path, row_group_size=500, write_page_index=True, write_statistics=True)
    raw = path.read_bytes()
    length = struct.unpack("<i", raw[-8:-4])[0]
    footer = raw[-8 - length : -8]
    fields, end = read_struct(footer)
    assert end == length
    assert write_struct(fields) == footer


def test_base_weights_are_read_from_a_spliced_file(app, tmp_path, tfile):
    data, out, csv = tmp_path / "d.parquet", tmp_path / "w.parquet", tmp_path / "w.csv"
    _frame().with_columns(w0=pl.Series(np.linspace(1, 3, N))).write_parquet(data)
    _weigh(app, data, tfile, out, "--base-weight", "w0")
    _weigh(app, data, tfile, csv, "--base-weight", "w0")
    spliced = pl.read_parquet(out)["weight"].to_numpy()
    np.testing.assert_allclose(spliced, pl.read_csv(csv)["weight"].to_numpy(), rtol=1e-12)
    assert not np.allclose(spliced, spliced[0])
    assert _codecs(out) == {"ZSTD"}
