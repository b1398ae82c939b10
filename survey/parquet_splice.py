"""A Parquet file plus one new column, written by copying the file's column chunks byte for byte.

Why: `survey weight` on Parquet used to decode every column of the input and encode it again, to
add one column of weights; on a million rows that was most of the command's work after its imports.
Here the output is the input's bytes up to its footer (every column chunk, at the same offsets), then
the new column's chunks (written by polars, one row group per input row group), then a footer that
lists both. The footer's schema and its Arrow schema come from polars writing an empty frame of the
output's columns, so readers see the types a full polars write gives: text columns read as
categories are dictionaries, the others as they were.

:func:`plan` says whether a file can be spliced, before it is read; anything it is unsure of (an
encrypted footer, chunks in other files, row groups of uneven sizes, a schema polars would write
differently, a codec some readers lack) gets None, and the caller writes the file in full instead.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from survey.thrift_compact import I32, I64, LIST, STRUCT, Struct, ThriftError, read_struct, write_struct

__all__ = ["Splice", "plan", "write"]

MAGIC = b"PAR1"
# Codecs of copied chunks: uncompressed, Snappy, gzip and Zstandard, which every Parquet reader the
# output promises (pyarrow, polars, pandas, R's arrow-free nanoparquet) decodes. Others are re-encoded.
PORTABLE_CODECS = frozenset({0, 1, 2, 6})
# Field ids of parquet.thrift used here.
_SCHEMA, _NUM_ROWS, _ROW_GROUPS = 2, 3, 4
_RG_COLUMNS, _RG_BYTES, _RG_ROWS, _RG_COMPRESSED = 1, 2, 3, 6
_CC_PATH, _CC_OFFSET, _CC_META, _CC_CRYPTO = 1, 2, 3, 8
_CC_PAGE_INDEX = (4, 5, 6, 7)  # offset and column index: positions inside them would need moving too
_CM_CODEC, _CM_COMPRESSED = 4, 7
_CM_OFFSETS = (9, 10, 11, 14)  # data page, index page, dictionary page, bloom filter
_SE_CHILDREN, _SE_CONVERTED, _SE_FIELD_ID, _SE_LOGICAL = 5, 6, 9, 10


@dataclass(frozen=True)
class Splice:
    """A source file that can take one more column: its footer, and the output's empty-file footer."""

    source: Path
    body_end: int  # where the source's footer starts: its bytes before it are copied as they are
    meta: Struct  # the source's FileMetaData
    template: Struct  # FileMetaData of an empty file with the output's columns, written by polars
    row_group_rows: tuple[int, ...]
    codec: str
    columns: tuple[str, ...]  # the source's columns, all copied
    stamp: tuple[int, int]  # the source's size and modification time: a file changed since is not spliced


def plan(source: Path, categorical: Collection[str], added: str, codec: str) -> Splice | None:
    """How to add the Float64 column ``added`` to ``source`` by copying, or None to write in full.

    ``categorical``: the text columns the caller reads as ``pl.Categorical`` (written as dictionaries).
    """
    try:
        stamp = _stamp(source)
        body_end, meta = _read_footer(source)
        schema = pl.scan_parquet(source).collect_schema()
    except (OSError, ThriftError, struct.error, pl.exceptions.PolarsError):
        return None
    if added in schema or not _copyable(meta):
        return None
    rows = tuple(rg[_RG_ROWS][1] for rg in meta[_ROW_GROUPS][1][1])
    if not rows or any(n != rows[0] for n in rows[:-1]) or not 0 < rows[-1] <= rows[0]:
        return None  # polars writes the new column's row groups in equal runs only
    columns = {
        name: pl.Categorical if name in categorical and t == pl.String else t for name, t in schema.items()
    }
    buffer = io.BytesIO()
    pl.DataFrame(schema={**columns, added: pl.Float64}).write_parquet(buffer, compression=codec)  # type: ignore[arg-type]
    _, template = _footer(buffer.getvalue())
    if not _same_columns(meta[_SCHEMA][1][1], template[_SCHEMA][1][1]):
        return None
    return Splice(source, body_end, meta, template, rows, codec, tuple(schema), stamp)


def write(splice: Splice, column: pl.Series, dest: Path) -> bool:
    """Write the source with ``column`` added to ``dest``; False (nothing useful written) when polars
    laid the column's row groups out unlike the source's, or the source changed since :func:`plan`."""
    buffer = io.BytesIO()
    pl.DataFrame([column.cast(pl.Float64)]).write_parquet(
        buffer,
        compression=splice.codec,  # type: ignore[arg-type]
        row_group_size=splice.row_group_rows[0],
    )
    added = buffer.getvalue()
    added_end, added_meta = _footer(added)
    groups = added_meta[_ROW_GROUPS][1][1]
    if (
        tuple(rg[_RG_ROWS][1] for rg in groups) != splice.row_group_rows
        or _stamp(splice.source) != splice.stamp
    ):
        return False
    shift = splice.body_end - len(MAGIC)
    meta = dict(splice.template)
    meta[_NUM_ROWS] = splice.meta[_NUM_ROWS]
    merged = [
        _merged(rg, extra, shift) for rg, extra in zip(splice.meta[_ROW_GROUPS][1][1], groups, strict=True)
    ]
    meta[_ROW_GROUPS] = (LIST, (STRUCT, merged))
    footer = write_struct(meta)
    with splice.source.open("rb") as src, dest.open("wb") as out:
        _copy(src, out, splice.body_end)
        out.write(memoryview(added)[len(MAGIC) : added_end])
        out.write(footer)
        out.write(struct.pack("<i", len(footer)))
        out.write(MAGIC)
    return True


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _read_footer(path: Path) -> tuple[int, Struct]:
    """The footer of a file on disk, read from its end (the column chunks are not read)."""
    with path.open("rb") as fh:
        head = fh.read(len(MAGIC))
        fh.seek(-8, io.SEEK_END)
        size = fh.tell() + 8
        length = struct.unpack("<i", fh.read(4))[0]
        start = size - 8 - length
        if head != MAGIC or not len(MAGIC) <= start < size - 8:
            raise ThriftError("not a plain Parquet file")
        fh.seek(start)
        return _footer(fh.read(length + 8), start)


