"""Typer's conversion of plain option values, without loading pydantic: a fifth of a second saved.

Why: typer (0.29) converts every option value through a pydantic ``TypeAdapter``; importing pydantic
and building the adapters took about as long as everything else `survey weight --help` does, and a
fifth of `survey weight` on a million rows. The values the commands take are plain (text, numbers
with a range, paths, a choice from an enum, flags): a valid one is converted here as typer would; any
other value (out of range, not a number, not a choice) goes to typer's own conversion, so its
messages stay typer's, word for word. With a typer that converts otherwise, this does nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from typer import _click

__all__ = ["lighten"]

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PLAIN_PATH = ("exists", "resolve_path", "allow_dash", "path_type", "writable", "executable")

try:
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # another typer: its own conversion runs unchanged
    RuntimeParam = None  # type: ignore[assignment,misc]


class _DelegateError(Exception):
    """The value is not a plain one: typer's own conversion handles it (and its error message)."""


Convert = Callable[[Any, Any, Any], Any]

if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Light(RuntimeParam):
        """A typer runtime parameter that converts plain values itself and hands the rest on."""

        convert: Convert

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return self.convert(value, param, ctx)
            except _DelegateError:
                full = build_runtime_param(param.type_descriptor)
                return full._coerce_value(value, param=param, ctx=ctx)


def _number(kind: type[int] | type[float], info: Any) -> Convert:
    pattern = _INT if kind is int else _FLOAT

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        text = isinstance(value, str) and pattern.fullmatch(value) is not None
        given = isinstance(value, int if kind is int else int | float) and not isinstance(value, bool)
        if not (text or given):
            raise _DelegateError
        number = kind(value)
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            raise _DelegateError
        return number

    return convert


def _text(value: Any, param: Any, ctx: Any) -> Any:
    if isinstance(value, str):
        return value
    raise _DelegateError


def _flag(value: Any, param: Any, ctx: Any) -> Any:
    if isinstance(value, bool):
        return value
    raise _DelegateError


def _choice(annotation: type[Enum], info: Any) -> Convert:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(
                value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            raise _DelegateError from None

    return convert


def _path(annotation: type[Path], info: Any) -> Convert:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, annotation):
            return value
        if not isinstance(value, str) or not value:
            raise _DelegateError
        # typer's own checks (readable, file or folder), on the text; then the Path it would build
        checked = coerce_cli_path(value, info, path_type=None, param=param, ctx=ctx)
        return annotation(os.fsdecode(checked))

    return convert


def _converter(param: Any) -> Convert | None:
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or getattr(info, "clamp", False):
        return None
    if annotation is bool:
        return _flag
    if annotation is str:
        return _text
    if annotation in (int, float):
        return _number(annotation, info)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, info)
    if isinstance(annotation, type) and issubclass(annotation, Path):
        if any(getattr(info, flag, None) for flag in _PLAIN_PATH):
            return None
        return _path(annotation, info)
    return None


def lighten(command: _click.Command, ctx: _click.Context | None = None) -> None:
    """Give each plain parameter of ``command`` (and of its subcommands) the light conversion."""
    if RuntimeParam is None:
        return
    params = list(command.params)
    if ctx is not None and (help_option := command.get_help_option(ctx)) is not None:
        params.append(help_option)
    for param in params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            convert = _converter(param)
            if convert is not None:
                descriptor = param.type_descriptor
                param._runtime_param = _Light(descriptor.parameter_info, descriptor.annotation, convert)
    for sub in getattr(command, "commands", {}).values():
        lighten(sub, ctx)
