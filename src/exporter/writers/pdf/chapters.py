"""A book's chapter openings in PDF: each chapter starts a new page, with space above its heading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exporter.model import Document
from exporter.options import WriteOptions
from exporter.typesetting.books import is_book
from exporter.typesetting.styles import on_grid

if TYPE_CHECKING:
    from exporter.writers.pdf.layout import Typesetter

#: The chapter opening's sink: lines of space above the heading on its new page (books set a
#: chapter's first page lower than the others, 章首下沉).
CHAPTER_SINK = 3.0


def chapter_pages(doc: Document, options: WriteOptions) -> bool:
    """Whether chapters open pages: asked for (the default), a book by its shape, and a profile
    off the grid (GB/T 9704-2012 sets a document on 22 lines a page and runs its parts on)."""
    return options.chapter_pages and not on_grid(options.profile) and is_book(doc)


def open_chapter(ts: Typesetter) -> None:
    """A page break, then the sink: a row of space that, unlike a blank line, is kept at the
    head of the page and travels with the heading."""
    from exporter.writers.pdf.layout import Row

    ts.rows.append(Row(0.0, page_break=True))
    ts.rows.append(Row(ts.pitch * CHAPTER_SINK, keep=True, sink=True))
