"""EPUB 3 writer: the package (OPF, nav, NCX, fonts, zip) around the XHTML that ``writers.html`` renders."""

from exporter.writers.epub.writer import EpubWriter

__all__ = ["EpubWriter"]
