"""Running a batch: plan, then one loop over inline or pooled workers with one fail-fast rule."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from exporter.batch.atomic import remove_stray_temporaries
from exporter.batch.manifest import Manifest
from exporter.batch.plan import STDIN, Task, check_outputs, expand_inputs, plan_tasks
from exporter.batch.report import BatchReport, InputRecord, OutputRecord, Progress
from exporter.batch.signals import init_worker
from exporter.batch.worker import Done, convert_task
from exporter.errors import ExporterError
from exporter.options.settings import BatchOptions

#: Seconds between manifest saves during a long run (so a killed run keeps most of its work).
SAVE_EVERY = 2.0


def run_batch(
    inputs: Sequence[str],
    options: BatchOptions,
    progress: Progress | None = None,
    stdin_data: bytes | None = None,
    planned: Callable[[int], None] | None = None,
) -> BatchReport:
    """Convert every input to every format; see BatchReport for the outcome and exit code.

    ``progress`` gets each input's record when it is final; ``planned`` the number of inputs.
    """
    start = time.perf_counter()
    try:
        extensions = _extensions(options.formats)
        expanded = expand_inputs(inputs, options.glob)
        if not expanded:
            return BatchReport([], 0.0, usage_error="no input files found")
        check_outputs([], options, None)
        manifest = Manifest(options.out_dir) if options.output is None else None
        tasks, records = plan_tasks(expanded, options, extensions, manifest, stdin_data)
    except ExporterError as exc:
        return BatchReport([], 0.0, usage_error=str(exc))
    if planned:
        planned(len(expanded))
    _remove_strays(options)
    for rec in records.values():
        if progress:
            progress(rec)
    last_save = time.monotonic()

    def finished(task: Task, done: Done) -> None:
        nonlocal last_save
        if manifest is not None:
            _note_manifest(manifest, done)
            for out in done.record.outputs:
                if out.status == "written" and out.path in done.keys:
                    manifest.record(Path(out.path), done.keys[out.path], out)
        records[task.index] = done.record
        if progress:
            progress(done.record)
        if manifest is not None and time.monotonic() - last_save > SAVE_EVERY:
            _save(manifest)
            last_save = time.monotonic()

    for task in execute(tasks, options, finished):
        records[task.index] = _skipped(task)
    if manifest is not None:
        _save(manifest)
    return BatchReport([records[i] for i in sorted(records)], time.perf_counter() - start)


def _note_manifest(manifest: Manifest, done: Done) -> None:
    """Warn, in the record of the input concerned, about manifest entries that were ignored
    (and about the manifest file itself in the first record)."""
    notes, manifest.problems = manifest.problems, []
    for out in done.record.outputs:
        key = manifest.key(out.path)
        if key is not None and key in manifest.bad:
            notes.append(manifest.bad.pop(key))
    done.record.warnings += [{"code": "manifest", "message": note} for note in notes]


def _save(manifest: Manifest) -> None:
    try:
        manifest.save()
    except (OSError, ExporterError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"exporter: warning: cannot save {manifest.path}: {reason}", file=sys.stderr)


def execute(
    tasks: Sequence[Task], options: BatchOptions, finished: Callable[[Task, Done], None]
) -> list[Task]:
    """Run ``tasks``, calling ``finished`` as each completes; returns those --fail-fast skipped.

    The one fail-fast rule for both runners: after a failure no further task is started, and
    the tasks already running still finish and are reported.
    """
    jobs = options.jobs or os.cpu_count() or 1
    queue = iter(tasks)
    runner: Inline | Pool = Inline() if jobs <= 1 or len(tasks) <= 1 else Pool(jobs, len(tasks))
    for task, done in runner.results(queue):
        finished(task, done)
        if options.fail_fast and done.record.status == "failed":
            runner.stopped = True
    return list(queue)


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
