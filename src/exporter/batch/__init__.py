"""Batch conversion: many inputs -> many outputs, in parallel, incremental, atomic, reported."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter import __version__, diagnostics
from exporter.batch.atomic import atomic_output, atomic_write_bytes, remove_stray_temporaries
from exporter.errors import ExporterError, InputError
from exporter.options import WriteOptions
from exporter.reader import DEFAULT_MAX_BYTES, load_bytes, read_bytes

MANIFEST_NAME = ".exporter-manifest.json"
REPORT_SCHEMA = "exporter.report/1"
STDIN = "-"


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Everything a batch run needs; the CLI, the config file and the API all build one of these."""

    formats: tuple[str, ...] = ("docx", "pdf", "epub")
    out_dir: Path = Path("output")
    output: str | None = None  # one input, one format: this path, or "-" for standard output
    write: WriteOptions = field(default_factory=WriteOptions)
    meta: tuple[tuple[str, str], ...] = ()
    encoding: str | None = None
    errors: str = "strict"
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 0  # 0: one per CPU
    force: bool = False
    fail_fast: bool = False
    glob: str = "*.txt"

    def fingerprint(self, fmt: str) -> str:
        """What, besides the input bytes, decides an output's bytes."""
        meta = ",".join(f"{k}={v}" for k, v in self.meta)
        return (
            f"{__version__}|{fmt}|{self.write.fingerprint()}|{meta}|{self.encoding}|{self.errors}"
        )


@dataclass
class OutputRecord:
    """One output of one input."""

    format: str
    path: str
    status: str = "pending"  # written | unchanged | failed
    bytes: int = 0
    sha256: str = ""


@dataclass
class InputRecord:
    """What happened to one input."""

    input: str
    status: str = "pending"  # converted | unchanged | failed
    outputs: list[OutputRecord] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": self.status,
            "outputs": [o.__dict__ for o in self.outputs],
            "warnings": self.warnings,
            "errors": self.errors,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


