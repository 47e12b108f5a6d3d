"""One conversion run as the CLI and the API start it: one book or a batch, then the report file."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from exporter.batch.backend import Backend, is_url
from exporter.batch.book import binds_a_book, book_error, run_book
from exporter.batch.execute import run_batch
from exporter.batch.report import BatchReport, Progress
from exporter.errors import WriterError
from exporter.options.settings import Settings


def run(
    inputs: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    planned: Callable[[int], None] | None = None,
    backend: Backend | None = None,
) -> BatchReport:
    """Convert ``inputs`` as ``settings`` say (where ``backend`` says); writes the JSON report
    when ``settings.report`` is set."""
    options = settings.batch
    if binds_a_book(inputs, options):
        error = book_error(options)
        remote = any(is_url(i) for i in (*inputs, options.output or ""))
        if not error and (remote or (backend is not None and backend.executor == "dask")):
            error = "binding a book (-o with several inputs) runs here, on local files only"
        if error:
            return BatchReport([], 0.0, usage_error=error)
        result = run_book(inputs, options, progress)
    else:
        result = run_batch(inputs, options, progress, None, planned, backend)
    if settings.report is not None and not result.usage_error:
        try:
            result.save(settings.report)
        except WriterError as exc:  # the outputs are written: the run is exit 1, not a crash
            result.report_error = str(exc)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            result.report_error = f"cannot write {settings.report}: {reason}"
    return result
