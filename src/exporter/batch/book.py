"""Several inputs bound into one file (``-o book.epub``) by a writer that binds books."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from exporter import diagnostics
from exporter.batch.atomic import atomic_output
from exporter.batch.plan import STDIN, expand_inputs
from exporter.batch.report import BatchReport, InputRecord, OutputRecord, Progress
from exporter.batch.worker import file_sha256
from exporter.errors import ExporterError
from exporter.model import Document
from exporter.options.settings import BatchOptions


def binds_a_book(inputs: Sequence[str], options: BatchOptions) -> bool:
    """Whether this run binds its inputs into one file: ``-o`` with several inputs or a folder."""
    if options.output is None:
        return False
    return len(inputs) > 1 or (len(inputs) == 1 and Path(inputs[0]).is_dir())


def book_error(options: BatchOptions) -> str:
    """Why the inputs cannot be bound into ``options.output`` ("" when they can)."""
    from exporter.writers import binds_books, get_writer

    try:
        binds = binds_books(get_writer(options.formats[0]))
    except ExporterError as exc:
        return str(exc)
    if options.output == STDIN or not binds:
        return "several inputs with -o are bound into one book: only with -t epub"
    return ""


def run_book(
    inputs: Sequence[str], options: BatchOptions, progress: Progress | None = None
) -> BatchReport:
    """Bind several inputs into one file: each input is a part of the book, in order."""
    start = time.perf_counter()
    assert options.output is not None
    records: list[InputRecord] = []
    docs: list[Document] = []
    with diagnostics.collect() as warnings:
        for inp, _root in expand_inputs(inputs, options.glob):
            rec = InputRecord(inp)
            records.append(rec)
            doc = _read(rec, options)
            if doc is not None:
                docs.append(doc)
        book = OutputRecord(options.formats[0], options.output, "failed")
        if docs and not any(r.status == "failed" for r in records):
            _bind(docs, options, book, records[0])
    if records:
        records[0].outputs.append(book)
        records[0].warnings = [w.to_json() for w in warnings]
    for rec in records:
        if progress:
            progress(rec)
    return BatchReport(records, time.perf_counter() - start)


def _read(rec: InputRecord, options: BatchOptions) -> Document | None:
    """One part of the book, read once; None (and the record failed) when it cannot be read."""
    from exporter.reader import load_bytes, read_bytes

    try:
        data = load_bytes(Path(rec.input), options.max_bytes)
        result = read_bytes(
            data,
            name=rec.input,
            encoding=options.encoding,
            errors=options.errors,
            max_bytes=options.max_bytes,
            input_format=options.input_format,
        )
    except ExporterError as exc:
        rec.fail(exc.stage, str(exc))
        return None
    rec.status = "converted"
    return result.document


def _bind(
    docs: list[Document], options: BatchOptions, book: OutputRecord, first: InputRecord
) -> None:
    """Write the book; its metadata is the first part's with the run's overrides applied."""
    from exporter.reader import apply_meta
    from exporter.writers import BookWriter, get_writer

    assert options.output is not None
    try:
        writer = get_writer(book.format)
        if not isinstance(writer, BookWriter):
            raise ExporterError(f"the {book.format} writer cannot bind several inputs")
        meta = apply_meta(docs[0].meta, dict(options.meta))
        target = Path(options.output)
        with atomic_output(target) as stream:
            writer.write_book(docs, options.write, stream, meta)
        book.status = "written"
        book.bytes, book.sha256 = target.stat().st_size, file_sha256(target)
    except ExporterError as exc:
        first.fail(exc.stage, f"{book.format}: {exc}")
