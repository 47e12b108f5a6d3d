"""Warnings raised during reading and writing: collected per conversion, else logged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field
from typing import TYPE_CHECKING, Any

from exporter.record import record

if TYPE_CHECKING:
    import logging

#: The logger the library reports uncollected warnings to (a NullHandler keeps it silent
#: unless the application configures logging).
LOGGER = "exporter"


@record
class Diagnostic:
    """One warning: a stable ``code`` scripts can match, a one-line message, structured data."""

    code: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The report's form: code, message and the data's keys."""
        return {"code": self.code, "message": self.message, **self.data}


_sink: ContextVar[Callable[[Diagnostic], None] | None] = ContextVar(
    "exporter_diagnostics", default=None
)


def warn(code: str, message: str, **data: Any) -> None:
    """Pass a warning to the active collector, or log it on the ``exporter`` logger."""
    diag = Diagnostic(code, message, dict(data))
    sink = _sink.get()
    if sink is not None:
        sink(diag)
    else:
        logger().warning("%s", message, extra={"code": code, "data": dict(data)})


@contextmanager
def collect() -> Iterator[list[Diagnostic]]:
    """Collect the warnings raised inside the block (each once) into the yielded list."""
    found: list[Diagnostic] = []

    def add(diag: Diagnostic) -> None:
        if diag not in found:
            found.append(diag)

    with forward(add):
        yield found


@contextmanager
def forward(sink: Callable[[Diagnostic], None]) -> Iterator[None]:
    """Pass the warnings raised inside the block (and not collected deeper) to ``sink``."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


def logger() -> logging.Logger:
    """The ``exporter`` logger, with a NullHandler so that a library prints nothing by default.

    logging is imported here, on the first uncollected warning: the command line collects every
    warning and never needs it.
    """
    import logging

    log = logging.getLogger(LOGGER)
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    return log
