"""exporter: Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

if TYPE_CHECKING:
    from exporter.api import convert, read_data, read_file, read_text, write, write_options
    from exporter.model import Document, Metadata
    from exporter.writers import get_writer

# The public API is imported on first use, so that `exporter --help` stays fast.
_LAZY = {
    "convert": "api",
    "read_data": "api",
    "read_file": "api",
    "read_text": "api",
    "write": "api",
    "write_options": "api",
    "Document": "model",
    "Metadata": "model",
    "get_writer": "writers",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exporter' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "Document",
    "Metadata",
    "__version__",
    "convert",
    "get_writer",
    "read_data",
    "read_file",
    "read_text",
    "write",
    "write_options",
]
