"""Whether a document is a book (its chapters open pages, its pages carry running heads)."""

from __future__ import annotations

import re

from exporter.model import Document, Heading, block_texts
from exporter.typesetting.styles import chapter_like

#: A book has at least this many chapters (level-1 headings opening a 第X回/第X章/卷X/楔子)...
BOOK_MIN_CHAPTERS = 2
#: ...and this many characters of text over all, at least this many a chapter on average: a
#: short document with chapter-like headings (a law's 第一章 总则, a notice) is not a book.
BOOK_MIN_CHARS = 10_000
BOOK_MIN_CHARS_PER_CHAPTER = 2_000
#: A code of law (第X条 articles) is never a book, however long: official texts run its
#: chapters on.
_ARTICLE = re.compile(r"第\S+条")


def chapters(doc: Document) -> list[Heading]:
    """The document's chapter headings: level 1, a chapter-like ordinal, not run in."""
    return [
        b
        for b in doc.blocks
        if isinstance(b, Heading) and b.level == 1 and not b.body and chapter_like(b.number)
    ]


def is_book(doc: Document) -> bool:
    """A book by its shape: enough chapters, enough text, no law articles."""
    found = chapters(doc)
    if len(found) < BOOK_MIN_CHAPTERS:
        return False
    if any(isinstance(b, Heading) and _ARTICLE.fullmatch(b.number) for b in doc.blocks):
        return False
    size = sum(len(t) for b in doc.blocks for t in block_texts(b))
    return size >= BOOK_MIN_CHARS and size >= BOOK_MIN_CHARS_PER_CHAPTER * len(found)