@dataclass
class BatchReport:
    """The whole run: per input records and totals; ``exit_code`` follows the CLI's rules."""

    records: list[InputRecord]
    seconds: float
    usage_error: str = ""

    @property
    def failed(self) -> list[InputRecord]:
        return [r for r in self.records if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        if self.usage_error:
            return 2
        if not self.failed:
            return 0
        # A single input that cannot be read at all is exit 2; failures in a batch are exit 1.
        if len(self.records) == 1 and self.failed[0].errors[0]["stage"] == "read":
            return 2
        return 1

    def totals(self) -> dict[str, Any]:
        outs = [o for r in self.records for o in r.outputs]
        return {
            "inputs": len(self.records),
            "converted": sum(r.status == "converted" for r in self.records),
            "unchanged": sum(r.status == "unchanged" for r in self.records),
            "failed": len(self.failed),
            "outputs_written": sum(o.status == "written" for o in outs),
            "outputs_unchanged": sum(o.status == "unchanged" for o in outs),
            "bytes": sum(o.bytes for o in outs if o.status in ("written", "unchanged")),
            "warnings": sum(len(r.warnings) for r in self.records),
            "seconds": round(self.seconds, 3),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "exporter": __version__,
            "exit_code": self.exit_code,
            "inputs": [r.to_json() for r in self.records],
            "totals": self.totals(),
        }


# --- planning ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    """One input and the outputs to (re)build from it; sent to a worker process."""

    input: str
    data: bytes | None  # standard input's bytes; files are read by the worker
    targets: tuple[tuple[str, str], ...]  # (format, path or "-")
    options: BatchOptions


def expand_inputs(inputs: Sequence[str], pattern: str) -> list[tuple[str, Path | None]]:
    """(input, root folder or None) for files, folders (recursive ``pattern``) and ``-``."""
    found: list[tuple[str, Path | None]] = []
    for item in inputs:
        if item == STDIN:
            found.append((STDIN, None))
            continue
        path = Path(item)
        if path.is_dir():
            for f in sorted(path.rglob(pattern)):
                if f.is_file() and not f.name.startswith("."):
                    found.append((str(f), path))
        else:
            found.append((str(path), None))
    return found


def _target(out_dir: Path, input_path: str, root: Path | None, ext: str) -> Path:
    if input_path == STDIN:
        return out_dir / ("stdin" + ext)
    p = Path(input_path)
    if root is not None:
        return (out_dir / p.relative_to(root)).with_suffix(ext)
    return out_dir / (p.stem + ext)


class Manifest:
    """Hashes of the inputs and options each output was built from (in the output folder)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_NAME
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("outputs"), dict):
                self.entries = data["outputs"]
        except (OSError, ValueError):
            self.entries = {}

    def fresh(self, output: Path, key: str) -> bool:
        entry = self.entries.get(str(output))
        if not entry or entry.get("key") != key:
            return False
        try:
            st = output.stat()
        except OSError:
            return False
        return bool(st.st_size == entry.get("bytes") and st.st_mtime_ns == entry.get("mtime_ns"))

    def record(self, output: Path, key: str, rec: OutputRecord) -> None:
        st = output.stat()
        self.entries[str(output)] = {
            "key": key,
            "bytes": rec.bytes,
            "sha256": rec.sha256,
            "mtime_ns": st.st_mtime_ns,
        }

    def save(self) -> None:
        body = {"schema": "exporter.manifest/1", "outputs": dict(sorted(self.entries.items()))}
        atomic_write_bytes(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode())


def _input_key(data: bytes, options: BatchOptions, fmt: str) -> str:
    h = hashlib.sha256(data)
    h.update(options.fingerprint(fmt).encode())
    return h.hexdigest()


# --- the work of one input (runs in a worker process) --------------------------------------------


def convert_task(task: Task) -> InputRecord:
    """Read one input and write its outputs; never raises for a bad input (the record says why)."""
    from exporter.reader import parse_meta_overrides
    from exporter.writers import get_writer, needs_fonts

    rec = InputRecord(task.input)
    opts = task.options
    with diagnostics.collect() as warnings:
        t0 = time.perf_counter()
        try:
            data = task.data if task.data is not None else _read_input(task.input, opts.max_bytes)
            meta = parse_meta_overrides([f"{k}={v}" for k, v in opts.meta])
            result = read_bytes(
                data,
                name=task.input,
                encoding=opts.encoding,
                errors=opts.errors,
                meta=meta,
                max_bytes=opts.max_bytes,
            )
        except ExporterError as exc:
            rec.status = "failed"
            rec.errors.append({"stage": exc.stage, "message": str(exc)})
            rec.outputs = [OutputRecord(f, p, "failed") for f, p in task.targets]
            return _finish(rec, warnings)
        rec.timings["read"] = time.perf_counter() - t0
        for fmt, path in task.targets:
            out = OutputRecord(fmt, path)
            rec.outputs.append(out)
            t1 = time.perf_counter()
            try:
                writer = get_writer(fmt)
                if needs_fonts(writer):
                    from exporter.fonts import report_uncovered

                    report_uncovered(result.document, opts.write, result.source_text)
                if path == STDIN:
                    import io

                    buf = io.BytesIO()
                    writer.write(result.document, opts.write, buf)
                    payload = buf.getvalue()
                    sys.stdout.buffer.write(payload)
                    sys.stdout.buffer.flush()
                    out.bytes, out.sha256 = len(payload), hashlib.sha256(payload).hexdigest()
                else:
                    target = Path(path)
                    with atomic_output(target) as stream:
                        writer.write(result.document, opts.write, stream)
                    out.bytes, out.sha256 = target.stat().st_size, _file_sha256(target)
                out.status = "written"
            except ExporterError as exc:
                out.status = "failed"
                rec.errors.append({"stage": exc.stage, "message": f"{fmt}: {exc}"})
            except Exception as exc:  # a writer bug must not kill the batch
                out.status = "failed"
                rec.errors.append(
                    {
                        "stage": "write",
                        "message": f"{fmt}: internal error: {type(exc).__name__}: {exc}",
                    }
                )
            rec.timings[fmt] = time.perf_counter() - t1
        rec.status = "failed" if rec.errors else "converted"
    return _finish(rec, warnings)


def _finish(rec: InputRecord, warnings: list[diagnostics.Diagnostic]) -> InputRecord:
    rec.warnings = [{"code": w.code, "message": w.message, **w.data} for w in warnings]
    return rec


def _read_input(path: str, max_bytes: int) -> bytes:
    return load_bytes(Path(path), max_bytes)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so that open temporary outputs are removed on the way out."""
    import signal

    def _handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _handler)


