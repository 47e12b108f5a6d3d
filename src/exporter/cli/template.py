"""``exporter template docx -o ref.docx``: write the default reference DOCX for a clerk to restyle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exporter.cli.common import fail


def template(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="The template's format: docx.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write it (e.g. ref.docx).")
    ],
    profile: Annotated[
        str, typer.Option("-p", "--profile", help="Page profile: standard or gongwen.")
    ] = "standard",
) -> None:
    """Write the default reference DOCX (every exporter style, page setup, footers): restyle it
    in Word or WPS and pass it back with --reference-docx."""
    from exporter.batch.atomic import atomic_output
    from exporter.errors import ExporterError
    from exporter.options import get_profile
    from exporter.writers.docx.template import default_template

    if fmt.lower() != "docx":
        raise fail(f"no template for {fmt!r}: only docx has one")
    try:
        chosen = get_profile(profile)
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None
    try:
        with atomic_output(output) as stream:
            stream.write(default_template(chosen))
    except (ExporterError, OSError) as exc:
        raise fail(f"cannot write {output}: {exc}", 1) from None
    typer.echo(f"wrote {output}", err=True)
