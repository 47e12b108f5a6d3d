"""A contents list for a document that has none (``--toc``), made from its headings."""

from __future__ import annotations

from dataclasses import replace

from exporter.model import (
    Block,
    Break,
    Byline,
    Contents,
    DocNumber,
    Document,
    Heading,
    Records,
    Subtitle,
    Title,
    heading_separator,
    plain,
    text_of,
)

#: Headings down to this level are listed (as Word's TOC \o "1-2"); run-in headings (a law's
#: 第X条 with its text) are text, not entries.
TOC_LEVELS = 2
#: Fewer headings than this make no contents worth a page.
TOC_MIN_ENTRIES = 2
#: The contents' own heading (user-facing text).
TOC_LABEL = "目录"


def entries(doc: Document) -> tuple[str, ...]:
    """The entry of each listed heading: its ordinal, the separator writers set, its text."""
    return tuple(
        b.number + heading_separator(b.number) + text_of(b.content)
        for b in doc.blocks
        if isinstance(b, Heading) and b.level <= TOC_LEVELS and not b.body
    )


def with_contents(doc: Document) -> Document:
    """``doc`` with a contents list after its title group and a page break after that, when
    it has no contents of its own and enough headings; else ``doc`` itself."""
    if any(isinstance(b, Contents) for b in doc.blocks):
        return doc
    found = entries(doc)
    if len(found) < TOC_MIN_ENTRIES:
        return doc
    front = (Title, Subtitle, Byline, Records, DocNumber)
    k = 0
    while k < len(doc.blocks) and isinstance(doc.blocks[k], front):
        k += 1
    added: list[Block] = [
        Subtitle(plain(TOC_LABEL)),
        Contents(tuple(plain(e) for e in found)),
        Break("page"),
    ]
    return replace(doc, blocks=(*doc.blocks[:k], *added, *doc.blocks[k:]))
