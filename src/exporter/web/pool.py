"""The conversion processes: a pool of workers behind a bounded queue (503 when it is full)."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from exporter.web.work import warm_up

T = TypeVar("T")


class Busy(Exception):
    """Every worker is busy and the queue is full: try again later."""


class Runner:
    """Runs work in worker processes; at most ``workers + queue_size`` jobs hold a place."""

    def __init__(self, workers: int, queue_size: int) -> None:
        # spawn, not fork: the server's process has threads and an event loop a fork would copy.
        self.executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_up,
        )
        self.capacity = workers + queue_size
        self.held = 0

    def reserve(self) -> None:
        """Take a place for one job; Busy when none is left."""
        if self.held >= self.capacity:
            raise Busy
        self.held += 1

    def release(self) -> None:
        self.held = max(0, self.held - 1)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker process, awaited without blocking the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, fn, *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
