"""Warnings raised during reading and writing, collected per conversion for logs and reports."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One warning: a stable ``code`` scripts can match, a one-line message, structured data."""

    code: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


_collector: ContextVar[list[Diagnostic] | None] = ContextVar("exporter_diagnostics", default=None)


def warn(code: str, message: str, **data: Any) -> None:
    """Record a warning in the active collector, or print it on stderr when none is active."""
    sink = _collector.get()
    diag = Diagnostic(code, message, dict(data))
    if sink is None:
        print(f"exporter: warning: {message}", file=sys.stderr)
    elif diag not in sink:
        sink.append(diag)


@contextmanager
def collect() -> Iterator[list[Diagnostic]]:
    """Collect the warnings raised inside the block into the yielded list."""
    sink: list[Diagnostic] = []
    token = _collector.set(sink)
    try:
        yield sink
    finally:
        _collector.reset(token)
