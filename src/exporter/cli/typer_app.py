"""The typer app: global options, the commands, and the console-script entry point with its exit codes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from exporter import __version__
from exporter.cli.archive import archive
from exporter.cli.coerce import Command, Group
from exporter.cli.common import state
from exporter.cli.convert import EPILOG, convert
from exporter.cli.deferred import defer_unused_rich
from exporter.cli.extract import extract
from exporter.cli.fonts_command import fonts
from exporter.cli.formats import formats
from exporter.cli.inspect import inspect
from exporter.cli.template import template
from exporter.errors import ExporterError

if TYPE_CHECKING:
    from exporter.diagnostics import Diagnostic

try:
    from typer._click.exceptions import ClickException
except ImportError:  # older typer uses click itself
    from click import ClickException  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]

defer_unused_rich()


class ExporterGroup(Group):
    """The command group; a command's warnings that no conversion collects are printed."""

    def invoke(self, ctx: Any) -> Any:
        from exporter import diagnostics

        with diagnostics.forward(_print_warning):
            return super().invoke(ctx)


def _print_warning(diag: Diagnostic) -> None:
    typer.echo(f"exporter: warning: {diag.message}", err=True)


app = typer.Typer(
    name="exporter",
    help="Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=ExporterGroup,
)


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
    state["debug"] = debug


app.command(epilog=EPILOG, cls=Command)(convert)
app.command(cls=Command)(inspect)
app.command(cls=Command)(formats)
app.command(cls=Command)(fonts)
app.command(cls=Command)(extract)
app.command(cls=Command)(archive)
app.command(cls=Command)(template)


def main() -> None:
    """Console-script entry point: one clear line for errors, never a traceback (unless --debug)."""
    import gc

    from exporter.batch.signals import exit_on_sigterm

    # A cold run allocates mostly long-lived objects (modules, font tables): collecting the
    # youngest generation every 50,000 allocations instead of 700 saves ~15 ms of a PDF run
    # and still bounds the garbage of a long batch.
    gc.set_threshold(50_000, 10, 10)
    exit_on_sigterm()
    try:
        _exit(app(args=_debug_first(sys.argv[1:]), standalone_mode=False))
    except SystemExit as exc:
        _exit(exc.code)
    except ClickException as exc:
        _usage_error(exc)
    except ExporterError as exc:
        typer.echo(f"exporter: error: {exc}", err=True)
        _exit(2)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("exporter: interrupted", err=True)
        _exit(130)
    except Exception as exc:  # last resort: a bug, reported in one line
        if "--debug" in sys.argv:
            raise
        typer.echo(
            f"exporter: internal error: {type(exc).__name__}: {exc} (run with --debug)", err=True
        )
        _exit(3)
    _exit(0)


def _debug_first(args: list[str]) -> list[str]:
    """``args`` with ``--debug`` moved to the front, so it works after the command too (it is
    taken anywhere before a ``--``, which ends the options)."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args
    return ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]


def _usage_error(exc: ClickException) -> None:
    """Print a command-line error as one line, plus one hint line naming the help; exit 2."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # the help itself is printed already
        _exit(exc.exit_code)
    message = " ".join(exc.format_message().split())
    typer.echo(f"exporter: error: {message}", err=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:  # a usage error: its command's help
        typer.echo(f"Try '{ctx.command_path} --help'.", err=True)
    _exit(exc.exit_code)


def _exit(code: object) -> None:
    """End the process with ``code`` (as ``sys.exit`` reads it), skipping the interpreter's teardown.

    Freeing the loaded fonts, layout tables and modules one object at a time takes about 40 ms,
    more than a tenth of a cold conversion. Everything the command wrote is flushed and the
    atexit handlers run first; if the flush fails (a closed pipe), Python's own exit handles it.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        sys.exit(status)
    import atexit
    import os

    atexit._run_exitfuncs()
    os._exit(status)
