"""exporter: Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import convert, read_data, read_file, read_text, write, write_options  # noqa: E402
from .model import Document, Metadata  # noqa: E402
from .writers import get_writer  # noqa: E402

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
