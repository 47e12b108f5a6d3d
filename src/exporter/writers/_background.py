"""Work run in a background thread while the writer goes on: C code that releases the GIL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Background(Generic[_T]):
    """``fn(*args)`` started in a daemon thread; :meth:`result` waits for it and returns its
    value or raises its exception in the caller's thread.

    Only for work whose time is spent in C code that releases the GIL (zlib's deflate,
    libxml2's parse): Python code would only take turns with the caller's.
    """

    def __init__(self, fn: Callable[..., _T], *args: object) -> None:
        self._fn = fn
        self._args = args
        self._value: _T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="exporter-background", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn(*self._args)
        except BaseException as exc:  # raised again in the caller's thread, by result()
            self._error = exc

    def result(self) -> _T:
        """The value (waits for the thread)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
