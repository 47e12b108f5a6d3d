"""Reader: bytes or text -> Document (decoding, normalisation, front matter, structure, metadata)."""

from __future__ import annotations

from exporter.reader.meta import META_KEYS, apply_meta, parse_meta_overrides
from exporter.reader.read import (
    DEFAULT_MAX_BYTES,
    ReadResult,
    load_bytes,
    read_bytes,
    read_file,
    read_path,
    read_text,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "META_KEYS",
    "ReadResult",
    "apply_meta",
    "load_bytes",
    "parse_meta_overrides",
    "read_bytes",
    "read_file",
    "read_path",
    "read_text",
]
