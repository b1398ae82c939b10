"""Thrift's compact protocol, read and written without a schema: enough to edit a Parquet footer.

Why: `survey weight` copies a Parquet file's column chunks byte for byte and adds one column
(:mod:`survey.parquet_splice`); the footer that lists the chunks is a Thrift ``FileMetaData``. A struct
is read as a dict of field id to ``(type, value)`` in file order and written back the same way, so
fields this module knows nothing about (newer Parquet versions add some) pass through unchanged.
"""

from __future__ import annotations

import struct
from typing import Any, TypeAlias

__all__ = ["I32", "I64", "LIST", "STRUCT", "Struct", "ThriftError", "read_struct", "write_struct"]

TRUE, FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(1, 13)
Struct: TypeAlias = dict[int, tuple[int, Any]]  # field id -> (compact type, value)


class ThriftError(ValueError):
    """Bytes that are not a compact-protocol struct (a damaged or unexpected footer)."""


def read_struct(data: bytes, pos: int = 0) -> tuple[Struct, int]:
    """The struct starting at ``pos`` and the position after it."""
    fields: Struct = {}
    last = 0
    while True:
        if pos >= len(data):
            raise ThriftError("struct runs past the end")
        head = data[pos]
        pos += 1
        if head == 0:
            return fields, pos
        kind, delta = head & 0x0F, head >> 4
        if delta:
            fid = last + delta
        else:
            raw, pos = _varint(data, pos)
            fid = _unzigzag(raw)
        if kind in (TRUE, FALSE):
            fields[fid] = (kind, None)
        else:
            value, pos = _read_value(data, pos, kind)
            fields[fid] = (kind, value)
        last = fid


def write_struct(fields: Struct) -> bytes:
    """The compact encoding of a struct as :func:`read_struct` gives it."""
    out = bytearray()
    _write_struct(out, fields)
    return bytes(out)


def _write_struct(out: bytearray, fields: Struct) -> None:
    last = 0
    for fid, (kind, value) in fields.items():
        if 0 < fid - last <= 15:
            out.append(((fid - last) << 4) | kind)
        else:
            out.append(kind)
            _put_varint(out, _zigzag(fid))
        if kind not in (TRUE, FALSE):
            _write_value(out, kind, value)
        last = fid
    out.append(0)


def _read_value(data: bytes, pos: int, kind: int) -> tuple[Any, int]:
    if kind == BYTE or kind in (TRUE, FALSE):  # a bool inside a list is one byte
        return data[pos], pos + 1
    if kind in (I16, I32, I64):
        raw, pos = _varint(data, pos)
        return _unzigzag(raw), pos
    if kind == DOUBLE:
        return struct.unpack_from("<d", data, pos)[0], pos + 8
    if kind == BINARY:
        size, pos = _varint(data, pos)
        if pos + size > len(data):
            raise ThriftError("binary runs past the end")
        return data[pos : pos + size], pos + size
    if kind in (LIST, SET):
        head = data[pos]
        pos += 1
        size, elem = head >> 4, head & 0x0F
        if size == 15:
            size, pos = _varint(data, pos)
        items = []
        for _ in range(size):
            item, pos = _read_value(data, pos, elem)
            items.append(item)
        return (elem, items), pos
    if kind == MAP:
        size, pos = _varint(data, pos)
        if size == 0:
            return (0, 0, []), pos
        types = data[pos]
        pos += 1
        pairs = []
        for _ in range(size):
            key, pos = _read_value(data, pos, types >> 4)
            value, pos = _read_value(data, pos, types & 0x0F)
            pairs.append((key, value))
        return (types >> 4, types & 0x0F, pairs), pos
    if kind == STRUCT:
        return read_struct(data, pos)
    raise ThriftError(f"unknown compact type {kind}")


def _write_value(out: bytearray, kind: int, value: Any) -> None:
    if kind == BYTE or kind in (TRUE, FALSE):
        out.append(value)
    elif kind in (I16, I32, I64):
        _put_varint(out, _zigzag(value))
    elif kind == DOUBLE:
        out += struct.pack("<d", value)
    elif kind == BINARY:
        _put_varint(out, len(value))
        out += value
    elif kind in (LIST, SET):
        _write_list(out, *value)
    elif kind == MAP:
        _write_map(out, *value)
    elif kind == STRUCT:
        _write_struct(out, value)
    else:
        raise ThriftError(f"unknown compact type {kind}")


def _write_list(out: bytearray, elem: int, items: list[Any]) -> None:
    if len(items) < 15:
        out.append((len(items) << 4) | elem)
    else:
        out.append(0xF0 | elem)
        _put_varint(out, len(items))
    for item in items:
        _write_value(out, elem, item)


def _write_map(out: bytearray, ktype: int, vtype: int, pairs: list[tuple[Any, Any]]) -> None:
    _put_varint(out, len(pairs))
    if pairs:
        out.append((ktype << 4) | vtype)
        for key, item in pairs:
            _write_value(out, ktype, key)
            _write_value(out, vtype, item)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ThriftError("varint runs past the end")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _put_varint(out: bytearray, value: int) -> None:
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _unzigzag(raw: int) -> int:
    return (raw >> 1) ^ -(raw & 1)
