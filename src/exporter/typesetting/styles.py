"""Per-block styles: the one table of face, size, indents, alignment and spacing all writers read.

The PDF layout, the DOCX paragraph styles and the EPUB stylesheet take every block's look from
:func:`block_style`, so a quote is the same Kai face, size and indents in all three. Where a
format cannot follow the table, its writer says why at that place.

Lengths are in characters of the body size (clreq: indents are counted in characters),
spaces in lines of the profile's pitch, sizes in ems of the body size (``None``: the role's own
size, as the profile gives it, e.g. GB/T 9704-2012 §7.3.1 2号 for the title).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from exporter.model import (
    DIVISION_KINDS,
    PROLOGUE_WORDS,
    Block,
    Byline,
    DocNumber,
    Heading,
    Records,
    Subtitle,
    Title,
)
from exporter.options import MM, Profile
from exporter.record import record

#: ``balanced`` is centred with lines of nearly equal length (titles, GB/T 9704-2012 §7.3.1);
#: formats without a balancing line breaker set it as ``centre``.
Align = Literal["justify", "left", "centre", "right", "balanced"]

Kind = Literal[
    "title",
    "subtitle",
    "docnumber",
    "byline",
    "records",
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
    "rule",
    "boilerplate",
    "table",
    "table_header",
]


@record
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


def _table(ind: float, grid: bool) -> dict[str, BlockStyle]:
    """The table for a profile whose paragraphs are indented ``ind`` characters (clreq: 2);
    ``grid``: the profile sets every line on a fixed pitch (GB/T 9704-2012 §5.2.2)."""
    # Off the grid half a line sets off the title and each first-level section; on the grid
    # every row keeps the pitch (22 lines a page), so there is no half line to give.
    half = 0.0 if grid else 0.5
    return {
        # GB/T 9704-2012 §7.3.1: the title centred, in lines of nearly equal length.
        "title": BlockStyle("title", align="balanced", after=half, keep=True),
        "subtitle": BlockStyle("subtitle", align="balanced", keep=True),
        # GB/T 9704-2012 §7.2.4: the document number centred, one blank line below it.
        "docnumber": BlockStyle("body", 1.0, align="centre", after=1.0),
        # A byline (author, source, date under a title) in Kai at the body size, centred.
        "byline": BlockStyle("subtitle", 1.0, align="balanced", keep=True),
        # A law's 题注 (adoption and amendment records): one block in Kai at the body size,
        # justified over the measure, as official texts print it under the title; not kept
        # with the next block, as a dozen records may run over most of a page.
        "records": BlockStyle("subtitle", 1.0),
        # GB/T 9704-2012 §7.3.2: 主送机关 flush left, wrapped lines flush left too.
        "addressee": BlockStyle("body", 1.0),
        "lead": BlockStyle("body", 1.0, indent=ind),
        # A news lead's dateline (新华社北京9月13日电) in Hei at the body size.
        "dateline": BlockStyle("heading1", 1.0),
        # clreq: a paragraph's first line indented two characters, justified.
        "paragraph": BlockStyle("body", 1.0, indent=ind),
        # GB/T 9704-2012 §7.3.3: headings sit in the text like paragraphs, two characters in
        # (a chapter heading is centred instead: see heading_style).
        "heading1": BlockStyle("heading1", indent=ind, before=half, keep=True),
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
        # A thematic break: one line of its own with a short rule centred on it; the source's
        # separator characters are kept out of sight (markup, but no character is lost).
        "rule": BlockStyle("body", 1.0, align="centre"),
        # A web page's furniture (打印 关闭, 责任编辑：…): kept, but small and flush left, with
        # no indent, so it does not read as the document's own paragraphs.
        "boilerplate": BlockStyle("body", 0.75, align="left"),
        # A table's cells: the body face at the body size (on the grid its lines keep the
        # pitch), no indent; a cell's alignment is its column's; space after it so that the
        # next line does not touch its rule (half a line; on the grid a whole one). Header cells in Hei,
        # centred unless their column says otherwise.
        "table": BlockStyle("body", 1.0, after=half or 1.0),
        "table_header": BlockStyle("heading1", 1.0, align="centre", keep=True),
    }


_TABLES: dict[tuple[int, bool], dict[str, BlockStyle]] = {}


def on_grid(profile: Profile) -> bool:
    """Whether ``profile`` sets a fixed number of characters a line and lines a page."""
    return profile.chars_per_line is not None and profile.lines_per_page is not None


def block_style(kind: Kind, profile: Profile) -> BlockStyle:
    """The style of ``kind`` in ``profile``."""
    key = (profile.indent_chars, on_grid(profile))
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = _table(float(profile.indent_chars), key[1])
    return table[kind]


# -- lines -----------------------------------------------------------------------------------


def pitch_pt(profile: Profile) -> float:
    """The distance between two body lines: the type area's height over the lines a page on
    the grid (GB/T 9704-2012 §5.2.2: 22), else the profile's line pitch."""
    if on_grid(profile):
        assert profile.lines_per_page
        return profile.text_height_mm * MM / profile.lines_per_page
    return profile.line_pitch_pt


