"""``exporter convert``: flags to Settings (with the config file), then one batch or book run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exporter.cli.common import fail, settings
from exporter.errors import ExporterError

if TYPE_CHECKING:
    from exporter.batch.backend import Backend
    from exporter.options.settings import BatchOptions

EPILOG = """
[b]Examples[/b]

  exporter convert report.txt                      [dim]# output/report.docx, .pdf, .epub[/dim]

  exporter convert notice.txt -t pdf -p gongwen    [dim]# GB/T 9704 official-document PDF[/dim]

  exporter convert corpus/ -d out -j 4 --report r.json   [dim]# a folder tree, in parallel[/dim]

  exporter convert notes.txt --from markdown       [dim]# Markdown whatever the name[/dim]

  exporter convert a.txt b.txt -t epub -o book.epub [dim]# one EPUB, one part per input[/dim]

  cat x.txt | exporter convert - -t pdf -o - > x.pdf

Exit codes: 0 all converted, 1 some input failed, 2 usage error or unreadable input.
"""


# Each option is named as its config key and API argument (see exporter.options.build).
Inputs = Annotated[
    list[str],
    typer.Argument(help="Text or Markdown files, folders (recursive), or - for stdin."),
]
Formats = Annotated[
    list[str] | None,
    typer.Option(
        "-t", "--to", help="Formats: docx, pdf, epub (repeat or comma list; default all)."
    ),
]
OutDir = Annotated[
    str | None,
    typer.Option("-d", "--out-dir", help="Output folder or URL (default output/)."),
]
Output = Annotated[
    str | None,
    typer.Option("-o", "--output", help="Output file for one input and one format; - for stdout."),
]
Profile = Annotated[
    str | None,
    typer.Option(
        "-p",
        "--profile",
        help="Page profile: standard, gongwen (文件), gongwen-letter (信函), gongwen-order (命令) or gongwen-minutes (纪要).",
    ),
]
Meta = Annotated[
    list[str] | None,
    typer.Option("-M", "--meta", help="Metadata KEY=VALUE (title, author, date, …)."),
]
Fonts = Annotated[
    list[str] | None,
    typer.Option("--font", help="Font for a role: ROLE=PATH (file, file.ttc#N, or folder)."),
]
FallbackFonts = Annotated[
    list[str] | None,
    typer.Option("--fallback-font", help="Extra fallback font file (repeatable)."),
]
SystemFonts = Annotated[
    bool | None,
    typer.Option("--system-fonts/--no-system-fonts", help="Use system fonts as a last fallback."),
]
EmbedFonts = Annotated[
    bool | None,
    typer.Option(
        "--embed-fonts/--no-embed-fonts",
        help="Embed font subsets in EPUB and DOCX (default yes).",
    ),
]
Strict = Annotated[
    bool | None, typer.Option("--strict", help="Fail when a character no font covers is found.")
]
ChapterPages = Annotated[
    bool | None,
    typer.Option(
        "--chapter-pages/--no-chapter-pages",
        help="In PDF, open each chapter of a book on a new page (default yes).",
    ),
]
Toc = Annotated[
    bool | None,
    typer.Option(
        "--toc", help="Add a contents page (PDF) or TOC field (DOCX) when the text has none."
    ),
]
Jobs = Annotated[
    int | None, typer.Option("-j", "--jobs", help="Parallel processes (default: CPUs).")
]
Force = Annotated[bool, typer.Option("--force", help="Rebuild outputs even when up to date.")]
FailFast = Annotated[bool, typer.Option("--fail-fast", help="Stop at the first failure.")]
Glob = Annotated[
    str | None,
    typer.Option(
        "--glob", help="File patterns in folders, comma-separated (default *.txt,*.md,*.markdown)."
    ),
]
InputFormat = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Read inputs as markdown or text (default: .md/.markdown as Markdown, others as text).",
    ),
]
Report = Annotated[Path | None, typer.Option("--report", help="Write a JSON report here.")]
Encoding = Annotated[
    str | None, typer.Option("--encoding", help="Input encoding (default: detected).")
]
Pdfa = Annotated[
    str | None,
    typer.Option("--pdfa", help="PDF/A output: 2b, or 3b with the source and model inside."),
]
ReferenceDocx = Annotated[
    Path | None,
    typer.Option(
        "--reference-docx",
        help="DOCX whose styles, page setup, headers/footers and theme the DOCX keeps.",
    ),
]
Errors = Annotated[
    str | None, typer.Option("--errors", help="Undecodable bytes: strict (error) or replace.")
]
MaxSize = Annotated[
    int | None,
    typer.Option("--max-size", help="Largest input in bytes (default 32 MiB; 0: none)."),
]
Executor = Annotated[
    str | None,
    typer.Option(
        "--executor",
        help="process (local process pool, default) or dask (pip install exporter[dask]).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler tcp://HOST:8786 (default: a local cluster)."),
]
Workers = Annotated[
    int | None,
    typer.Option("--workers", help="Dask: local workers to start (default: CPUs), or to wait for."),
]
StorageOption = Annotated[
    list[str] | None,
    typer.Option("--storage-option", help="fsspec storage option KEY=VALUE for URLs (repeatable)."),
]
Quiet = Annotated[bool, typer.Option("-q", "--quiet", help="Print errors only.")]
Verbose = Annotated[bool, typer.Option("-v", "--verbose", help="Print warnings and timings.")]


def convert(
    inputs: Inputs,
    formats: Formats = None,
    out_dir: OutDir = None,
    output: Output = None,
    profile: Profile = None,
    meta: Meta = None,
    fonts: Fonts = None,
    fallback_fonts: FallbackFonts = None,
    system_fonts: SystemFonts = None,
    embed_fonts: EmbedFonts = None,
    strict: Strict = None,
    chapter_pages: ChapterPages = None,
    toc: Toc = None,
    pdfa: Pdfa = None,
    reference_docx: ReferenceDocx = None,
    jobs: Jobs = None,
    force: Force = False,
    fail_fast: FailFast = False,
    glob: Glob = None,
    input_format: InputFormat = None,
    report: Report = None,
    encoding: Encoding = None,
    errors: Errors = None,
    max_size: MaxSize = None,
    executor: Executor = None,
    scheduler: Scheduler = None,
    workers: Workers = None,
    storage_option: StorageOption = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Convert text and Markdown files to DOCX, PDF and EPUB."""
    flags = dict(locals())  # every parameter but these is an option of the same name
    for name in ("inputs", "quiet", "verbose", "executor", "scheduler", "workers"):
        del flags[name]
    del flags["storage_option"]
    # Flags without a --no- form: absent is "not given", so the config file can still set them.
    flags["force"], flags["fail_fast"] = force or None, fail_fast or None
    from exporter.batch.backend import local_name, make_backend

    try:
        backend = make_backend(executor, scheduler, workers, storage_option, out_dir)
    except ExporterError as exc:
        raise fail(str(exc)) from None
    if backend.out_url is not None:
        flags["out_dir"] = None  # a URL: the backend holds it (a Path would lose its "//")
    for key in ("out_dir", "output"):
        if flags[key] is not None:
            flags[key] = local_name(flags[key])  # file:// is the local file system
    given = settings(flags)
    from exporter.batch.dispatch import run
    from exporter.batch.plan import check_outputs

    try:  # before anything is written: -o, -d, --report and --glob can be used as given
        check_outputs(inputs, _checked(given.batch, backend), given.report)
    except ExporterError as exc:
        raise fail(str(exc)) from None
    from exporter.cli.progress import Reporter

    to_stdout = given.batch.output == "-"
    with Reporter(quiet=quiet, verbose=verbose, to_stdout=to_stdout) as reporter:
        try:
            result = run(inputs, given, reporter.done, reporter.expect, backend)
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
    if result.report_error:
        typer.echo(f"exporter: error: {result.report_error}", err=True)
    raise typer.Exit(result.exit_code)


def _checked(options: BatchOptions, backend: Backend) -> BatchOptions:
    """The options whose local paths check_outputs checks (not -d when it is a URL)."""
    if backend.out_url is None:
        return options
    from dataclasses import replace

    return replace(options, out_dir=Path.cwd())
