"""``exporter fonts``: flags to Settings (with the config file); the listing is in cli/fonts.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from exporter.cli.common import fail, settings
from exporter.errors import ExporterError


def fonts(
    check: Annotated[
        Path | None,
        typer.Option("--check", help="List the characters of FILE that no font covers."),
    ] = None,
    profile: Annotated[str | None, typer.Option("-p", "--profile", help="Page profile.")] = None,
    fonts: Annotated[list[str] | None, typer.Option("--font", help="ROLE=PATH override.")] = None,
    fallback_fonts: Annotated[
        list[str] | None, typer.Option("--fallback-font", help="Extra fallback font file.")
    ] = None,
    system_fonts: Annotated[
        bool | None, typer.Option("--system-fonts/--no-system-fonts", help="Use system fonts.")
    ] = None,
) -> None:
    """List font roles, resolved files, licences and coverage; or check a document's coverage."""
    from exporter.cli.fonts import fonts_command

    write = settings(
        {
            "profile": profile,
            "fonts": fonts,
            "fallback_fonts": fallback_fonts,
            "system_fonts": system_fonts,
        }
    ).write
    try:
        code = fonts_command(write, check, sys.stdout)
    except ExporterError as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code)
