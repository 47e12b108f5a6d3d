"""A law's 题注 in PDF: the adoption and amendment records run on in one justified Kai block."""

from __future__ import annotations

from dataclasses import replace

from exporter.model import RECORDS_JOIN, Inline, Inlines, Text
from exporter.writers.pdf.layout import Typesetter


def joined_records(lines: tuple[Inlines, ...]) -> Inlines:
    """The records as one run of inline content, a full-width space between two records."""
    content: list[Inline] = []
    for k, line in enumerate(lines):
        if k:
            content.append(Text(RECORDS_JOIN))
        content.extend(line)
    return tuple(content)


def set_records(ts: Typesetter, lines: tuple[Inlines, ...]) -> None:
    """Set the records as one paragraph over the measure, justified (its full lines reach both
    margins), broken as body text is; a block that fits on one line is centred under the title
    instead, as a single record is printed, and a single record too long for a line is centred
    on balanced lines broken at its own spaces (date, then the body that acted) or between
    words, as a byline is."""
    st = ts.style("records")
    para = ts.simple(joined_records(lines), st.role, st.size_pt(ts.p))
    if ts.natural_width(para) <= ts.width - ts.shift:
        st = replace(st, align="centre")
    elif len(lines) == 1:
        st = replace(st, align="balanced")
        para.breaks = "spaces"
    ts.set_styled(para, st)
    if st.after:
        ts.blank(st.after)
