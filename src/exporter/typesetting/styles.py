"""Per-block styles: the one table of face, size, indents, alignment and spacing all writers read.

The PDF layout, the DOCX paragraph styles and the EPUB stylesheet take every block's look from
:func:`block_style`, so a quote is the same Kai face, size and indents in all three. Where a
format cannot follow the table, its writer says why at that place.

Lengths are in characters of the body size (clreq: indents are counted in characters),
spaces in lines of the profile's pitch, sizes in ems of the body size (``None``: the role's own
size, as the profile gives it, e.g. GB/T 9704-2012 §7.3.1 2号 for the title).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from exporter.options import Profile

#: ``balanced`` is centred with lines of nearly equal length (titles, GB/T 9704-2012 §7.3.1);
#: formats without a balancing line breaker set it as ``centre``.
Align = Literal["justify", "left", "centre", "right", "balanced"]

Kind = Literal[
    "title",
    "subtitle",
    "docnumber",
    "byline",
    "addressee",
    "lead",
    "dateline",
    "paragraph",
    "heading1",
    "heading2",
    "heading3",
    "heading4",
    "runin",
    "quote",
    "verse",
    "contents",
    "code",
    "list",
    "note",
    "attachment_head",
    "attachment_title",
    "attachments",
    "signature",
]


@dataclass(frozen=True, slots=True)
class BlockStyle:
    """How one kind of block (or inline part: ``dateline``, ``note``) is set."""

    role: str  # font role whose face (and weight) sets the text
    size: float | None = None  # ems of the body size; None: the role's own size
    indent: float = 0.0  # first line, characters, relative to ``left`` (negative: hanging)
    left: float = 0.0  # every line, characters
    right: float = 0.0
    align: Align = "justify"
    before: float = 0.0  # space before, lines
    after: float = 0.0  # space after, lines
    keep: bool = False  # keep with the next block on the same page

    def size_pt(self, profile: Profile) -> float:
        """The size in points for ``profile``."""
        if self.size is None:
            return profile.roles[self.role].size_pt
        return self.size * profile.body_size_pt


def _table(ind: float) -> dict[str, BlockStyle]:
    """The table for a profile whose paragraphs are indented ``ind`` characters (clreq: 2)."""
    return {
        # GB/T 9704-2012 §7.3.1: the title centred, in lines of nearly equal length.
        "title": BlockStyle("title", align="balanced", keep=True),
        "subtitle": BlockStyle("subtitle", align="balanced", keep=True),
        # GB/T 9704-2012 §7.2.4: the document number centred, one blank line below it.
        "docnumber": BlockStyle("body", 1.0, align="centre", after=1.0),
        # A byline (author, source, date under a title) in Kai at the body size, centred.
        "byline": BlockStyle("subtitle", 1.0, align="balanced", keep=True),
        # GB/T 9704-2012 §7.3.2: 主送机关 flush left, wrapped lines flush left too.
        "addressee": BlockStyle("body", 1.0),
        "lead": BlockStyle("body", 1.0, indent=ind),
        # A news lead's dateline (新华社北京9月13日电) in Hei at the body size.
        "dateline": BlockStyle("heading1", 1.0),
        # clreq: a paragraph's first line indented two characters, justified.
        "paragraph": BlockStyle("body", 1.0, indent=ind),
        # GB/T 9704-2012 §7.3.3: headings sit in the text like paragraphs, two characters in.
        "heading1": BlockStyle("heading1", indent=ind, keep=True),
        "heading2": BlockStyle("heading2", indent=ind, keep=True),
        "heading3": BlockStyle("heading3", indent=ind, keep=True),
        "heading4": BlockStyle("heading4", indent=ind, keep=True),
        # A run-in heading (一、标题。正文…) is one paragraph at the body size.
        "runin": BlockStyle("body", 1.0, indent=ind),
        # A quotation: Kai at the body size, set in by two characters on both sides, its first
        # line indented like a paragraph's.
        "quote": BlockStyle("subtitle", 1.0, indent=ind, left=ind, right=ind),
        # Verse and contents lines: two characters in; a wrapped line hangs two more.
        "verse": BlockStyle("body", 1.0, indent=-ind, left=2 * ind, align="left"),
        "contents": BlockStyle("body", 1.0, indent=-ind, left=2 * ind, align="left"),
        # Code: smaller (7/8: whole half points at 12 and 16 pt), two characters in, not justified.
        "code": BlockStyle("body", 0.875, left=ind, align="left"),
        "list": BlockStyle("body", 1.0, indent=ind),
        # A note (夹注 in PDF and EPUB, a footnote in DOCX): Kai at three quarters of the body.
        "note": BlockStyle("subtitle", 0.75),
        # GB/T 9704-2012 §8: 附件N in Hei at the body size, flush left, on a new page.
        "attachment_head": BlockStyle("heading1", 1.0, align="left", keep=True),
        # GB/T 9704-2012 §8: the attachment's title as the document's title, on the third line.
        "attachment_title": BlockStyle("title", align="balanced", before=1.0, after=1.0, keep=True),
        # GB/T 9704-2012 §7.3.4: one blank line after the body, two characters in.
        "attachments": BlockStyle("body", 1.0, left=ind, before=1.0),
        # GB/T 9704-2012 §7.3.5.2: one blank line after the body, right-indented two characters.
        "signature": BlockStyle("body", 1.0, right=ind, align="right", before=1.0),
    }


_TABLES: dict[int, dict[str, BlockStyle]] = {}


def block_style(kind: Kind, profile: Profile) -> BlockStyle:
    """The style of ``kind`` in ``profile``."""
    table = _TABLES.get(profile.indent_chars)
    if table is None:
        table = _TABLES[profile.indent_chars] = _table(float(profile.indent_chars))
    return table[kind]


_HEADINGS: tuple[Kind, ...] = ("heading1", "heading2", "heading3", "heading4")


def heading_kind(level: int) -> Kind:
    """The style kind of a heading of ``level`` (levels past 4 are set as level 4)."""
    return _HEADINGS[min(max(level, 1), 4) - 1]
