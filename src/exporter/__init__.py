"""exporter: Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import convert, read_data, read_file, read_text, write, write_options
from .model import Document, Metadata
from .writers import get_writer

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
