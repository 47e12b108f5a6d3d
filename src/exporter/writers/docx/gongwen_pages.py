"""A 公文 DOCX's page machinery: the 版记 in a section of its own on an even page, the 信函's first page (GB/T 9704-2012 §7.4.1, §7.5, §10.1).

A word processor paginates the DOCX itself, so parity is asked of it with sections: when the
PDF typesetter's pages do not leave the 版记 on an even last page of the body (with room to
spare), the 版记 opens a section that starts on an even page (``w:type="evenPage"``, ECMA-376
Part 1 §17.6.22), with footers that carry no PAGE field; a word processor inserts the blank
page before it when the body ends on an even page.
"""

from __future__ import annotations

import copy
from typing import Any

from exporter.model import Document
from exporter.model.framing import frame, framed_body
from exporter.options import Profile, WriteOptions
from exporter.writers.docx.parts import R_NS, W_NS

_W = f"{{{W_NS}}}"
#: Lines of room the body's last page must have beyond the 版记's for the 版记 to stay on it:
#: a word processor's lines need not fall exactly where the PDF typesetter's do.
SLACK_LINES = 2
#: The empty paragraph the 版记's XML opens with when it takes a section of its own: the body's
#: section goes into the body's last paragraph in its place.
SECTION_MARK = "<w:p><w:pPr><w:sectPr/></w:pPr></w:p>"


def colophon_own_section(doc: Document, options: WriteOptions) -> bool:
    """Whether the 版记 needs a section of its own: it is not on an even last page of the body
    with room to spare when the PDF typesetter sets the document."""
    from exporter.fonts import fontset_for
    from exporter.writers.pdf.chapters import chapter_pages
    from exporter.writers.pdf.colophon import colophon_rows, fits_last_page
    from exporter.writers.pdf.layout import Typesetter, paginate
    from exporter.writers.pdf.masthead import set_head

    profile = options.profile
    framed = frame(doc)
    if not framed.tail or not profile.official_format:
        return False
    ts = Typesetter(fontset_for(options, doc.meta.language), profile)
    ts.chapter_pages = chapter_pages(doc, options)
    ts.sealed = doc.meta.official.has_seal
    set_head(ts, framed, profile.official_format)
    pages = paginate(ts.layout(framed_body(doc, framed)), ts.height + 1e-6)
    rows = colophon_rows(ts, framed, profile.official_format)
    return bool(rows) and not fits_last_page(ts, rows, pages, SLACK_LINES)


def _empty_footer() -> str:
    return f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p/></w:ftr>'


def set_pages(document: Any, profile: Profile) -> None:
    """The 公文's sections once the body is filled: the 信函's first page (no page number, the
    lower red double line), then the 版记's own section if it has one."""
    if profile.official_format == "letter":
        letter_first_page(document)
    if profile.official_format:  # only a 公文's 版记 brings the mark (looked for in the whole body)
        split_colophon(document)


def letter_first_page(document: Any) -> None:
    """§10.1: the 信函's first page carries no page number: a first-page footer of its own
    (``w:titlePg``, ECMA-376 Part 1 §17.10.6), empty. (The lower red double line is a frame
    in the body's first paragraphs: LibreOffice keeps a footer's frames inside the footer.)"""
    from exporter.writers.docx.fill import set_part_xml

    section = document.sections[-1]
    section.different_first_page_header_footer = True
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    set_part_xml(footer.part, _empty_footer())


def split_colophon(document: Any) -> None:
    """The body's section closed in its last paragraph, before the 版记 (marked by
    :data:`SECTION_MARK`); the last section, the 版记's, starts on an even page and its
    footers (default, even, first) have no page number (§7.5)."""
    from docx.enum.section import WD_SECTION

    from exporter.writers.docx.fill import set_part_xml

    body = document.element.body
    mark = next((s for s in body.iterfind(f"{_W}p/{_W}pPr/{_W}sectPr") if not len(s)), None)
    if mark is None:
        return
    final = body.sectPr
    para = mark.getparent().getparent()
    before = para.getprevious()
    if before is not None and before.tag == f"{_W}p":
        ppr = before.find(f"{_W}pPr")
        if ppr is None:
            ppr = before.makeelement(f"{_W}pPr", {})
            before.insert(0, ppr)
        ppr.append(copy.deepcopy(final))
        # The mark's paragraph stays, empty, at the head of the 版记's section: LibreOffice
        # drops a section break (and its footers) that a floating table follows directly.
        mark.getparent().remove(mark)
    else:
        mark.getparent().replace(mark, copy.deepcopy(final))
    for ref in final.findall(f"{_W}footerReference") + final.findall(f"{_W}titlePg"):
        final.remove(ref)
    section = document.sections[-1]
    section.start_type = WD_SECTION.EVEN_PAGE
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        set_part_xml(footer.part, _empty_footer())
