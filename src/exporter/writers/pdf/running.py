"""Running heads (书眉) on a book's pages: the book's title on even pages, the chapter's on odd.

Only a book (see :func:`exporter.typesetting.books.is_book`) off the grid gets them (GB/T
9704-2012 prints none). A page that opens a chapter, and the pages before the first chapter
(title, contents), have none, as books set them. The head is set small above the type area
with a hairline under it, and marked as a pagination artifact (ISO 32000-1 §14.8.2.2.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exporter.model import Document, Title, text_without_notes
from exporter.options import MM, WriteOptions
from exporter.typesetting.linebreak import Line

if TYPE_CHECKING:
    from exporter.writers.pdf.layout import Para, Row, Typesetter
    from exporter.writers.pdf.writer import _Renderer

#: The head's size (ems of the body) and its baseline's height above the type area (mm).
HEAD_SIZE = 0.75
HEAD_RAISE_MM = 6.0


def book_title(doc: Document) -> str:
    """The title a running head repeats: the metadata's, else the Title block's."""
    return doc.meta.title or next(
        (text_without_notes(b.content) for b in doc.blocks if isinstance(b, Title)), ""
    )


class RunningHeads:
    """Each page's running head as a set paragraph (None: no head), for the renderer."""

    def __init__(
        self, ts: Typesetter, doc: Document, options: WriteOptions, pages: list[list[Row]]
    ) -> None:
        self.ts = ts
        self.heads: list[Para | None] = [None] * len(pages)
        if not _book(doc, options):
            return
        title = book_title(doc)
        size = HEAD_SIZE * ts.body
        chapter = ""
        for k, rows in enumerate(pages):
            marks = [r.bookmark[0] for r in rows if r.bookmark and r.bookmark[1] <= 1]
            opening = bool(rows) and (rows[0].sink or rows[0].bookmark is not None)
            shown = chapter
            if marks:
                chapter = marks[-1]
            if opening or not shown:
                continue  # a chapter's first page; before the first chapter (title, contents)
            text = title if (k + 1) % 2 == 0 else shown
            self.heads[k] = _para(ts, text, size) if text else None

    def draw(self, renderer: _Renderer, code: list[str], number: int) -> None:
        para = self.heads[number - 1]
        if para is None:
            return
        width = sum(para.widths)
        top = renderer.top
        base = top + HEAD_RAISE_MM * MM
        left = renderer.left
        right = left + self.ts.width
        # Even (verso) pages flush left, odd (recto) pages flush right.
        x = left if number % 2 == 0 else right - width
        code.append("/Artifact <</Type /Pagination /Subtype /Header>> BDC")
        renderer.line(code, para, Line(0, len(para.text), width), x, base)
        rule = top + HEAD_RAISE_MM * MM / 2
        code.append(f"q 0 G 0.4 w {left:.2f} {rule:.2f} m {right:.2f} {rule:.2f} l S Q")
        code.append("EMC")


def _book(doc: Document, options: WriteOptions) -> bool:
    from exporter.typesetting.books import is_book
    from exporter.typesetting.styles import on_grid

    return not on_grid(options.profile) and is_book(doc)


def _para(ts: Typesetter, text: str, size: float) -> Para:
    from exporter.writers.pdf.layout import Para

    para = Para()
    ts.add(para, text, "subtitle", size)
    return para
