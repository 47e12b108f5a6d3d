"""What every command shares: the one-line error exit and building Settings from the given flags."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import typer

from exporter.errors import ExporterError

if TYPE_CHECKING:
    from exporter.options.settings import Settings

#: Set by the global --debug flag: print tracebacks for errors.
state = {"debug": False}


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``exporter: error: MESSAGE`` and return the Exit to raise (exit code 2: usage)."""
    if state["debug"] and sys.exc_info()[0] is not None:
        traceback.print_exc()
    typer.echo(f"exporter: error: {message}", err=True)
    return typer.Exit(code)


def settings(flags: Mapping[str, Any]) -> Settings:
    """The config file in force plus the flags the user gave (None: not given), as Settings."""
    from exporter.options.build import load_settings

    try:
        return load_settings({k: v for k, v in flags.items() if v is not None})
    except ExporterError as exc:
        raise fail(str(exc)) from None