def _init_worker(options: WriteOptions) -> None:
    """Load the fonts once per worker process, so every conversion in it reuses them."""
    exit_on_sigterm()
    try:
        from exporter.fonts import fontset_for

        fontset_for(options)
    except Exception:  # a font problem is reported per input by the conversion itself
        pass


# --- the run --------------------------------------------------------------------------------------


Progress = Callable[[InputRecord], None]


def run_batch(
    inputs: Sequence[str],
    options: BatchOptions,
    progress: Progress | None = None,
    stdin_data: bytes | None = None,
) -> BatchReport:
    """Convert every input to every format; see BatchReport for the outcome and exit code."""
    start = time.perf_counter()
    from exporter.writers import get_writer

    try:
        exts = {fmt: get_writer(fmt).extension for fmt in options.formats}
    except ExporterError as exc:
        return BatchReport([], 0.0, usage_error=str(exc))
    expanded = expand_inputs(inputs, options.glob)
    if not expanded:
        return BatchReport([], 0.0, usage_error="no input files found")
    out_dir = options.out_dir
    if options.output is None:
        remove_stray_temporaries(out_dir)
    elif options.output != STDIN:
        single = Path(options.output)
        remove_stray_temporaries(single.parent, prefix="." + single.name + ".")
    manifest = Manifest(out_dir)
    records: dict[int, InputRecord] = {}
    tasks: list[tuple[int, Task, dict[str, str]]] = []
    claimed: dict[str, str] = {}
    for idx, (inp, root) in enumerate(expanded):
        data: bytes | None = None
        if inp == STDIN:
            data = stdin_data if stdin_data is not None else sys.stdin.buffer.read()
        targets: list[tuple[str, str]] = []
        keys: dict[str, str] = {}
        unchanged: list[OutputRecord] = []
        try:
            raw = data if data is not None else _read_input(inp, options.max_bytes)
        except InputError as exc:
            rec = InputRecord(inp, "failed", errors=[{"stage": "read", "message": str(exc)}])
            records[idx] = rec
            continue
        for fmt in options.formats:
            if options.output is not None:
                target = options.output
            else:
                target = str(_target(out_dir, inp, root, exts[fmt]))
            if target != STDIN and claimed.get(target, inp) != inp:
                records[idx] = InputRecord(
                    inp,
                    "failed",
                    errors=[
                        {
                            "stage": "plan",
                            "message": f"output {target} would overwrite the output of {claimed[target]}",
                        }
                    ],
                )
                break
            claimed[target] = inp
            key = _input_key(raw, options, fmt)
            keys[target] = key
            if target != STDIN and not options.force and manifest.fresh(Path(target), key):
                entry = manifest.entries[target]
                unchanged.append(
                    OutputRecord(fmt, target, "unchanged", entry["bytes"], entry["sha256"])
                )
            else:
                targets.append((fmt, target))
        if idx in records:
            continue
        if not targets:
            records[idx] = InputRecord(inp, "unchanged", outputs=unchanged)
            continue
        rec_pre = InputRecord(inp, outputs=unchanged)
        records[idx] = rec_pre
        tasks.append((idx, Task(inp, data, tuple(targets), options), keys))

    for rec in records.values():
        if rec.status in ("unchanged", "failed") and progress:
            progress(rec)

    def merge(idx: int, done: InputRecord, keys: dict[str, str]) -> InputRecord:
        pre = records[idx]
        done.outputs = pre.outputs + done.outputs
        if done.status == "converted" or done.status == "failed":
            for out in done.outputs:
                if out.status == "written" and out.path != STDIN:
                    manifest.record(Path(out.path), keys[out.path], out)
        records[idx] = done
        if progress:
            progress(done)
        return done

    jobs = options.jobs or os.cpu_count() or 1
    stop = False
    last_save = time.monotonic()
    if jobs <= 1 or len(tasks) <= 1:
        _init_worker(options.write)
        for idx, task, keys in tasks:
            if stop:
                records[idx] = _skipped(task)
                continue
            done = merge(idx, convert_task(task), keys)
            stop = options.fail_fast and done.status == "failed"
            if time.monotonic() - last_save > 2:
                manifest.save()
                last_save = time.monotonic()
    else:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)), initializer=_init_worker, initargs=(options.write,)
        ) as pool:
            pending: dict[Future[InputRecord], tuple[int, dict[str, str]]] = {}
            queue = iter(tasks)
            # Keep a bounded number of tasks in flight so --fail-fast stops promptly.
            for idx, task, keys in _take(queue, jobs * 2):
                pending[pool.submit(convert_task, task)] = (idx, keys)
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    idx, keys = pending.pop(fut)
                    done = merge(idx, fut.result(), keys)
                    if options.fail_fast and done.status == "failed":
                        stop = True
                if time.monotonic() - last_save > 2:
                    manifest.save()
                    last_save = time.monotonic()
                if not stop:
                    for idx, task, keys in _take(queue, len(finished)):
                        pending[pool.submit(convert_task, task)] = (idx, keys)
            for idx, task, _keys in queue:
                records[idx] = _skipped(task)
    if options.output is None:
        try:
            manifest.save()
        except OSError as exc:
            print(f"exporter: warning: cannot save {manifest.path}: {exc}", file=sys.stderr)
    ordered = [records[i] for i in sorted(records)]
    return BatchReport(ordered, time.perf_counter() - start)


