"""Reader: bytes or text -> Document (decoding, normalisation, front matter, structure, metadata)."""

from __future__ import annotations

from exporter.reader.meta import META_KEYS, apply_meta, parse_meta_overrides
from exporter.reader.read import (
    DEFAULT_MAX_BYTES,
    ReadResult,
    check_size,
    load_bytes,
    read_at_most,
    read_bytes,
    read_file,
    read_limited,
    read_path,
    read_text,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "META_KEYS",
    "ReadResult",
    "apply_meta",
    "check_size",
    "load_bytes",
    "parse_meta_overrides",
    "read_at_most",
    "read_bytes",
    "read_file",
    "read_limited",
    "read_path",
    "read_text",
]
