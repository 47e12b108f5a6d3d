"""Running a batch: plan, then one loop over inline or pooled workers with one fail-fast rule."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from exporter.batch.atomic import remove_stray_temporaries
from exporter.batch.backend import Backend, local_name, uses_memory
from exporter.batch.manifest import Manifest
from exporter.batch.plan import (
    STDIN,
    Task,
    check_outputs,
    expand_inputs,
    plan_tasks,
    plan_url_tasks,
)
from exporter.batch.report import BatchReport, InputRecord, OutputRecord, Progress
from exporter.batch.signals import init_worker
from exporter.batch.worker import Done, convert_task
from exporter.errors import ExporterError, OptionsError
from exporter.options.settings import BatchOptions

if TYPE_CHECKING:
    from exporter.batch.storage import RemoteManifest

#: Seconds between manifest saves during a long run (so a killed run keeps most of its work).
SAVE_EVERY = 2.0
#: The same for a manifest at a URL (one object, rewritten whole by each save).
SAVE_REMOTE_EVERY = 30.0


def run_batch(
    inputs: Sequence[str],
    options: BatchOptions,
    progress: Progress | None = None,
    stdin_data: bytes | None = None,
    planned: Callable[[int], None] | None = None,
    backend: Backend | None = None,
) -> BatchReport:
    """Convert every input to every format; see BatchReport for the outcome and exit code.

    ``progress`` gets each input's record when it is final; ``planned`` the number of inputs.
    ``backend`` says where: the process pool or Dask, inputs and outputs as fsspec URLs.
    """
    start = time.perf_counter()
    backend = backend or Backend()
    storage = backend.storage_options
    inputs = [local_name(i) for i in inputs]
    manifest: Manifest | RemoteManifest | None = None
    out_url = backend.out_url if options.output is None else None  # -d URL (-o wins, as -d)
    try:
        _check_backend(inputs, options, backend)
        extensions = _extensions(options.formats)
        expanded = expand_inputs(inputs, options.glob, storage)
        if not expanded:
            return BatchReport([], 0.0, usage_error="no input files found")
        if out_url is not None:
            from exporter.batch.storage import RemoteManifest

            manifest = RemoteManifest(out_url, storage)
            tasks, records = plan_url_tasks(
                expanded, options, extensions, out_url, manifest, stdin_data, storage
            )
        else:
            check_outputs([], options, None)
            manifest = Manifest(options.out_dir) if options.output is None else None
            tasks, records = plan_tasks(
                expanded, options, extensions, manifest, stdin_data, storage
            )
    except ExporterError as exc:
        return BatchReport([], 0.0, usage_error=str(exc))
    if planned:
        planned(len(expanded))
    if out_url is None:
        _remove_strays(options)
    for rec in records.values():
        if progress:
            progress(rec)
    last_save = time.monotonic()
    # A manifest at a URL is one object, rewritten whole: saved less often.
    every = SAVE_EVERY if isinstance(manifest, Manifest) else SAVE_REMOTE_EVERY

    def finished(task: Task, done: Done) -> None:
        nonlocal last_save
        if manifest is not None:
            _note_manifest(manifest, done)
            for out in done.record.outputs:
                if out.status == "written" and out.path in done.keys:
                    key = done.keys[out.path]
                    if isinstance(manifest, Manifest):
                        manifest.record(Path(out.path), key, out)
                    else:
                        manifest.record(out.path, key, out, done.stamps.get(out.path, ""))
        records[task.index] = done.record
        if progress:
            progress(done.record)
        if manifest is not None and time.monotonic() - last_save > every:
            _save(manifest)
            last_save = time.monotonic()

    try:
        skipped = execute(tasks, options, finished, backend)
    except ExporterError as exc:  # the Dask cluster refused or could not be reached
        if manifest is not None:
            _save(manifest)
        return BatchReport([], time.perf_counter() - start, usage_error=str(exc))
    for task in skipped:
        records[task.index] = _skipped(task)
    if manifest is not None:  # last: after every output it describes
        _save(manifest)
    if backend.executor == "dask" and out_url is None:
        _remove_strays(options)  # a killed worker's temporary (its task ran again elsewhere)
    return BatchReport([records[i] for i in sorted(records)], time.perf_counter() - start)


def _check_backend(inputs: Sequence[str], options: BatchOptions, backend: Backend) -> None:
    """OptionsError for what a backend cannot do."""
    if backend.executor != "dask":
        return
    if options.output == STDIN:
        raise OptionsError("-o -: a Dask worker cannot write to this standard output")
    if uses_memory([*inputs, backend.out_url or "", options.output or ""]):
        raise OptionsError("memory:// lives in one process: not with --executor dask")


def _note_manifest(manifest: Manifest | RemoteManifest, done: Done) -> None:
    """Warn, in the record of the input concerned, about manifest entries that were ignored
    (and about the manifest file itself in the first record)."""
    notes, manifest.problems = manifest.problems, []
    for out in done.record.outputs:
        key = manifest.key(out.path)
        if key is not None and key in manifest.bad:
            notes.append(manifest.bad.pop(key))
    done.record.warnings += [{"code": "manifest", "message": note} for note in notes]


def _save(manifest: Manifest | RemoteManifest) -> None:
    try:
        manifest.save()
    except (OSError, ExporterError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"exporter: warning: cannot save {manifest.path}: {reason}", file=sys.stderr)


def execute(
    tasks: Sequence[Task],
    options: BatchOptions,
    finished: Callable[[Task, Done], None],
    backend: Backend | None = None,
) -> list[Task]:
    """Run ``tasks``, calling ``finished`` as each completes; returns those --fail-fast skipped.

    The one fail-fast rule for every runner: after a failure no further task is started, and
    the tasks already running still finish and are reported.
    """
    jobs = options.jobs or os.cpu_count() or 1
    if uses_memory(n for t in tasks for n in (t.input, *(x.path for x in t.targets))):
        jobs = 1  # a memory:// store is this process's own
    queue = iter(tasks)
    runner: Runner
    if backend is not None and backend.executor == "dask" and tasks:
        try:
            from exporter.batch.dask_runner import DaskRunner
        except ImportError as exc:
            raise OptionsError(
                f"--executor dask needs {exc.name or 'dask'}: pip install 'exporter[dask]'"
            ) from None
        runner = DaskRunner(backend, options)
    elif jobs <= 1 or len(tasks) <= 1:
        runner = Inline()
    else:
        runner = Pool(jobs, len(tasks))
    for task, done in runner.results(queue):
        finished(task, done)
        if options.fail_fast and done.record.status == "failed":
            runner.stopped = True
    return list(queue)


class Runner(Protocol):
    """Runs tasks from a queue and yields each with its result; takes no more once ``stopped``."""

    stopped: bool

    def results(self, queue: Iterator[Task]) -> Iterator[tuple[Task, Done]]: ...


class Inline:
    """Runs each task in this process, one at a time, taking the next only when not stopped."""

    stopped = False

    def results(self, queue: Iterator[Task]) -> Iterator[tuple[Task, Done]]:
        while not self.stopped:
            task = next(queue, None)
            if task is None:
                return
            yield task, convert_task(task)


class Pool:
    """Worker processes with ``2 x jobs`` tasks in flight (so --fail-fast stops promptly)."""

    stopped = False

    def __init__(self, jobs: int, count: int) -> None:
        self.jobs, self.workers = jobs, min(jobs, count)

    def results(self, queue: Iterator[Task]) -> Iterator[tuple[Task, Done]]:
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

        pending: dict[Future[Done], Task] = {}
        with ProcessPoolExecutor(
            self.workers, initializer=init_worker, initargs=(os.getpid(),)
        ) as pool:

            def submit(count: int) -> None:
                for task in _take(queue, count):
                    pending[pool.submit(convert_task, task)] = task

            submit(self.jobs * 2)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f].index):
                    yield pending.pop(future), future.result()
                if not self.stopped:
                    submit(len(done))


def _extensions(formats: Sequence[str]) -> dict[str, str]:
    """Each format's file extension; ExporterError for an unknown or broken writer."""
    from exporter.writers import get_writer

    return {fmt: get_writer(fmt).extension for fmt in formats}


def _take(it: Iterator[Task], n: int) -> list[Task]:
    out: list[Task] = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out


def _remove_strays(options: BatchOptions) -> None:
    if options.output is None:
        remove_stray_temporaries(options.out_dir)
    elif options.output != STDIN:
        single = Path(options.output)
        remove_stray_temporaries(single.parent, prefix="." + single.name + ".")


def _skipped(task: Task) -> InputRecord:
    rec = InputRecord(
        task.input, outputs=[OutputRecord(t.format, t.path, "failed") for t in task.targets]
    )
    return rec.fail("plan", "not converted: stopped by --fail-fast")
