"""Writer protocol and registry: built-in writers by dotted path, plug-ins via the exporter.writers entry points."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import BinaryIO, ClassVar, Protocol, runtime_checkable

from exporter.errors import ExporterError
from exporter.model import Document, Metadata
from exporter.options import WriteOptions
from exporter.record import record


@runtime_checkable
class Writer(Protocol):
    """Turns a Document into one output file written to a binary stream."""

    #: The ``--to`` value and the entry-point name, e.g. "docx".
    name: ClassVar[str]
    #: The output file extension with its dot, e.g. ".docx"; lets the format follow from ``-o``.
    extension: ClassVar[str]

    def write(self, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        """Write ``doc`` to ``dest``; raise an ExporterError subclass with a one-line message on failure."""
        ...


@runtime_checkable
class BookWriter(Writer, Protocol):
    """A writer that can also bind several documents into one file (``-o book.epub``)."""

    def write_book(
        self,
        docs: Sequence[Document],
        options: WriteOptions,
        dest: BinaryIO,
        meta: Metadata | None = None,
    ) -> None:
        """Write ``docs`` as the parts of one file; ``meta`` overrides the first document's."""
        ...


def needs_fonts(writer: Writer) -> bool:
    """Whether a writer draws glyphs itself (so the batch reports uncovered characters for it).

    A writer says so with a class attribute ``needs_fonts = True``; plug-ins without it do not.
    """
    return bool(getattr(writer, "needs_fonts", False))


def binds_books(writer: Writer) -> bool:
    """Whether a writer can bind several inputs into one file (the :class:`BookWriter` protocol)."""
    return isinstance(writer, BookWriter)


#: Built-in writers, imported lazily so that ``exporter --help`` stays fast.
BUILTIN: dict[str, str] = {
    "docx": "exporter.writers.docx:DocxWriter",
    "pdf": "exporter.writers.pdf:PdfWriter",
    "epub": "exporter.writers.epub:EpubWriter",
}

ENTRY_POINT_GROUP = "exporter.writers"


@record
class WriterInfo:
    """A writer the registry knows: its name, where it comes from, and a load error if it has one."""

    name: str
    target: str
    builtin: bool
    error: str = ""


def _plugin_targets() -> dict[str, str]:
    found: dict[str, str] = {}
    # importlib.metadata costs ~17 ms to import: only a lookup beyond the built-ins pays it.
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in BUILTIN:  # built-in names win, as in Sphinx
            found[ep.name] = ep.value
    return found


def _load(target: str) -> type[Writer]:
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    obj = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[return-value]


def available() -> list[WriterInfo]:
    """Every registered writer, built-in first; a plug-in that fails to load carries its error."""
    infos = [WriterInfo(name, target, True) for name, target in BUILTIN.items()]
    for name, target in sorted(_plugin_targets().items()):
        try:
            cls = _load(target)
            if not isinstance(getattr(cls, "name", None), str) or not hasattr(cls, "write"):
                raise TypeError("not a Writer (needs name, extension and write)")
            infos.append(WriterInfo(name, target, False))
        except Exception as exc:  # a broken plug-in must not break the others
            infos.append(WriterInfo(name, target, False, f"{type(exc).__name__}: {exc}"))
    return infos


def names() -> list[str]:
    """Names of the writers that can be used (broken plug-ins left out)."""
    return [info.name for info in available() if not info.error]


_cache: dict[str, Writer] = {}


def get_writer(name: str) -> Writer:
    """An instance of the writer registered as ``name``; ExporterError when unknown or broken."""
    if name in _cache:
        return _cache[name]
    target = BUILTIN.get(name) or _plugin_targets().get(name)
    if target is None:
        raise ExporterError(f"unknown format {name!r} (known: {', '.join(names())})")
    try:
        writer = _load(target)()
    except ExporterError:
        raise
    except Exception as exc:
        raise ExporterError(f"writer {name!r} failed to load: {type(exc).__name__}: {exc}") from exc
    _cache[name] = writer
    return writer


def format_for_path(path: str) -> str | None:
    """The writer name whose extension matches ``path`` (``book.epub`` -> ``epub``), if any."""
    lower = path.lower()
    for name in BUILTIN:
        if lower.endswith("." + name):
            return name
    for name in _plugin_targets():
        try:
            if lower.endswith(get_writer(name).extension):
                return name
        except ExporterError:
            continue
    return None
