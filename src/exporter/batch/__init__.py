"""Batch conversion: many inputs -> many outputs, in parallel, incremental, atomic, reported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exporter.batch.book import run_book
    from exporter.batch.dispatch import run
    from exporter.batch.execute import run_batch
    from exporter.batch.manifest import MANIFEST_NAME
    from exporter.batch.plan import STDIN, Task, expand_inputs
    from exporter.batch.report import REPORT_SCHEMA, BatchReport, InputRecord, OutputRecord
    from exporter.batch.signals import exit_on_sigterm
    from exporter.batch.worker import convert_task
    from exporter.options.settings import BatchOptions

# Imported on first use: `exporter.batch.atomic` (used by every writer call) stays cheap.
_LAZY = {
    "BatchOptions": "exporter.options.settings",
    "BatchReport": "exporter.batch.report",
    "InputRecord": "exporter.batch.report",
    "OutputRecord": "exporter.batch.report",
    "REPORT_SCHEMA": "exporter.batch.report",
    "MANIFEST_NAME": "exporter.batch.manifest",
    "STDIN": "exporter.batch.plan",
    "Task": "exporter.batch.plan",
    "expand_inputs": "exporter.batch.plan",
    "convert_task": "exporter.batch.worker",
    "run_batch": "exporter.batch.execute",
    "run_book": "exporter.batch.book",
    "run": "exporter.batch.dispatch",
    "exit_on_sigterm": "exporter.batch.signals",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exporter.batch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "MANIFEST_NAME",
    "REPORT_SCHEMA",
    "STDIN",
    "BatchOptions",
    "BatchReport",
    "InputRecord",
    "OutputRecord",
    "Task",
    "convert_task",
    "exit_on_sigterm",
    "expand_inputs",
    "run",
    "run_batch",
    "run_book",
]
