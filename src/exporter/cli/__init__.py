"""The typer command line: argument parsing only; the work happens in reader, batch and writers."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import typer

from exporter import __version__
from exporter.errors import ExporterError

app = typer.Typer(
    name="exporter",
    help="Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

_state = {"debug": False}


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"exporter: error: {message}", err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exporter {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3."""
    _state["debug"] = debug


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise _fail(f"{what} expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _formats(values: list[str] | None, config: dict[str, Any]) -> tuple[str, ...]:
    raw: list[str] = []
    if values:
        raw = values
    elif "formats" in config:
        cfg = config["formats"]
        raw = [cfg] if isinstance(cfg, str) else list(cfg)
    if not raw:
        return ("docx", "pdf", "epub")
    out: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip().lower()
            if part and part not in out:
                out.append(part)
    return tuple(out)


def _write_options(
    profile: str | None,
    fonts: list[str] | None,
    fallback: list[str] | None,
    system_fonts: bool | None,
    embed_fonts: bool | None,
    strict: bool | None,
    config: dict[str, Any],
) -> Any:
    from exporter.options import ROLES, WriteOptions, get_profile

    try:
        prof = get_profile(profile or config.get("profile", "standard"))
    except KeyError as exc:
        raise _fail(str(exc.args[0])) from None
    font_map = {str(k): str(v) for k, v in config.get("fonts", {}).items()}
    font_map.update(_pairs(fonts, "--font"))
    extra_fallbacks = [font_map.pop("fallback")] if "fallback" in font_map else []
    for role in font_map:
        if role not in ROLES:
            raise _fail(f"--font: unknown role {role!r} (roles: {', '.join(ROLES)}, fallback)")
    return WriteOptions(
        profile=prof,
        fonts=MappingProxyType(font_map),
        fallback_fonts=tuple(list(fallback or config.get("fallback_fonts", ())) + extra_fallbacks),
        system_fonts=system_fonts if system_fonts is not None else config.get("system_fonts", True),
        embed_fonts=embed_fonts if embed_fonts is not None else config.get("embed_fonts", True),
        strict=strict if strict is not None else config.get("strict", False),
    )


def _load_config() -> dict[str, Any]:
    from exporter.options.config import load_config

    try:
        return load_config()[0]
    except ExporterError as exc:
        raise _fail(str(exc)) from None


_CONVERT_EPILOG = """
[b]Examples[/b]

  exporter convert report.txt                      [dim]# output/report.docx, .pdf, .epub[/dim]

  exporter convert notice.txt -t pdf -p gongwen    [dim]# GB/T 9704 official-document PDF[/dim]

  exporter convert corpus/ -d out -j 4 --report r.json   [dim]# a folder tree, in parallel[/dim]

  exporter convert a.txt b.txt -t epub -o book.epub [dim]# one EPUB, one part per input[/dim]

  cat x.txt | exporter convert - -t pdf -o - > x.pdf

Exit codes: 0 all converted, 1 some input failed, 2 usage error or unreadable input.
"""


@app.command(epilog=_CONVERT_EPILOG)
def convert(
    inputs: Annotated[
        list[str], typer.Argument(help="Text files, folders (recursive), or - for stdin.")
    ],
    to: Annotated[
        list[str] | None,
        typer.Option(
            "-t", "--to", help="Formats: docx, pdf, epub (repeat or comma list; default all)."
        ),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("-d", "--out-dir", help="Output folder (default output/).")
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", help="Output file for one input and one format; - for stdout."
        ),
    ] = None,
    profile: Annotated[
        str | None, typer.Option("-p", "--profile", help="Page profile: standard or gongwen.")
    ] = None,
    meta: Annotated[
        list[str] | None,
        typer.Option("-M", "--meta", help="Metadata KEY=VALUE (title, author, date, …)."),
    ] = None,
    font: Annotated[
        list[str] | None,
        typer.Option("--font", help="Font for a role: ROLE=PATH (file, file.ttc#N, or folder)."),
    ] = None,
    fallback_font: Annotated[
        list[str] | None,
        typer.Option("--fallback-font", help="Extra fallback font file (repeatable)."),
    ] = None,
    system_fonts: Annotated[
        bool | None,
        typer.Option(
            "--system-fonts/--no-system-fonts", help="Use system fonts as a last fallback."
        ),
    ] = None,
    embed_fonts: Annotated[
        bool | None,
        typer.Option(
            "--embed-fonts/--no-embed-fonts", help="Embed font subsets in EPUB (default yes)."
        ),
    ] = None,
    strict: Annotated[
        bool | None, typer.Option("--strict", help="Fail when a character no font covers is found.")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", help="Parallel processes (default: CPUs).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild outputs even when up to date.")
    ] = False,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop at the first failure.")
    ] = False,
    glob: Annotated[
        str | None, typer.Option("--glob", help="File pattern in folders (default *.txt).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON report here.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Input encoding (default: detected).")
    ] = None,
    errors: Annotated[
        str | None, typer.Option("--errors", help="Undecodable bytes: strict (error) or replace.")
    ] = None,
    max_size: Annotated[
        int | None,
        typer.Option("--max-size", help="Largest input in bytes (default 32 MiB; 0: none)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print errors only.")] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Print warnings and timings.")
    ] = False,
) -> None:
    """Convert text files to DOCX, PDF and EPUB."""
    from exporter.batch import BatchOptions, run_batch, run_book
    from exporter.reader import DEFAULT_MAX_BYTES, parse_meta_overrides
    from exporter.writers import format_for_path

    config = _load_config()
    formats = _formats(to, config)
    if output and output != "-" and not to and "formats" not in config:
        inferred = format_for_path(output)
        if inferred is None:
            raise _fail(f"cannot tell the format of {output!r}: pass -t")
        formats = (inferred,)
    book = False
    if output is not None:
        if len(formats) != 1:
            raise _fail("-o/--output takes one format: pass -t with a single format")
        if len(inputs) > 1 or (inputs and Path(inputs[0]).is_dir()):
            if formats[0] != "epub" or output == "-":
                raise _fail("several inputs with -o are bound into one book: only with -t epub")
            book = True
    try:
        meta_pairs = parse_meta_overrides(meta or [])
        meta_pairs = {**{k: str(v) for k, v in config.get("meta", {}).items()}, **meta_pairs}
        parse_meta_overrides([f"{k}={v}" for k, v in meta_pairs.items()])
    except ExporterError as exc:
        raise _fail(str(exc)) from None
    err_mode = errors or config.get("errors", "strict")
    if err_mode not in ("strict", "replace"):
        raise _fail("--errors must be strict or replace")
    options = BatchOptions(
        formats=formats,
        out_dir=out_dir or Path(config.get("out_dir", "output")),
        output=output,
        write=_write_options(
            profile, font, fallback_font, system_fonts, embed_fonts, strict, config
        ),
        meta=tuple(sorted(meta_pairs.items())),
        encoding=encoding or config.get("encoding"),
        errors=err_mode,
        max_bytes=max_size if max_size is not None else config.get("max_size", DEFAULT_MAX_BYTES),
        jobs=jobs if jobs is not None else config.get("jobs", 0),
        force=force,
        fail_fast=fail_fast,
        glob=glob or config.get("glob", "*.txt"),
    )
    from exporter.cli.progress import Reporter

    with Reporter(quiet=quiet, verbose=verbose, to_stdout=output == "-") as reporter:
        try:
            if book:
                result = run_book(inputs, options, reporter.done)
            else:
                reporter.expect(inputs, options.glob)
                result = run_batch(inputs, options, reporter.done)
        except ExporterError as exc:
            if _state["debug"]:
                traceback.print_exc()
            raise _fail(str(exc)) from None
    if result.usage_error:
        raise _fail(result.usage_error)
    if report is not None:
        from exporter.batch.atomic import atomic_write_bytes

        atomic_write_bytes(
            report, (json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
        )
    if not quiet and output != "-":
        t = result.totals()
        typer.echo(
            f"{t['converted']} converted, {t['unchanged']} unchanged, {t['failed']} failed "
            f"({t['outputs_written']} files written) in {t['seconds']:.2f} s",
            err=True,
        )
    raise typer.Exit(result.exit_code)


@app.command()
def inspect(
    file: Annotated[str, typer.Argument(help="A text file (or - for stdin), or a document JSON.")],
    out: Annotated[Path | None, typer.Option("-o", "--output", help="Write the JSON here.")] = None,
    outline_only: Annotated[
        bool, typer.Option("--outline", help="Print a readable outline instead of JSON.")
    ] = False,
    meta: Annotated[
        list[str] | None, typer.Option("-M", "--meta", help="Metadata KEY=VALUE.")
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Input encoding.")] = None,
    errors: Annotated[str, typer.Option("--errors", help="strict or replace.")] = "strict",
    max_size: Annotated[
        int | None, typer.Option("--max-size", help="Largest input in bytes (0: none).")
    ] = None,
) -> None:
    """Print the document model (JSON) the writers get, or its outline."""
    from exporter.model.outline import outline
    from exporter.model.serialize import dumps, loads
    from exporter.reader import DEFAULT_MAX_BYTES, parse_meta_overrides, read_bytes, read_path

    try:
        overrides = parse_meta_overrides(meta or [])
        limit = DEFAULT_MAX_BYTES if max_size is None else max_size
        if file == "-":
            result = read_bytes(
                sys.stdin.buffer.read(),
                name="<stdin>",
                encoding=encoding,
                errors=errors,
                meta=overrides,
                max_bytes=limit,
            )
            doc = result.document
        elif file.endswith(".json"):
            doc = loads(Path(file).read_text("utf-8"))
        else:
            doc = read_path(
                file, encoding=encoding, errors=errors, meta=overrides, max_bytes=limit
            ).document
    except ExporterError as exc:
        if _state["debug"]:
            traceback.print_exc()
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{file}: {exc.strerror}") from None
    text = outline(doc) if outline_only else dumps(doc)
    if out is None:
        sys.stdout.write(text)
    else:
        from exporter.batch.atomic import atomic_write_bytes

        atomic_write_bytes(out, text.encode("utf-8"))


@app.command()
def formats() -> None:
    """List the registered writers (built-in and plug-in)."""
    from exporter.writers import available

    broken = 0
    for info in available():
        origin = "built-in" if info.builtin else "plug-in"
        if info.error:
            broken += 1
            typer.echo(f"{info.name:8} {origin:9} BROKEN: {info.error}")
        else:
            typer.echo(f"{info.name:8} {origin:9} {info.target}")
    raise typer.Exit(0)


@app.command()
def fonts(
    check: Annotated[
        Path | None,
        typer.Option("--check", help="List the characters of FILE that no font covers."),
    ] = None,
    profile: Annotated[str | None, typer.Option("-p", "--profile", help="Page profile.")] = None,
    font: Annotated[list[str] | None, typer.Option("--font", help="ROLE=PATH override.")] = None,
    fallback_font: Annotated[
        list[str] | None, typer.Option("--fallback-font", help="Extra fallback font file.")
    ] = None,
    system_fonts: Annotated[
        bool | None, typer.Option("--system-fonts/--no-system-fonts", help="Use system fonts.")
    ] = None,
) -> None:
    """List font roles, resolved files, licences and coverage; or check a document's coverage."""
    from exporter.cli.fonts import fonts_command

    options = _write_options(profile, font, fallback_font, system_fonts, None, None, _load_config())
    try:
        code = fonts_command(options, check, sys.stdout)
    except ExporterError as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point: one clear line for errors, never a traceback (unless --debug)."""
    from exporter.batch import exit_on_sigterm

    exit_on_sigterm()
    try:
        app()
    except ExporterError as exc:
        typer.echo(f"exporter: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("exporter: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # last resort: a bug, reported in one line
        if "--debug" in sys.argv:
            raise
        typer.echo(
            f"exporter: internal error: {type(exc).__name__}: {exc} (run with --debug)", err=True
        )
        sys.exit(3)
