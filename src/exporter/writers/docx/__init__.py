"""DOCX writer: parts from templates (``parts``, ``styles``), the body in bulk (``writer``), embedded fonts (``embed``), a house template (``reference``, ``fill``)."""

from exporter.writers.docx.writer import DocxWriter

__all__ = ["DocxWriter"]
