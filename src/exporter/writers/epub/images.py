"""Images a book embeds: the documents' PNG and JPEG resources as manifest items."""

from __future__ import annotations

import re
from collections.abc import Iterator

from exporter import diagnostics
from exporter.model import Document, Emphasis, Image, Inlines, Link, Note, Strike, Strong
from exporter.record import record
from exporter.writers.html.xhtml import inline_contents

#: A resource id that can stand in a file name as it is (the zip keeps names to this set).
_SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")

#: Media types by the bytes' signature (PNG §5.2, JPEG's SOI marker and the next marker's
#: first byte): the bytes decide, not the resource's label, so the manifest never lies (EPUBCheck
#: checks an image's bytes against its declared type). EPUB 3.3 §3.2 core media types.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@record
class ImageItem:
    """One embedded image: its path under the package folder, media type and bytes."""

    name: str
    media_type: str
    data: bytes


def _sniff(data: bytes) -> tuple[str, str] | None:
    for signature, media_type, ext in _SIGNATURES:
        if data.startswith(signature):
            return media_type, ext
    return None


def _images(content: Inlines) -> Iterator[Image]:
    for item in content:
        if isinstance(item, Image):
            yield item
        elif isinstance(item, Emphasis | Note | Strong | Strike | Link):
            yield from _images(item.content)


def referenced(doc: Document) -> set[str]:
    """The resource ids the document's images name."""
    return {
        image.resource
        for block in doc.blocks
        for content in inline_contents(block)
        for image in _images(content)
        if image.resource
    }


def embed(doc: Document, prefix: str) -> tuple[dict[str, str], list[ImageItem]]:
    """The document's images as items named ``images/<prefix><id>.<ext>``, in the order of its
    resources (a book gives each document its own prefix, so equal ids do not clash), and the
    map from resource id to item name. A resource no image names is left out; one neither PNG
    nor JPEG is left out with a warning (its images keep their alt text)."""
    wanted = referenced(doc)
    names: dict[str, str] = {}
    items: list[ImageItem] = []
    used: set[str] = set()
    for n, res in enumerate(doc.resources, start=1):
        if res.id not in wanted or res.id in names:
            continue
        kind = _sniff(res.data)
        if kind is None:
            diagnostics.warn(
                "image-not-embedded",
                f"image {res.id!r} ({res.media_type or 'unknown type'}) is neither PNG nor JPEG: "
                "the EPUB keeps its alt text in its place",
                resource=res.id,
            )
            continue
        media_type, ext = kind
        stem = res.id if _SAFE.fullmatch(res.id) else f"image{n}"
        while f"{prefix}{stem}".lower() in used:  # case-insensitive file systems, too
            stem += f"-{n}"
        used.add(f"{prefix}{stem}".lower())
        name = f"images/{prefix}{stem}.{ext}"
        names[res.id] = name
        items.append(ImageItem(name, media_type, res.data))
    return names, items


def all_alt(doc: Document, names: dict[str, str]) -> bool:
    """Whether every image the book embeds for ``doc`` has alt text."""
    return all(
        image.alt.strip()
        for block in doc.blocks
        for content in inline_contents(block)
        for image in _images(content)
        if image.resource in names
    )
