"""``exporter archive``: one BagIt bag per input (or one for all) with source, model and outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exporter.cli.common import fail, settings
from exporter.errors import ExporterError


def archive(
    inputs: Annotated[list[Path], typer.Argument(help="Text or Markdown files.")],
    out_dir: Annotated[Path, typer.Option("-o", "--out-dir", help="Folder for the bags.")],
    bag: Annotated[
        str | None, typer.Option("--bag", help="Put every input into one bag of this name.")
    ] = None,
    pdfa: Annotated[
        str | None, typer.Option("--pdfa", help="PDF/A flavour of the PDF: 3b (default) or 2b.")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "-p",
            "--profile",
            help="standard, gongwen, gongwen-letter, gongwen-order or gongwen-minutes.",
        ),
    ] = None,
    meta: Annotated[
        list[str] | None, typer.Option("-M", "--meta", help="Metadata KEY=VALUE.")
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Input encoding.")] = None,
    errors: Annotated[
        str | None, typer.Option("--errors", help="Undecodable bytes: strict or replace.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--from", help="Read the inputs as markdown or text.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild bags that are up to date.")
    ] = False,
) -> None:
    """Package each input as a BagIt bag: source, model JSON, PDF/A, EPUB and DOCX."""
    from exporter.archive import Source, make_bag, remove_stray_bags
    from exporter.reader import load_bytes

    given = settings(
        {
            "pdfa": pdfa or "3b",
            "profile": profile,
            "meta": meta,
            "encoding": encoding,
            "errors": errors,
            "input_format": input_format,
        }
    )
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"-o {out_dir} is not a folder")
    if bag is not None and (not bag.strip() or Path(bag).name != bag or bag in (".", "..")):
        raise fail(f"--bag takes a folder name, got {bag!r}")
    stems = [p.stem for p in inputs]
    if bag is None and len(set(stems)) != len(stems):
        raise fail("two inputs have the same name: their bags would collide (use --bag)")
    read = given.read
    sources: list[Source] = []
    for path in inputs:
        try:
            sources.append(Source(path.name, load_bytes(path, read.max_bytes)))
        except ExporterError as exc:
            raise fail(str(exc)) from None
    remove_stray_bags(out_dir)
    jobs = (
        [(out_dir / bag, sources)]
        if bag
        else [(out_dir / s.stem, [src]) for s, src in zip(inputs, sources, strict=True)]
    )
    failed = 0
    for target, group in jobs:
        label = ", ".join(src.name for src in group)
        try:
            result = make_bag(target, group, given.write, read, force=force)
        except ExporterError as exc:
            failed += 1
            typer.echo(f"FAIL {label}: {exc}", err=True)
            continue
        word = "ok  " if result.status == "written" else "same"
        typer.echo(f"{word} {label} -> {result.path} ({result.status})", err=True)
    raise typer.Exit(1 if failed else 0)
