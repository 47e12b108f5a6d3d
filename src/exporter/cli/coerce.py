"""Plain flag values (text, digits, paths, lists of text) coerced directly, not through pydantic.

typer (0.2x) coerces every non-flag value through a pydantic TypeAdapter built on first use:
importing pydantic and building the adapters costs more than reading and typesetting a news
article. The values exporter's commands take are plain, so they are converted here with the
same result; anything else (a sign, a decimal point, bytes, an empty path) still goes to
typer's own coercion, which keeps its checks and messages. A test compares the two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.core import TyperCommand, TyperGroup


class Command(TyperCommand):
    """A typer command whose parameters take the direct path for plain values."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_values(super().get_params(ctx))


class Group(TyperGroup):
    """The typer group (global options, shell completion) with the same direct path."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_values(super().get_params(ctx))


def _plain_values(params: list[Any]) -> list[Any]:
    """The parameters (with --help), each given the direct path once; returns them."""
    for param in params:
        # Older typer has no runtime-coercion layer: nothing to replace there.
        if getattr(param, "_runtime_param", False) is None and _unconstrained(param):
            param._runtime_param = PlainValues(param)
    return params


def _unconstrained(param: Any) -> bool:
    """Whether a parameter has no parser, range or clamp of its own (those stay with typer)."""
    info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
    return info is not None and all(
        getattr(info, name, None) in (None, False) for name in ("parser", "min", "max", "clamp")
    )


class PlainValues:
    """The coercion of one parameter: plain values directly, the rest by typer."""

    def __init__(self, param: Any) -> None:
        self.param = param
        self.annotation = param.type_descriptor.annotation
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:  # as typer: an absent value is () for a list, else None
            return () if multi else None
        ann = self.annotation
        if multi:
            if ann == list[str] and isinstance(value, tuple | list):
                if all(isinstance(v, str) for v in value):
                    return list(value)
        elif isinstance(value, str):
            if ann is str:
                return value
            if ann is int and value.isascii() and value.isdigit():
                return int(value)
            if ann is Path and value:
                from typer._param_types import coerce_cli_path

                info = param.type_descriptor.parameter_info
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        return self.typer_coercion().coerce(value, param, ctx)

    def typer_coercion(self) -> Any:
        """typer's own coercion of this parameter (built on first use)."""
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.param.type_descriptor)
        return self._typer
