"""Progress output: a rich progress bar on a terminal, one plain line per file otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exporter.batch.report import InputRecord


class Reporter:
    """Receives each finished input; prints failures always, the rest unless quiet."""

    def __init__(self, quiet: bool = False, verbose: bool = False, to_stdout: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.tty = sys.stderr.isatty() and not quiet
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Reporter:
        if self.tty:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("converting", total=None)
        return self

    def expect(self, count: int) -> None:
        """The number of inputs the run found (the bar's total)."""
        if self._progress is not None:
            self._progress.update(self._task, total=count)

    def _print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)

    def done(self, rec: InputRecord) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)
        if rec.status == "failed":
            for err in rec.errors:
                self._print(f"FAIL {rec.input}: {err['stage']}: {err['message']}")
        elif not self.quiet and (self.verbose or not self.tty):
            outs = ", ".join(f"{o.path} ({o.status})" for o in rec.outputs)
            self._print(f"{'ok' if rec.status == 'converted' else 'same'}   {rec.input} -> {outs}")
        if not self.quiet:
            for w in rec.warnings:  # most messages name the input already
                message = str(w["message"])
                named = message.startswith(f"{rec.input}: ")
                self._print(f"warn {message}" if named else f"warn {rec.input}: {message}")
        if self.verbose and rec.timings:
            times = " ".join(f"{k}={v * 1000:.0f}ms" for k, v in rec.timings.items())
            self._print(f"time {rec.input}: {times}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
