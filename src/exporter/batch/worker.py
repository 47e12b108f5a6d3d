"""The work on one input (in a worker process or inline): read it once, hash it, rebuild what is stale."""

from __future__ import annotations

import hashlib
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from exporter import diagnostics
from exporter.batch.atomic import atomic_output, is_stream, write_through
from exporter.batch.backend import is_url
from exporter.batch.manifest import input_keys
from exporter.batch.plan import STDIN, Target, Task
from exporter.batch.report import InputRecord, OutputRecord
from exporter.errors import ExporterError, InputError
from exporter.options import WriteOptions
from exporter.reader import ReadResult, check_size, load_bytes, read_bytes
from exporter.writers._provenance import source_file


@dataclass
class Done:
    """A finished task: the input's record and, per output path written, its manifest key."""

    record: InputRecord
    keys: dict[str, str] = field(default_factory=dict)
    #: per output URL written, the object's stamp (its ETag or time) for the remote manifest
    stamps: dict[str, str] = field(default_factory=dict)


def convert_task(task: Task) -> Done:
    """Read one input and write its stale outputs; never raises for a bad input (the record says why).

    The bytes read here are the ones hashed for the manifest and the ones converted.
    """
    opts = task.options
    try:
        if task.data is None and is_url(task.input):
            from exporter.batch.storage import read_url

            data = read_url(task.input, opts.max_bytes, task.storage_options)
        elif task.data is None:
            data = load_bytes(Path(task.input), opts.max_bytes)
        else:  # standard input, read up to one byte over the limit: refused before any hashing
            data = task.data
            check_size(data, opts.max_bytes, task.input)
    except InputError as exc:
        return Done(InputRecord(task.input).fail("read", str(exc)))
    keys = input_keys(data, opts)
    rec = InputRecord(task.input)
    stale: list[Target] = []
    for target in task.targets:
        entry, key = target.entry, keys[target.format]
        # a URL's entry was checked against the store's listing when the run was planned
        if entry is not None and (
            entry.key == key if is_url(target.path) else entry.fresh(Path(target.path), key)
        ):
            rec.outputs.append(
                OutputRecord(target.format, target.path, "unchanged", entry.bytes, entry.sha256)
            )
        else:
            stale.append(target)
    if not stale:
        rec.status = "unchanged"
        return Done(rec)
    font_warnings = _preload_fonts(opts.write, [t.format for t in stale])
    stamps: dict[str, str] = {}
    with diagnostics.collect() as warnings:
        _convert(rec, data, stale, task, stamps)
    warnings += [w for w in font_warnings if w not in warnings]
    rec.warnings = [w.to_json() for w in warnings]
    return Done(rec, {t.path: keys[t.format] for t in stale if t.path != STDIN}, stamps)


def _convert(
    rec: InputRecord, data: bytes, stale: list[Target], task: Task, stamps: dict[str, str]
) -> None:
    opts = task.options
    t0 = time.perf_counter()
    try:
        result = read_bytes(
            data,
            name=task.input,
            encoding=opts.encoding,
            errors=opts.errors,
            meta=dict(opts.meta),
            max_bytes=opts.max_bytes,
            input_format=opts.input_format,
        )
    except ExporterError as exc:
        rec.fail(exc.stage, str(exc))
        rec.outputs += [OutputRecord(t.format, t.path, "failed") for t in stale]
        return
    rec.timings["read"] = time.perf_counter() - t0
    for target in stale:
        out = OutputRecord(target.format, target.path)
        rec.outputs.append(out)
        t1 = time.perf_counter()
        try:
            # a PDF/A-3b embeds the source's bytes as they were read (ISO 19005-3 §6.8)
            with source_file("stdin.txt" if task.input == STDIN else task.input, data):
                if is_url(target.path):
                    stamps[target.path] = _put(result, target, task, out)
                else:
                    _write(result, target, opts.write, out)
            out.status = "written"
        except ExporterError as exc:
            out.status = "failed"
            rec.errors.append({"stage": exc.stage, "message": f"{target.format}: {exc}"})
        except Exception as exc:  # a writer bug must not kill the batch
            out.status = "failed"
            message = f"{target.format}: internal error: {type(exc).__name__}: {exc}"
            rec.errors.append({"stage": "write", "message": message})
        rec.timings[target.format] = time.perf_counter() - t1
    rec.status = "failed" if rec.errors else "converted"


def _write(result: ReadResult, target: Target, options: WriteOptions, out: OutputRecord) -> None:
    """Write one output atomically (or to standard output) and note its size and hash."""
    from exporter.writers import get_writer, needs_fonts

    writer = get_writer(target.format)
    if needs_fonts(writer):
        from exporter.fonts import report_uncovered

        report_uncovered(result.document, options, result.source_text)
    path = Path(target.path)
    if target.path == STDIN or is_stream(path):
        buf = io.BytesIO()
        writer.write(result.document, options, buf)
        payload = buf.getvalue()
        if target.path == STDIN:
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        else:
            write_through(path, payload)
        out.bytes, out.sha256 = len(payload), hashlib.sha256(payload).hexdigest()
        return
    with atomic_output(path) as stream:
        writer.write(result.document, options, stream)
    out.bytes, out.sha256 = path.stat().st_size, file_sha256(path)


def _put(result: ReadResult, target: Target, task: Task, out: OutputRecord) -> str:
    """Write one output to its URL: the bytes made in memory, then stored in one request (so the
    object is complete or absent); returns the object's stamp."""
    from exporter.batch.storage import write_url
    from exporter.writers import get_writer, needs_fonts

    writer = get_writer(target.format)
    if needs_fonts(writer):
        from exporter.fonts import report_uncovered

        report_uncovered(result.document, task.options.write, result.source_text)
    buf = io.BytesIO()
    writer.write(result.document, task.options.write, buf)
    payload = buf.getvalue()
    out.bytes, out.sha256 = len(payload), hashlib.sha256(payload).hexdigest()
    return write_url(target.path, payload, task.storage_options)


#: Warnings about the fonts themselves (a stand-in for a profile's font), by the options'
#: fingerprint: the fonts load once per process, and every document typeset with them gets them.
_font_warnings: dict[str, tuple[diagnostics.Diagnostic, ...]] = {}


def _preload_fonts(options: WriteOptions, formats: list[str]) -> tuple[diagnostics.Diagnostic, ...]:
    """Load the fonts (cached per process) before the first conversion that needs them; returns
    the fonts' warnings, which belong to each document using them, not only to whichever input
    happened to load them first (nor to the worker process, which would print them once each).
    """
    from exporter.writers import get_writer, needs_fonts

    try:
        if not any(needs_fonts(get_writer(fmt)) for fmt in formats):
            return ()
        from exporter.fonts import fontset_for

        key = options.fingerprint()
        with diagnostics.collect() as found:
            fontset_for(options)
        _font_warnings[key] = (*_font_warnings.get(key, ()), *found)
        return _font_warnings[key]
    except Exception:  # a font or writer problem is reported per input by the conversion itself
        return ()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB chunks ("" for a device or FIFO: never read back)."""
    if is_stream(path):
        return ""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
