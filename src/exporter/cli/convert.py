"""``exporter convert``: flags to Settings (with the config file), then one batch or book run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exporter.cli.common import fail, settings
from exporter.errors import ExporterError

EPILOG = """
[b]Examples[/b]

  exporter convert report.txt                      [dim]# output/report.docx, .pdf, .epub[/dim]

  exporter convert notice.txt -t pdf -p gongwen    [dim]# GB/T 9704 official-document PDF[/dim]

  exporter convert corpus/ -d out -j 4 --report r.json   [dim]# a folder tree, in parallel[/dim]

  exporter convert a.txt b.txt -t epub -o book.epub [dim]# one EPUB, one part per input[/dim]

  cat x.txt | exporter convert - -t pdf -o - > x.pdf

Exit codes: 0 all converted, 1 some input failed, 2 usage error or unreadable input.
"""


# The parameters are named as the config keys and the API's arguments (see options.build).
def convert(
    inputs: Annotated[
        list[str], typer.Argument(help="Text files, folders (recursive), or - for stdin.")
    ],
    formats: Annotated[
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
    fonts: Annotated[
        list[str] | None,
        typer.Option("--font", help="Font for a role: ROLE=PATH (file, file.ttc#N, or folder)."),
    ] = None,
    fallback_fonts: Annotated[
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
    given = settings(
        {
            "formats": formats,
            "out_dir": out_dir,
            "output": output,
            "profile": profile,
            "meta": meta,
            "fonts": fonts,
            "fallback_fonts": fallback_fonts,
            "system_fonts": system_fonts,
            "embed_fonts": embed_fonts,
            "strict": strict,
            "jobs": jobs,
            "force": force or None,  # a flag without a --no- form: absent is "not given"
            "fail_fast": fail_fast or None,
            "glob": glob,
            "report": report,
            "encoding": encoding,
            "errors": errors,
            "max_size": max_size,
        }
    )
    from exporter.batch.dispatch import run
    from exporter.cli.progress import Reporter

    to_stdout = given.batch.output == "-"
    with Reporter(quiet=quiet, verbose=verbose, to_stdout=to_stdout) as reporter:
        try:
            result = run(inputs, given, reporter.done, reporter.expect)
        except ExporterError as exc:
            raise fail(str(exc)) from None
    if result.usage_error:
        raise fail(result.usage_error)
    if not quiet and not to_stdout:
        t = result.totals()
        typer.echo(
            f"{t['converted']} converted, {t['unchanged']} unchanged, {t['failed']} failed "
            f"({t['outputs_written']} files written) in {t['seconds']:.2f} s",
            err=True,
        )
    raise typer.Exit(result.exit_code)
