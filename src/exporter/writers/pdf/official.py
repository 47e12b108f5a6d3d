"""The PDF's pages with a 公文's 版头 above the body and its 版记 on an even last page (GB/T 9704-2012 §7, §10)."""

from __future__ import annotations

from exporter.model import Document
from exporter.model.framing import flattened, frame, framed_body
from exporter.options import Profile
from exporter.writers.pdf.colophon import colophon_rows, place_colophon
from exporter.writers.pdf.layout import Row, Typesetter, paginate
from exporter.writers.pdf.masthead import set_head


def official_pages(
    ts: Typesetter, doc: Document, profile: Profile
) -> tuple[Document, list[list[Row]], frozenset[int]]:
    """(the body set, its pages, the numbers of pages that carry no page number). A 公文
    profile sets the fields in its 版头 and 版记; elsewhere they are text around the body."""
    ts.sealed = doc.meta.official.has_seal  # the bodies below no longer carry the fields
    if not profile.official_format:
        body = flattened(doc)
        return body, paginate(ts.layout(body), ts.height + 1e-6), frozenset()
    framed = frame(doc)
    body = framed_body(doc, framed)
    set_head(ts, framed, profile.official_format)
    pages = paginate(ts.layout(body), ts.height + 1e-6)
    tail = colophon_rows(ts, framed, profile.official_format)
    pages, unnumbered = place_colophon(ts, tail, pages)
    if profile.official_format == "letter":
        unnumbered |= {1}  # §10.1: no page number on the first page
    return body, pages, unnumbered
