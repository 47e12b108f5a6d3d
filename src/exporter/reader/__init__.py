"""Reader: bytes or text, plain or Markdown -> Document (decoding, normalisation, structure, metadata)."""

from __future__ import annotations

from exporter.reader.meta import META_KEYS, apply_meta, parse_meta_overrides
from exporter.reader.read import (
    DEFAULT_MAX_BYTES,
    INPUT_FORMATS,
    MARKDOWN_SUFFIXES,
    ReadResult,
    check_size,
    input_format_of,
    load_bytes,
    read_at_most,
    read_bytes,
    read_decoded,
    read_file,
    read_limited,
    read_path,
    read_text,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "INPUT_FORMATS",
    "MARKDOWN_SUFFIXES",
    "META_KEYS",
    "ReadResult",
    "apply_meta",
    "check_size",
    "input_format_of",
    "load_bytes",
    "parse_meta_overrides",
    "read_at_most",
    "read_bytes",
    "read_decoded",
    "read_file",
    "read_limited",
    "read_path",
    "read_text",
]
