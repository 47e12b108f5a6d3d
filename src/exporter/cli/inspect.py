"""``exporter inspect``: print the document model (JSON) or its outline; honours the config file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exporter.cli.common import fail, settings
from exporter.errors import ExporterError

if TYPE_CHECKING:
    from exporter.model import Document
    from exporter.options.settings import ReadOptions


def inspect(
    file: Annotated[
        str, typer.Argument(help="A text or Markdown file (or - for stdin), or a document JSON.")
    ],
    out: Annotated[Path | None, typer.Option("-o", "--output", help="Write the JSON here.")] = None,
    outline_only: Annotated[
        bool, typer.Option("--outline", help="Print a readable outline instead of JSON.")
    ] = False,
    meta: Annotated[
        list[str] | None, typer.Option("-M", "--meta", help="Metadata KEY=VALUE.")
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Input encoding.")] = None,
    errors: Annotated[
        str | None, typer.Option("--errors", help="Undecodable bytes: strict (error) or replace.")
    ] = None,
    max_size: Annotated[
        int | None, typer.Option("--max-size", help="Largest input in bytes (0: none).")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--from", help="Read the input as markdown or text.")
    ] = None,
) -> None:
    """Print the document model (JSON) the writers get, or its outline."""
    from exporter.model.outline import outline
    from exporter.model.serialize import dumps

    read = settings(
        {
            "meta": meta,
            "encoding": encoding,
            "errors": errors,
            "max_size": max_size,
            "input_format": input_format,
        }
    ).read
    try:
        doc = _document(file, read)
    except ExporterError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror}") from None
    text = outline(doc) if outline_only else dumps(doc)
    if out is None:
        sys.stdout.write(text)
    else:
        from exporter.batch.atomic import atomic_write_bytes

        atomic_write_bytes(out, text.encode("utf-8"))


def _document(file: str, read: ReadOptions) -> Document:
    """The document of a text file, standard input (``-``) or a document JSON."""
    from exporter.model.serialize import loads
    from exporter.reader import read_bytes, read_limited, read_path

    if file.endswith(".json") and file != "-":
        return loads(Path(file).read_text("utf-8"))
    meta = dict(read.meta)
    if file == "-":
        data = read_limited(sys.stdin.buffer, read.max_bytes, "<stdin>")
        return read_bytes(
            data,
            name="<stdin>",
            encoding=read.encoding,
            errors=read.errors,
            meta=meta,
            max_bytes=read.max_bytes,
            input_format=read.input_format,
        ).document
    return read_path(
        file,
        encoding=read.encoding,
        errors=read.errors,
        meta=meta,
        max_bytes=read.max_bytes,
        input_format=read.input_format,
    ).document