def _skipped(task: Task) -> InputRecord:
    return InputRecord(
        task.input,
        "failed",
        outputs=[OutputRecord(f, p, "failed") for f, p in task.targets],
        errors=[{"stage": "plan", "message": "not converted: stopped by --fail-fast"}],
    )


def _take(it: Iterable[Any], n: int) -> list[Any]:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out


def run_book(
    inputs: Sequence[str], options: BatchOptions, progress: Progress | None = None
) -> BatchReport:
    """Bind several inputs into one EPUB (``-o book.epub``): each input is a part of the book."""
    from exporter.reader import apply_meta, parse_meta_overrides
    from exporter.writers import BookWriter, get_writer

    start = time.perf_counter()
    assert options.output is not None
    expanded = expand_inputs(inputs, options.glob)
    records: list[InputRecord] = []
    docs = []
    meta_values = parse_meta_overrides([f"{k}={v}" for k, v in options.meta])
    with diagnostics.collect() as warnings:
        for inp, _root in expanded:
            rec = InputRecord(inp)
            records.append(rec)
            try:
                raw = _read_input(inp, options.max_bytes)
                result = read_bytes(
                    raw,
                    name=inp,
                    encoding=options.encoding,
                    errors=options.errors,
                    max_bytes=options.max_bytes,
                )
                docs.append(result.document)
                rec.status = "converted"
            except ExporterError as exc:
                rec.status = "failed"
                rec.errors.append({"stage": exc.stage, "message": str(exc)})
        book = OutputRecord("epub", options.output)
        if docs and not any(r.status == "failed" for r in records):
            try:
                writer = get_writer("epub")
                if not isinstance(writer, BookWriter):
                    raise ExporterError("the epub writer cannot bind several inputs")
                meta = apply_meta(docs[0].meta, meta_values)
                target = Path(options.output)
                with atomic_output(target) as stream:
                    writer.write_book(docs, options.write, stream, meta)
                book.status = "written"
                book.bytes, book.sha256 = target.stat().st_size, _file_sha256(target)
            except ExporterError as exc:
                book.status = "failed"
                records[0].status = "failed"
                records[0].errors.append({"stage": exc.stage, "message": f"epub: {exc}"})
        else:
            book.status = "failed"
    if records:
        records[0].outputs.append(book)
        _finish(records[0], warnings)
    for rec in records:
        if progress:
            progress(rec)
    return BatchReport(records, time.perf_counter() - start)
