"""Work run in a background thread while the writer goes on: C code that releases the GIL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")

#: Bytes of input under which the work runs at once in the caller's thread: a sample-sized
#: document's body (~60 KB of XML) parses and deflates in well under a millisecond, about what
#: starting and joining a thread costs.
THRESHOLD = 256 * 1024


class Background(Generic[_T]):
    """``fn(*args)`` started in a daemon thread (at once, in the caller's thread, when its
    input's ``size`` is under THRESHOLD); :meth:`result` waits for it and returns its value or
    raises its exception in the caller's thread.

    Only for work whose time is spent in C code that releases the GIL (zlib's deflate,
    libxml2's parse): Python code would only take turns with the caller's.
    """

    def __init__(self, fn: Callable[..., _T], *args: object, size: int = THRESHOLD) -> None:
        self._fn = fn
        self._args = args
        self._value: _T | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if size < THRESHOLD:  # a thread's start and join cost more than a small job
            self._run()
            return
        self._thread = threading.Thread(target=self._run, name="exporter-background", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn(*self._args)
        except BaseException as exc:  # raised again in the caller's thread, by result()
            self._error = exc

    def result(self) -> _T:
        """The value (waits for the thread)."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
