"""Title line breaks for DOCX: where the PDF breaks a title, so Word and WPS show the same lines."""

from __future__ import annotations

from exporter.model import Document, Text, Title
from exporter.options import WriteOptions

#: A title shorter than this many ems of its measure never wraps: no fonts are loaded for it.
_WRAPS_FROM = 0.9


def title_breaks(doc: Document, options: WriteOptions) -> dict[int, list[int]]:
    """For each Title block (by index) of plain text that wraps: the offsets where its lines
    after the first start, chosen as the PDF chooses them (the trapezoid with words kept whole,
    GB/T 9704-2012 §7.3.1). Word would break the line wherever it fills, inside a word
    (…春节期间安 / 全生产…); a manual line break (``w:br``) keeps the PDF's lines."""
    profile = options.profile
    spec = profile.roles["title"]
    measure = profile.text_width_mm * 72 / 25.4
    titles = {
        k: b.content[0].text
        for k, b in enumerate(doc.blocks)
        if isinstance(b, Title) and len(b.content) == 1 and isinstance(b.content[0], Text)
    }
    titles = {k: t for k, t in titles.items() if len(t) * spec.size_pt > _WRAPS_FROM * measure}
    if not titles:
        return {}
    from exporter.fonts import fontset_for
    from exporter.writers.pdf.layout import Typesetter

    ts = Typesetter(fontset_for(options, doc.meta.language), profile)
    out: dict[int, list[int]] = {}
    for k, text in titles.items():
        title = doc.blocks[k]
        assert isinstance(title, Title)
        set_text, breaks = ts.title_breaks(doc, title.content)
        if breaks and set_text == text:  # offsets into the very text the DOCX writes
            out[k] = breaks
    return out
