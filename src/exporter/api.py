"""The Python API: read text into a Document, write it to any registered format, run batches."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from exporter.batch import BatchOptions, BatchReport, run_batch
from exporter.model import Document
from exporter.options import WriteOptions, get_profile
from exporter.reader import DEFAULT_MAX_BYTES, read_bytes, read_path
from exporter.reader import read_text as _read_text


def read_text(text: str, *, meta: Mapping[str, str] | None = None) -> Document:
    """Parse a string of Chinese text into a Document (``meta`` as with ``-M key=value``)."""
    return _read_text(text, meta=dict(meta or {})).document


def read_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    meta: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read a text file (encoding detected unless given) into a Document."""
    return read_path(
        path, encoding=encoding, errors=errors, meta=dict(meta or {}), max_bytes=max_bytes
    ).document


def read_data(data: bytes, *, name: str = "<bytes>", encoding: str | None = None) -> Document:
    """Decode and parse raw bytes into a Document."""
    return read_bytes(data, name=name, encoding=encoding).document


def write_options(
    profile: str = "standard",
    *,
    fonts: Mapping[str, str] | None = None,
    fallback_fonts: Sequence[str] = (),
    system_fonts: bool = True,
    embed_fonts: bool = True,
    strict: bool = False,
) -> WriteOptions:
    """WriteOptions from plain values (profile by name, fonts as ``{role: path}``)."""
    return WriteOptions(
        profile=get_profile(profile),
        fonts=MappingProxyType(dict(fonts or {})),
        fallback_fonts=tuple(fallback_fonts),
        system_fonts=system_fonts,
        embed_fonts=embed_fonts,
        strict=strict,
    )


def write(
    doc: Document,
    fmt: str,
    dest: str | Path | None = None,
    options: WriteOptions | None = None,
) -> bytes | None:
    """Write ``doc`` as ``fmt`` (docx, pdf, epub or a plug-in): to ``dest`` atomically, or return bytes."""
    from exporter.batch.atomic import atomic_output
    from exporter.writers import get_writer

    writer = get_writer(fmt)
    opts = options or WriteOptions()
    if dest is None:
        buf = io.BytesIO()
        writer.write(doc, opts, buf)
        return buf.getvalue()
    with atomic_output(Path(dest)) as stream:
        writer.write(doc, opts, stream)
    return None


def convert(
    inputs: Sequence[str | Path],
    *,
    to: Sequence[str] = ("docx", "pdf", "epub"),
    out_dir: str | Path = "output",
    options: WriteOptions | None = None,
    meta: Mapping[str, str] | None = None,
    jobs: int = 0,
    force: bool = False,
    fail_fast: bool = False,
    glob: str = "*.txt",
) -> BatchReport:
    """Convert files and folders as ``exporter convert`` does; the report says what happened."""
    batch = BatchOptions(
        formats=tuple(to),
        out_dir=Path(out_dir),
        write=options or WriteOptions(),
        meta=tuple(sorted((meta or {}).items())),
        jobs=jobs,
        force=force,
        fail_fast=fail_fast,
        glob=glob,
    )
    return run_batch([str(i) for i in inputs], batch)
