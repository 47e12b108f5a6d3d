"""How an output was made (exporter version, options, source file and encoding), for archivists.

Every value is a known fact: a source name only when a file was read, an encoding only when
one was detected or given, SOURCE_DATE_EPOCH only when it is set. Nothing is a document date.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from exporter import __version__
from exporter.model import Document
from exporter.options import WriteOptions
from exporter.record import record
from exporter.writers._dates import source_date_epoch


@record
class SourceFile:
    """The input a document was read from: its name (no folders) and its bytes as they were."""

    name: str
    data: bytes


_SOURCE: ContextVar[SourceFile | None] = ContextVar("exporter_source_file", default=None)


@contextmanager
def source_file(name: str, data: bytes) -> Iterator[None]:
    """While open, writers know the source file (its name is recorded; PDF/A-3b embeds it)."""
    token = _SOURCE.set(SourceFile(name.replace("\\", "/").rsplit("/", 1)[-1], data))
    try:
        yield
    finally:
        _SOURCE.reset(token)


def current_source() -> SourceFile | None:
    """The source file set by the innermost ``source_file``, or None (a document from the API)."""
    return _SOURCE.get()


def provenance(doc: Document, options: WriteOptions, fmt: str) -> list[tuple[str, str]]:
    """(key, value) pairs in a fixed order: generator, options, source file and encoding."""
    out = [("generator", f"exporter {__version__}"), ("profile", options.profile.name)]
    if fmt == "pdf" and options.pdfa:
        out.append(("pdfa", options.pdfa))
    epoch = source_date_epoch(options.source_date_epoch)
    if epoch is not None:
        out.append(("source-date-epoch", str(epoch)))
    source = current_source()
    if source is not None:
        out.append(("source-file", source.name))
    if doc.meta.encoding:
        out.append(("source-encoding", doc.meta.encoding))
    return out
