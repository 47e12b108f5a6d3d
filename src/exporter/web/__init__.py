"""``exporter serve``: a local web page where clerks drop text files, preview the PDF and download."""

from __future__ import annotations

from exporter.web.app import create_app
from exporter.web.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
