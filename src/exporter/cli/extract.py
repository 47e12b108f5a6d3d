"""``exporter extract``: take the source file and the model JSON back out of a PDF/A-3b."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exporter.cli.common import fail
from exporter.errors import ExporterError


def extract(
    file: Annotated[Path, typer.Argument(help="A PDF written with --pdfa 3b.")],
    out_dir: Annotated[
        Path, typer.Option("-o", "--out-dir", help="Folder to write the files into.")
    ] = Path("."),
) -> None:
    """Write the files a PDF/A-3b carries (its source text, the document model JSON) to a folder."""
    from exporter.batch.atomic import atomic_write_bytes
    from exporter.writers.pdf.pdfa import associated_files

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        files = associated_files(data)
    except ExporterError as exc:
        raise fail(f"{file}: {exc}") from None
    if not files:
        raise fail(f"{file} carries no associated files (write it with --pdfa 3b)", 1)
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"-o {out_dir} is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in files:
        name = Path(item.name).name  # a name from the file is data: never a path out of DIR
        if name in ("", ".", ".."):
            raise fail(f"{file}: an associated file has no usable name ({item.name!r})", 1)
        try:
            atomic_write_bytes(out_dir / name, item.data)
        except (OSError, ExporterError) as exc:
            raise fail(f"cannot write {out_dir / name}: {exc}", 1) from None
        typer.echo(f"{item.relationship}\t{item.mime}\t{out_dir / name}")