def _footer(tail: bytes, base: int = 0) -> tuple[int, Struct]:
    """Where the footer starts in the file and the FileMetaData it holds; ``tail`` is the file's end
    from position ``base`` (0: the whole file)."""
    if len(tail) < 8 or tail[-4:] != MAGIC:
        raise ThriftError("not a plain Parquet file (no PAR1 at its end: an encrypted footer?)")
    length = struct.unpack("<i", tail[-8:-4])[0]
    start = len(tail) - 8 - length
    if length <= 0 or start < 0 or base + start < len(MAGIC):
        raise ThriftError("footer length out of range")
    meta, end = read_struct(tail[start : start + length])
    if end != length or not {_SCHEMA, _NUM_ROWS, _ROW_GROUPS} <= meta.keys():
        raise ThriftError("footer is not one FileMetaData")
    return base + start, meta


def _copyable(meta: Struct) -> bool:
    """Chunks in this file, unencrypted, with a codec every reader has."""
    if meta.keys() - {1, 2, 3, 4, 5, 6, 7}:  # 8, 9: encryption; later fields: not known here
        return False
    for group in meta[_ROW_GROUPS][1][1]:
        for chunk in group[_RG_COLUMNS][1][1]:
            if _CC_PATH in chunk or _CC_CRYPTO in chunk or _CC_META not in chunk:
                return False
            if chunk[_CC_META][1][_CM_CODEC][1] not in PORTABLE_CODECS:
                return False
    return True


def _same_columns(source: list[Struct], output: list[Struct]) -> bool:
    """Whether the output's flat schema (root, then leaves) is the source's plus one last leaf, for
    every field that says how a chunk's bytes are read. The root's name and a leaf's field id say
    nothing about that, nor a legacy converted type beside the same logical type (pyarrow writes
    TIMESTAMP_MILLIS beside a timestamp, polars only the timestamp): the output takes polars' words.
    """
    if len(output) != len(source) + 1 or output[0].get(_SE_CHILDREN) != (I32, source[0][_SE_CHILDREN][1] + 1):
        return False
    return all(_reading(a) == _reading(b) for a, b in zip(source[1:], output[1:-1], strict=True))


def _reading(element: Struct) -> Struct:
    ignored = {_SE_FIELD_ID, _SE_CONVERTED} if _SE_LOGICAL in element else {_SE_FIELD_ID}
    return {k: v for k, v in element.items() if k not in ignored}


def _merged(group: Struct, extra: Struct, shift: int) -> Struct:
    """A source row group with the new column's chunk of the same rows appended."""
    (chunk,) = extra[_RG_COLUMNS][1][1]
    moved = {k: v for k, v in chunk.items() if k not in _CC_PAGE_INDEX}
    if _CC_OFFSET in moved:
        moved[_CC_OFFSET] = (I64, moved[_CC_OFFSET][1] + shift)
    column_meta = dict(moved[_CC_META][1])
    for key in _CM_OFFSETS:
        if key in column_meta:
            column_meta[key] = (I64, column_meta[key][1] + shift)
    moved[_CC_META] = (STRUCT, column_meta)
    merged = dict(group)
    merged[_RG_COLUMNS] = (LIST, (STRUCT, [*group[_RG_COLUMNS][1][1], moved]))
    merged[_RG_BYTES] = (I64, group[_RG_BYTES][1] + extra[_RG_BYTES][1])
    if _RG_COMPRESSED in group:
        merged[_RG_COMPRESSED] = (I64, group[_RG_COMPRESSED][1] + column_meta[_CM_COMPRESSED][1])
    return merged


def _copy(src: io.BufferedReader, out: io.BufferedWriter, size: int) -> None:
    """The first ``size`` bytes of ``src`` to ``out``, in blocks (the kernel copies when it can)."""
    out.flush()
    done = 0
    try:
        while done < size:
            sent = os.copy_file_range(src.fileno(), out.fileno(), size - done, done, done)
            if sent == 0:
                break
            done += sent
    except OSError:
        pass
    src.seek(done)
    out.seek(done)
    while done < size:
        block = src.read(min(1 << 23, size - done))
        if not block:
            raise OSError(f"{src.name} ended early")
        out.write(block)
        done += len(block)
