"""DOCX writer: WordprocessingML parts from templates (``parts``), the body in bulk (``writer``)."""

from exporter.writers.docx.writer import DocxWriter

__all__ = ["DocxWriter"]
