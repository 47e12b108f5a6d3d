"""The Dask runner: batches of documents on a Dask cluster, a bounded number in flight, fonts
loaded once per worker, and every worker checked to run the same exporter and fonts."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from exporter.batch.backend import Backend, is_url
from exporter.batch.plan import STDIN, Task
from exporter.batch.report import InputRecord, OutputRecord
from exporter.batch.worker import Done, _preload_fonts, convert_task
from exporter.errors import OptionsError
from exporter.options import WriteOptions
from exporter.options.settings import BatchOptions
from exporter.record import record

#: Documents per Dask task: per-task scheduling (~1–2 ms) stays small beside four documents'
#: work (~100 ms for sample-sized ones in three formats), and a slow batch holds up little.
BATCH_SIZE = 4
#: Batches in flight per worker thread: the next is queued while one runs, and a listing of
#: 100,000 inputs never becomes one huge graph.
IN_FLIGHT = 2
#: Times Dask re-runs a batch that raised (a worker killed mid-batch is re-run by the scheduler,
#: up to its ``allowed-failures``, then the batch's documents are reported failed).
RETRIES = 2
#: Seconds to wait for ``--workers N`` workers to join the scheduler.
CONNECT_TIMEOUT = 60.0


@record
class Refused:
    """A batch not run: the worker's exporter or fonts differ from the client's."""

    worker: str
    identity: str


class FontsPlugin(WorkerPlugin):
    """Loads the run's fonts once per worker (also on a worker that joins or restarts)."""

    def __init__(self, write: WriteOptions, formats: tuple[str, ...]) -> None:
        self.write, self.formats = write, formats

    def setup(self, worker: Any) -> None:
        _preload_fonts(self.write, list(self.formats))


def identity(write: WriteOptions) -> str:
    """This process's exporter version and a fingerprint of the font files the options use
    (names and sizes: a stat per file, not a read)."""
    from exporter import __version__
    from exporter.fonts.files import bundled_dir

    h = hashlib.sha256()
    for font in sorted(bundled_dir().glob("*.tt[fc]")):
        h.update(f"{font.name}:{font.stat().st_size};".encode())
    for spec in sorted({*write.fonts.values(), *write.fallback_fonts}):
        path = Path(spec.rpartition("#")[0] or spec)
        size = path.stat().st_size if path.is_file() else -1
        h.update(f"{spec}:{size};".encode())
    return f"exporter {__version__}, fonts {h.hexdigest()[:12]}"


def worker_state(write: WriteOptions) -> tuple[str, str]:
    """What the client asks each worker before a run: its identity and working folder."""
    return identity(write), os.getcwd()


def convert_batch(tasks: list[Task], expected: str) -> list[Done] | Refused:
    """A worker's task: convert each document (a failure is its record, never an exception)."""
    found = identity(tasks[0].options.write)
    if found != expected:
        return Refused(socket.gethostname(), found)
    out = []
    for task in tasks:
        try:
            out.append(convert_task(task))
        except Exception as exc:  # a bug must not fail the batch (its retries would redo all)
            message = f"internal error: {type(exc).__name__}: {exc}"
            out.append(Done(_failed(task, "convert", message)))
    return out


def _failed(task: Task, stage: str, message: str) -> InputRecord:
    outputs = [OutputRecord(t.format, t.path, "failed") for t in task.targets]
    return InputRecord(task.input, outputs=outputs).fail(stage, message)


