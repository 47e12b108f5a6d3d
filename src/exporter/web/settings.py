"""What a serving instance allows: address, access token, limits, folders and expiry."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

#: Formats a clerk can pick; the PDF is always made too, for the preview.
FORMATS = ("pdf", "docx", "epub")
#: Profiles offered on the page, in the order shown.
PROFILES = ("standard", "gongwen", "gongwen-letter", "gongwen-minutes")
#: Input names the page accepts (as ``exporter convert`` reads folders: text and Markdown).
SUFFIXES = (".txt", ".md", ".markdown")


@dataclass(frozen=True)
class ServeSettings:
    """One server's settings; the defaults suit one office machine."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Required on every request when not None (any non-loopback address needs one).
    token: str | None = None
    #: Largest request body (all files and fields together), counted while it streams.
    max_upload_bytes: int = 32 * 1024 * 1024
    max_files: int = 20
    #: Conversion processes, and how many jobs may wait for one before new ones get 503.
    workers: int = 2
    queue_size: int = 8
    #: A job's folder is removed this many seconds after its last use.
    job_ttl: float = 30 * 60
    #: Pages rendered for the preview (a novel's first pages; the download has them all).
    preview_pages: int = 40
    #: Zoom of the preview images (1.0: 72 dpi, an A4 page 595 x 842 pixels).
    preview_scale: float = 1.25
    #: The config table (exporter.toml) the conversions use, as ``exporter convert`` does.
    config: dict[str, Any] = field(default_factory=dict)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
