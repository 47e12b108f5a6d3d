"""exporter: Chinese plain text to print-ready PDF, editable DOCX and archival EPUB 3."""

from __future__ import annotations

__version__ = "0.1.0"