class DaskRunner:
    """Batches of tasks on a Dask cluster (a LocalCluster of single-threaded worker processes
    without ``--scheduler``), ``IN_FLIGHT`` per worker thread; stops taking tasks when stopped."""

    stopped = False

    def __init__(self, backend: Backend, options: BatchOptions) -> None:
        self.backend, self.options = backend, options
        self.expected = identity(options.write)
        # --fail-fast: one document per task, so that nothing queued behind a failure runs
        self.size = 1 if options.fail_fast else BATCH_SIZE

    def results(self, queue: Iterator[Task]) -> Iterator[tuple[Task, Done]]:
        with _connected(self.backend) as client:
            absolute = self._check_workers(client)
            fonts = hashlib.sha256(self.options.write.fingerprint().encode()).hexdigest()
            client.register_plugin(
                FontsPlugin(self.options.write, self.options.formats),
                name=f"exporter-fonts-{fonts[:12]}",
            )
            threads = sum(client.nthreads().values()) or 1
            running: dict[Any, tuple[list[Task], list[Task]]] = {}
            futures = as_completed()

            def submit(count: int) -> None:
                for _ in range(count):
                    batch = [t for _, t in zip(range(self.size), queue, strict=False)]
                    if not batch:
                        return
                    sent = [_absolute(t) for t in batch] if absolute else batch
                    future = client.submit(
                        convert_batch, sent, self.expected, retries=RETRIES, pure=False
                    )
                    running[future] = (batch, sent)
                    futures.add(future)

            submit(threads * IN_FLIGHT)
            for future in futures:
                batch, sent = running.pop(future)
                dones = _outcome(future, batch)
                for task, one, done in zip(batch, sent, dones, strict=True):
                    yield task, (_restore(task, one, done) if one is not task else done)
                if not self.stopped:
                    submit(1)

    def _check_workers(self, client: Client) -> bool:
        """OptionsError when a worker runs another exporter or other fonts; whether to send
        absolute paths (a worker works in another folder than this process)."""
        states: dict[str, tuple[str, str]] = client.run(worker_state, self.options.write)
        for address, (found, _cwd) in sorted(states.items()):
            if found != self.expected:
                raise OptionsError(_mismatch(address, found, self.expected))
        return any(cwd != os.getcwd() for _found, cwd in states.values())


def _mismatch(worker: str, found: str, expected: str) -> str:
    return (
        f"Dask worker {worker} runs {found}, this client {expected}: install the same exporter "
        "version and fonts on every machine"
    )


def _outcome(future: Any, batch: list[Task]) -> list[Done]:
    """The batch's results; its documents failed (not retried further) when the batch was lost."""
    try:
        result = future.result()
    except Exception as exc:  # KilledWorker after the scheduler's allowed failures, or similar
        message = f"lost on the Dask cluster: {type(exc).__name__}: {exc}"
        return [Done(_failed(task, "worker", message)) for task in batch]
    if isinstance(result, Refused):
        raise OptionsError(
            _mismatch(result.worker, result.identity, identity(batch[0].options.write))
        )
    return list(result)


def local_cluster(workers: int) -> LocalCluster:
    """A LocalCluster of ``workers`` single-threaded worker processes on 127.0.0.1, no
    dashboard, quiet but for errors (the one a run without ``--scheduler`` starts)."""
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # The scheduler serves /health and /metrics even without a dashboard, by default on
        # port 8787: a second cluster on the machine would warn and move. Any free port.
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )


@contextlib.contextmanager
def _connected(backend: Backend) -> Iterator[Client]:
    """A client of ``--scheduler`` (waiting for ``--workers N``), or of a LocalCluster of N
    single-threaded worker processes on 127.0.0.1 (default: one per CPU) that ends with it."""
    if backend.scheduler is not None:
        try:
            # waits up to Dask's distributed.comm.timeouts.connect (30 s unless configured)
            client = Client(backend.scheduler)
        except (OSError, TimeoutError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise OptionsError(
                f"--scheduler {backend.scheduler}: cannot connect ({reason})"
            ) from None
        try:
            if backend.workers:
                try:
                    client.wait_for_workers(backend.workers, timeout=CONNECT_TIMEOUT)
                except TimeoutError:
                    raise OptionsError(
                        f"--scheduler {backend.scheduler}: fewer than {backend.workers} "
                        f"workers after {CONNECT_TIMEOUT:.0f} s"
                    ) from None
            yield client
        finally:
            client.close()
        return
    cluster = local_cluster(backend.workers or os.cpu_count() or 1)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _absolute(task: Task) -> Task:
    """``task`` with its local paths absolute (for a worker in another folder)."""

    def fix(name: str) -> str:
        return name if name == STDIN or is_url(name) else os.path.abspath(name)

    targets = tuple(replace(t, path=fix(t.path)) for t in task.targets)
    return replace(task, input=fix(task.input), targets=targets)


def _restore(task: Task, sent: Task, done: Done) -> Done:
    """``done`` named with ``task``'s paths as given rather than the absolute ones sent."""
    back = {s.path: t.path for s, t in zip(sent.targets, task.targets, strict=True)}
    done.record.input = task.input
    for out in done.record.outputs:
        out.path = back.get(out.path, out.path)
    done.keys = {back.get(k, k): v for k, v in done.keys.items()}
    done.stamps = {back.get(k, k): v for k, v in done.stamps.items()}
    return done