def line_height_pt(size: float, profile: Profile) -> float:
    """The line of text set at ``size`` points: the pitch, unless a larger face would crowd it.

    On the grid every line is the pitch. Elsewhere the pitch holds a face up to pitch / 1.45
    (14.5 pt at 21 pt): below 1.45 the blank between two lines of Han characters, whose ink
    fills nearly the whole em, drops under 0.45 em and the lines read as one block. A larger
    face (a title) gets lines of 1.6 em, display leading a little tighter than the body's 1.75,
    so a two-line title stays one unit.
    """
    pitch = pitch_pt(profile)
    if on_grid(profile) or size * 1.45 <= pitch:
        return pitch
    return round(size * 1.6, 2)


# -- title group -----------------------------------------------------------------------------

#: The blocks of a title group: title, subtitle, byline, document number.
FRONT = (Title, Subtitle, Byline, Records, DocNumber)


def front_gap(prev: Block | None, block: Block, in_body: bool, profile: Profile) -> float:
    """Blank lines before ``block``: one when it ends a title group (GB/T 9704-2012 §7.3.2:
    主送机关 one line below the title), else none. ``in_body``: a block outside a title group
    came earlier; on the grid such a group (a news item's byline) gets no blank line, so pages
    keep 22 lines of text."""
    if isinstance(prev, FRONT) and not isinstance(block, FRONT):
        if not (in_body and on_grid(profile)):
            return 1.0
    return 0.0


# -- headings --------------------------------------------------------------------------------

#: The ordinal of a heading that opens a book's division (第三章, 第一回, 第二编, 第一部分) or
#: stands where one would (楔子, 序言, 尾声); scraped texts put 正文 in front. Law articles
#: (第十二条) and the gongwen ordinals (一、（一）1.（1）) are not among them.
_CHAPTER_NUMBER = re.compile(
    rf"(?:正文\s*)?(?:第[ \u3000]*\S+?[ \u3000]*(?:[{DIVISION_KINDS}]|部分)|卷之?\S+|卷[上中下]"
    rf"|{'|'.join(PROLOGUE_WORDS)})"
)


def chapter_like(number: str) -> bool:
    """Whether a heading with this ordinal opens a chapter (or a part, a section, a prologue)."""
    return _CHAPTER_NUMBER.fullmatch(number) is not None


_HEADINGS: tuple[Kind, ...] = ("heading1", "heading2", "heading3", "heading4")


def heading_kind(level: int) -> Kind:
    """The style kind of a heading of ``level`` (levels past 4 are set as level 4)."""
    return _HEADINGS[min(max(level, 1), 4) - 1]


def heading_style(heading: Heading, profile: Profile) -> BlockStyle:
    """How a heading's ordinal and text are set: its level's row, except that

    - a chapter heading (:func:`chapter_like`) is centred with no indent, as books set the
      opening of a chapter; GB/T 9704-2012 §7.3.3 headings (一、（一）) stay two characters in;
    - a run-in heading (一、总体要求。正文… or 第十二条　正文…) is one paragraph: the run-in
      row's size, indents and alignment, the level's face, the level's space before and no
      keep (its text follows on the same line). Its body is set as ``runin``.
    """
    st = block_style(heading_kind(heading.level), profile)
    if heading.body:
        runin = block_style("runin", profile)
        return replace(runin, role=st.role, before=st.before)
    if chapter_like(heading.number):
        return replace(st, indent=0.0, left=0.0, align="centre")
    return st
