"""PDF writer: our typesetter (``layout``) on reportlab's canvas (``writer``), Type0 fonts (``fonts``)."""

from exporter.writers.pdf.writer import PdfWriter

__all__ = ["PdfWriter"]
