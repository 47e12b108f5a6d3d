"""One conversion run as the CLI and the API start it: one book or a batch, then the report file."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from exporter.batch.book import binds_a_book, book_error, run_book
from exporter.batch.execute import run_batch
from exporter.batch.report import BatchReport, Progress
from exporter.options.settings import Settings


def run(
    inputs: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    planned: Callable[[int], None] | None = None,
) -> BatchReport:
    """Convert ``inputs`` as ``settings`` say; writes the JSON report when ``settings.report`` is set."""
    options = settings.batch
    if binds_a_book(inputs, options):
        error = book_error(options)
        if error:
            return BatchReport([], 0.0, usage_error=error)
        result = run_book(inputs, options, progress)
    else:
        result = run_batch(inputs, options, progress, planned=planned)
    if settings.report is not None and not result.usage_error:
        result.save(settings.report)
    return result
