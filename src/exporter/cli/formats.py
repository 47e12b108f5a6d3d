"""``exporter formats``: list the registered writers, built-in and plug-in."""

from __future__ import annotations

import typer


def formats() -> None:
    """List the registered writers (built-in and plug-in)."""
    from exporter.writers import available

    for info in available():
        origin = "built-in" if info.builtin else "plug-in"
        if info.error:
            typer.echo(f"{info.name:8} {origin:9} BROKEN: {info.error}")
        else:
            typer.echo(f"{info.name:8} {origin:9} {info.target}")
    raise typer.Exit(0)
