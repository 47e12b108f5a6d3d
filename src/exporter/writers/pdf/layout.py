"""PDF layout: blocks set as rows of justified lines on the page grid, then paginated."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import assert_never

from exporter.fonts import Face, FontSet, is_ignorable
from exporter.model import (
    BOILERPLATE_JOIN,
    Addressee,
    Attachments,
    Block,
    Boilerplate,
    Break,
    Byline,
    Code,
    CodeBlock,
    Contents,
    DocNumber,
    Document,
    Emphasis,
    Heading,
    Image,
    Inlines,
    Lead,
    Link,
    ListBlock,
    ListItem,
    Note,
    Paragraph,
    Quote,
    Records,
    Rule,
    Signature,
    Strike,
    Strong,
    Subtitle,
    Table,
    Text,
    Title,
    Verse,
    document_text,
    heads_attachment,
    marker_separator,
    text_without_notes,
    title_like,
)
from exporter.options import MM, Profile
from exporter.record import record
from exporter.typesetting.linebreak import (
    NARROW_RUN,
    Line,
    Prepared,
    balanced_lines,
    break_lines,
    prepare,
    title_break_costs,
)
from exporter.typesetting.styles import (
    BlockStyle,
    Kind,
    block_style,
    chapter_like,
    front_gap,
    heading_style,
    line_height_pt,
    pitch_pt,
)
from exporter.writers.pdf.attendance import attendance_label, set_attendance
from exporter.writers.pdf.fonts import Metrics, metrics
from exporter.writers.pdf.strokes import Stroke

# A heading number ending in a Han character (第十二条) is set one em from its text.
_HAN_END = re.compile(r"[\u4e00-\u9fff]$")


class Widths(dict[str, float]):
    """Advances of one face at one size, filled on first use of each character.

    On the gongwen grid (``cell`` set) every glyph takes a whole cell, or half a cell when it is
    half-width (digits, Latin), as Word's character grid does; ``fix`` holds the difference from
    the glyph's own advance, which the renderer adds in TJ.
    """

    __slots__ = ("base", "cell", "fix", "metrics", "size")

    def __init__(self, metrics: Metrics | None, size: float, base: float, cell: float) -> None:
        super().__init__()
        self.metrics = metrics
        self.size = size
        self.base = base
        self.cell = cell
        self.fix: dict[str, float] = {}

    def __missing__(self, ch: str) -> float:
        if self.metrics is None:  # no face covers it: a box one em wide
            w = 0.0 if is_ignorable(ch) else self.size
            self[ch] = w
            return w
        adv = self.metrics.advance(ch)
        if adv is None:  # an ignorable character the face lacks: drawn as a blank of width 0
            adv = 0.0
        natural = adv * self.size / 1000 + self.base
        w = natural
        if self.cell:
            w = 0.0 if adv == 0 else (self.cell / 2 if adv <= _HALF_WIDTH else self.cell)
            if abs(w - natural) > 1e-9:
                self.fix[ch] = w - natural
        self[ch] = w
        return w


#: The font role strong text is set in (the heading face, 黑体).
STRONG_ROLE = "heading1"
#: The font role of code, inline and in blocks (a monospaced face).
CODE_ROLE = "code"
#: Advances up to this (thousandths of an em) count as half-width on the gongwen grid.
_HALF_WIDTH = 750


@record(eq=False)
class Font:
    """A face at one size: advance per character (grid base included)."""

    face: Face | None
    size: float
    base: float  # extra advance after every glyph (gongwen grid: pitch - size), set as Tc
    widths: Widths

    def advances(self, text: str) -> list[float]:
        return list(map(self.widths.__getitem__, text))


@dataclass(slots=True)
class Para:
    """A paragraph ready to break: its text, advances and font runs."""

    text: str = ""
    widths: list[float] = field(default_factory=list)
    runs: list[tuple[int, int, Font]] = field(default_factory=list)  # start, end, font
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    boxes: bool = False  # has characters no face covers
    gaps: dict[int, float] = field(default_factory=dict)
    fix: dict[int, float] = field(default_factory=dict)  # grid: advance added to a glyph in TJ
    hidden: bool = False  # set invisibly (Tr 3): a rule's separator characters
    strikes: list[tuple[int, int]] = field(default_factory=list)  # struck through
    links: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, href
    em_top: float = 0.0  # the em box's top above the baseline, in ems (0: not yet measured)
    colour: tuple[float, float, float] | None = None  # glyphs in colour (the red 版头), else black
    # When it wraps: "words" breaks only between words, "spaces" only at its own spaces if its
    # parts fit a line (see typesetting.words.keep_words).
    breaks: str = ""


@dataclass(slots=True)
class Band:
    """One row of a table on the page (or the part of a row taller than a page that fits).

    ``edges`` are the column boundaries from the type area's left edge; every cell holds its
    paragraph and its lines, each with its x from the type area's left edge; line ``j`` of a
    cell sits in the band's ``j``-th line of ``line_height``, its em box centred in it.
    """

    table: int  # which table of the document: bands of one table share their rules
    edges: list[float]
    line_height: float
    size: float
    cells: list[tuple[Para, list[tuple[Line, float]]]]
    header: bool = False


@record(eq=False)
class Picture:
    """A block-level image: its bytes and the size it is drawn at (points)."""

    data: bytes
    width: float
    height: float
    x: float  # from the type area's left edge


@dataclass(slots=True)
class Row:
    """One row of the page: a set line, a blank, or a page break."""

    height: float
    para: Para | None = None
    line: Line | None = None
    x: float = 0.0
    size: float = 0.0
    keep: bool = False  # keep with the next row on the same page
    page_break: bool = False
    bookmark: tuple[str, int] | None = None
    rule: float = 0.0  # the width of a rule drawn centred on this row (a thematic break)
    band: Band | None = None  # a table row
    image: Picture | None = None  # a picture filling the row, centred in it
    # Rows set again at the head of a page this row starts (a table's header rows).
    repeat: tuple[Row, ...] = ()
    artifact: bool = False  # a repeated header: marked as an artifact (ISO 32000-1 §14.8.2.2)
    sink: bool = False  # space kept at the head of a page (above a chapter's opening heading)
    entry: str = ""  # the last row of a contents entry: the entry's text, to find its chapter
    strokes: tuple[Stroke, ...] = ()  # lines drawn from this row's top (公文 separators)

    @property
    def blank(self) -> bool:
        """Whether the row is only space (dropped at the head of a page)."""
        return self.para is None and self.band is None and self.image is None and not self.sink


class Typesetter:
    """Turns blocks into rows of set lines for one profile and font set."""

    def __init__(self, fontset: FontSet, profile: Profile) -> None:
        self.fs = fontset
        self.p = profile
        self.width = profile.text_width_mm * MM
        self.height = profile.text_height_mm * MM
        self.body = profile.body_size_pt
        grid = profile.chars_per_line is not None and profile.lines_per_page is not None
        self.grid = grid
        if grid:
            assert profile.chars_per_line
            self.cell = self.width / profile.chars_per_line
        else:
            self.cell = self.body
        self.pitch = pitch_pt(profile)
        self._fonts: dict[tuple[int, float], Font] = {}
        self.rows: list[Row] = []
        self._title_level = False
        self._doc: Document | None = None
        #: The 公文 is sealed (加盖印章, the field ``has_seal``): its 落款 per §7.3.5.1.
        self.sealed = False
        self._context: str | None = None
        self.shift = 0.0  # left indent of nested blocks (list items' blocks), points
        self.tables = 0
        self.chapter_pages = False  # a book's chapters open new pages (set by the writer)

    # -- fonts and text --------------------------------------------------------------------

    def font(self, face: Face | None, size: float) -> Font:
        key = (id(face), size)
        f = self._fonts.get(key)
        if f is None:
            if face is None:
                f = Font(None, size, 0.0, Widths(None, size, 0.0, 0.0))
            else:
                on_grid = self.grid and size == self.body
                base = self.cell - size if on_grid else 0.0
                cell = self.cell if on_grid else 0.0
                f = Font(face, size, base, Widths(metrics(face), size, base, cell))
            self._fonts[key] = f
        return f

    def add(self, para: Para, text: str, role: str, size: float, emph: bool = False) -> None:
        """Append ``text`` set in ``role``'s face (fallbacks per character) at ``size``."""
        if not text:
            return
        start = len(para.text)
        para.text += text
        for face, run in self._runs(text, role):
            f = self.font(face, size)
            a = len(para.widths)
            para.widths.extend(f.advances(run))
            if f.widths.cell:
                self._grid_fixes(para, a, run, f)
            if face is None:
                para.boxes = True
            if para.runs and para.runs[-1][2] is f and para.runs[-1][1] == a:
                para.runs[-1] = (para.runs[-1][0], a + len(run), f)
            else:
                para.runs.append((a, a + len(run), f))
        if emph:
            para.emphasis.append((start, len(para.text)))

    def _grid_fixes(self, para: Para, a: int, run: str, f: Font) -> None:
        """Record the grid's corrections of a run and set narrow words as units.

        A word of narrow characters (digits, Latin) takes a whole number of half cells, as many
        as it has characters when its glyphs fit with at most 0.12 em less each, else the fewest
        half cells that hold it so; its glyphs keep their own advances and share the difference
        evenly, so ``3.9%`` is not spaced out into ``3. 9%`` by per-glyph half cells. A word in
        a monospaced face keeps its advances and takes the half cells that hold it.
        """
        fix = f.widths.fix
        if fix:
            for i, ch in enumerate(run, a):
                if ch in fix:
                    para.fix[i] = fix[ch]
        metrics = f.widths.metrics
        if metrics is None:
            return
        half = f.widths.cell / 2
        scale = f.size / 1000
        # A monospaced face (code) is neither squeezed nor spaced out: its letters would touch
        # or lose their even pitch; the rest of its last half cell follows the word.
        mono = f.face is not None and f.face.monospaced
        squeeze = 0.0 if mono else 0.12
        for m in NARROW_RUN.finditer(run):
            word = m.group()
            natural = [(metrics.advance(ch) or 0.0) * scale for ch in word]
            total = sum(natural)
            target = len(word) * half
            tight = total - squeeze * f.size * len(word)
            if tight > target + 1e-9:
                target = math.ceil(tight / half - 1e-9) * half
            extra = target - total
            shares = [0.0] * (len(word) - 1) + [extra] if mono else [extra / len(word)] * len(word)
            for k, (adv, t) in enumerate(zip(natural, shares, strict=True)):
                i = a + m.start() + k
                para.widths[i] = adv + t
                para.fix[i] = t - f.base

    def _runs(self, text: str, role: str) -> list[tuple[Face | None, str]]:
        # FontSet.runs walks every character; most text is wholly in the role face, so only the
        # stretches that face lacks are handed to it.
        primary = self.fs.face(role)
        cps = primary.drawn
        missing = {c for c in set(text) if ord(c) not in cps}
        if not missing:
            return [(primary, text)]
        out: list[tuple[Face | None, str]] = []
        pattern = "[" + "".join(re.escape(c) for c in sorted(missing)) + "]+"
        pos = 0
        for m in re.finditer(pattern, text):
            if m.start() > pos:
                out.append((primary, text[pos : m.start()]))
            out.extend(self.fs.runs(m.group(), role))
            pos = m.end()
        if pos < len(text):
            out.append((primary, text[pos:]))
        return out

    def add_inlines(self, para: Para, content: Inlines, role: str, size: float) -> None:
        for item in content:
            if isinstance(item, Text):
                self.add(para, item.text, role, size)
            elif isinstance(item, Emphasis):
                start = len(para.text)
                self.add_inlines(para, item.content, role, size)
                para.emphasis.append((start, len(para.text)))
            elif isinstance(item, Note):
                # Set in place as an inline note (夹注), so reading order is kept; its size is
                # relative to the text around it.
                note = block_style("note", self.p)
                self.add_inlines(para, item.content, note.role, size * (note.size or 1.0))
            elif isinstance(item, Strong):
                # Strong text takes the Hei face, as Chinese setting marks 加粗 in 黑体 (a bold
                # Song exists only for titles; FangSong, the gongwen body, has no bold).
                self.add_inlines(para, item.content, STRONG_ROLE, size)
            elif isinstance(item, Strike):
                start = len(para.text)
                self.add_inlines(para, item.content, role, size)
                para.strikes.append((start, len(para.text)))
            elif isinstance(item, Link):
                start = len(para.text)
                self.add_inlines(para, item.content, role, size)
                para.links.append((start, len(para.text), item.href))
            elif isinstance(item, Code):
                # The code role's monospaced face; what it lacks (Han) in the body face.
                self.add(para, item.text, CODE_ROLE, size)
            elif isinstance(item, Image):
                # An image among text keeps its alt text; one standing alone in its paragraph
                # is drawn as a picture (see ``picture``).
                self.add(para, item.alt, role, size)
            else:
                assert_never(item)

    # -- rows ------------------------------------------------------------------------------

    def row_height(self, size: float) -> float:
        """The row of a line set at ``size`` (the style table's line height)."""
        return line_height_pt(size, self.p)

    def blank(self, lines: float = 1.0) -> None:
        self.rows.append(Row(self.pitch * lines))

    def set_para(
        self,
        para: Para,
        *,
        first: float = 0.0,
        rest: float = 0.0,
        right: float = 0.0,
        align: str = "justify",
        keep: bool = False,
        bookmark: tuple[str, int] | None = None,
    ) -> list[Row]:
        """Break a paragraph into rows: ``first``/``rest`` are left indents, ``right`` the right."""
        if not para.text:
            return []
        size = para_size(para, self.body)
        placed = self.break_para(para, self.width - right, first + self.shift,
                                 rest + self.shift, align)  # fmt: skip
        height = self.row_height(size)
        rows = [Row(height, para, line, x, size, keep=keep) for line, x in placed]
        if bookmark:
            rows[0].bookmark = bookmark
        self.rows.extend(rows)
        return rows

    def break_para(
        self, para: Para, measure: float, first: float, rest: float, align: str
    ) -> list[tuple[Line, float]]:
        """The lines of ``para`` within ``measure`` (from the type area's left edge), each with
        its x: ``first``/``rest`` are the left indents of the first and the other lines."""
        prep = self.prepare(para)
        if para.breaks and prep.cum[-1] > measure - first:
            from exporter.typesetting.words import keep_words

            prep = keep_words(prep, para.breaks, measure - max(first, rest))
        if align == "balanced":
            # A title that wraps chooses breaks that keep words whole, learnt from the text.
            wraps = prep.cum[-1] > measure - first
            costs = title_break_costs(para.text, self.context()) if wraps else None
            taper = 2 * para_size(para, self.body)
            lines = balanced_lines(prep, measure - first, taper=taper, costs=costs)
        else:
            lines = break_lines(prep, measure - first, measure - rest, justify=align == "justify")
            if para.fix and align == "justify":
                for line in lines[:-1]:
                    self._flush_narrow_end(para, line)
        placed = []
        for k, line in enumerate(lines):
            if align in ("centre", "balanced"):
                x = first + (measure - first - line.width) / 2
            elif align == "right":
                x = measure - line.width
            else:
                x = first + prep.indent if k == 0 else rest
            placed.append((line, x))
        return placed

    @staticmethod
    def _flush_narrow_end(para: Para, line: Line) -> None:
        """On the grid a narrow glyph may be narrower than its half cell; when one ends a
        justified line, it is moved to the right of its cell so that it meets the margin."""
        j = line.end - 1
        while j > line.start and para.text[j].isspace():
            j -= 1
        if line.hung:  # the glyph before a hung mark meets the margin; the mark stays put
            j -= 1
        if j <= line.start or j not in para.fix:
            return
        base = next((f.base for rs, re_, f in para.runs if rs <= j < re_), 0.0)
        slack = para.fix[j] + base  # the cell's width beyond the glyph's own advance
        if slack > 1e-6:
            line.kerns.append((j - 1, slack))
            if line.hung:
                line.kerns.append((j, -slack))
            line.kerns.sort()

    def prepare(self, para: Para) -> Prepared:
        if self.grid:
            # The grid spaces Han and Latin already; marks keep their cells (no compression) and a
            # closing mark past a full line hangs, as in Word and WPS (允许标点溢出边界).
            return prepare(para.text, para.widths, self.cell, latin_gap=0.0, extra_gaps=para.gaps,
                           compress=False, hang=True, cell=self.cell)  # fmt: skip
        return prepare(para.text, para.widths, self.body, extra_gaps=para.gaps)

    def natural_width(self, para: Para) -> float:
        """The unbroken width of a paragraph, Han/Latin gaps included."""
        prep = self.prepare(para)
        return prep.cum[-1] - prep.gaps.get(len(para.text) - 1, 0.0)

    def simple(self, content: Inlines | str, role: str, size: float | None = None) -> Para:
        para = Para()
        size = size or self.p.role(role).size_pt
        if isinstance(content, str):
            self.add(para, content, role, size)
        else:
            self.add_inlines(para, content, role, size)
        return para

    # -- blocks ----------------------------------------------------------------------------

    def context(self) -> str:
        """The document's text, read once, for the title breaker's word statistics."""
        if self._context is None:
            self._context = document_text(self._doc) if self._doc is not None else ""
        return self._context

    def layout(self, doc: Document) -> list[Row]:
        self._doc = doc
        front = (Title, Subtitle, Byline, Records, DocNumber)
        prev: Block | None = None
        self._title_level = any(isinstance(b, Title) for b in doc.blocks)
        body = False
        for block in doc.blocks:
            gap = front_gap(prev, block, body, self.p)
            if gap:
                self.blank(gap)
            body = body or not isinstance(block, front)
            self.block(block, prev)
            prev = block
        return self.rows

    def block(self, block: Block, prev: Block | None) -> None:
        """Set one block as rows; every block class has its case (mypy checks the match)."""
        match block:
            case DocNumber(text):
                self.styled("docnumber", text)
            case Title(content):
                self.title(content)
            case Subtitle(content):
                self.styled("subtitle", content)
            case Byline(content):
                self.styled("byline", content, breaks="spaces")
            case Records(lines):
                from exporter.writers.pdf.records import set_records

                set_records(self, lines)
            case Addressee(content):
                self.styled("addressee", content)
            case Lead(dateline, content):
                self.lead(dateline, content)
            case Heading():
                self.heading(block, prev)
            case Paragraph(content) if heads_attachment(prev) and title_like(content):
                self.attachment_title(content)
            case Paragraph(content) if label := attendance_label(self.p, content):
                set_attendance(self, label, content, prev)
            case Paragraph(content) if (pic := self.picture_of(content)) is not None:
                self.picture(*pic)
            case Paragraph(content):
                self.styled("paragraph", content)
            case Quote(content):
                self.styled("quote", content)
            case ListBlock(_, items):
                for item in items:
                    self.list_item(item)
                    if item.blocks:
                        # An item's own blocks (a nested list) are set in under it by the
                        # list's indent.
                        saved = self.shift
                        self.shift += self.style("list").indent * self.cell
                        inner_prev: Block | None = None
                        for inner in item.blocks:
                            self.block(inner, inner_prev)
                            inner_prev = inner
                        self.shift = saved
            case Table():
                from exporter.writers.pdf.tables import set_table

                set_table(self, block)
            case Verse(lines):
                self.lines("verse", lines)
            case Contents(lines):
                from exporter.writers.pdf.contents import set_contents

                set_contents(self, lines)
            case CodeBlock(text):
                self.code(text)
            case Attachments(label, _) if heads_attachment(block):
                self.attachment_head(label)
            case Attachments(label, items):
                self.attachments(label, items)
            case Signature(signers, date):
                self.signature(signers, date)
            case Rule(text):
                self.rule(text)
            case Boilerplate(lines):
                self.styled("boilerplate", BOILERPLATE_JOIN.join(lines))
            case Break():
                self.rows.append(Row(0.0, page_break=True))
            case _:
                assert_never(block)

    def style(self, kind: Kind) -> BlockStyle:
        return block_style(kind, self.p)

    def set_styled(
        self, para: Para, st: BlockStyle, *, bookmark: tuple[str, int] | None = None
    ) -> list[Row]:
        """Set ``para`` with the indents, alignment and keep of its style (lengths in cells)."""
        return self.set_para(
            para,
            first=(st.left + st.indent) * self.cell,
            rest=st.left * self.cell,
            right=st.right * self.cell,
            align=st.align,
            keep=st.keep,
            bookmark=bookmark,
        )

    def styled(self, kind: Kind, content: Inlines | str, breaks: str = "") -> None:
        """A block of one paragraph in one face, as the style table says."""
        st = self.style(kind)
        para = self.simple(content, st.role, st.size_pt(self.p))
        para.breaks = breaks
        self.set_styled(para, st)
        if st.after:
            self.blank(st.after)

    def rule(self, text: str) -> None:
        """A thematic break: a short rule (a quarter of the type area) centred on a line of its
        own, drawn as a path; the source's separator characters are set on that line
        invisibly, as uncovered characters are, so the text layer keeps them."""
        st = self.style("rule")
        para = self.simple(text, st.role, st.size_pt(self.p))
        para.hidden = True
        rows = self.set_styled(para, st)
        # A long separator wraps: all its lines share one baseline (every row but the last
        # takes no room), one character repeated, so the text layer reads the same.
        for row in rows[:-1]:
            row.height = 0.0
            row.keep = True
        if rows:
            rows[-1].rule = self.width / 4

    def picture_of(self, content: Inlines) -> tuple[Image, Picture] | None:
        """The picture of a paragraph that is one embedded PNG or JPEG image and nothing else
        (space aside), scaled to fit the type area; None for anything else."""
        from exporter.writers.pdf.pictures import fit_picture

        images = [i for i in content if isinstance(i, Image)]
        if len(images) != 1 or self._doc is None or not images[0].resource:
            return None
        if any(
            not (isinstance(i, Text) and not i.text.strip()) for i in content if i not in images
        ):
            return None
        res = self._doc.resource(images[0].resource)
        if res is None:
            return None
        pic = fit_picture(res, self.width - self.shift, self.height)
        if pic is None:
            return None
        return images[0], replace(pic, x=self.shift + pic.x)

    def picture(self, image: Image, pic: Picture) -> None:
        """A picture on rows of its own (whole lines of the pitch, so the grid holds), centred;
        its alt text set on them invisibly, as a rule's characters are, so the text layer
        keeps it."""
        height = math.ceil(pic.height / self.pitch - 1e-6) * self.pitch
        st = self.style("paragraph")
        para = self.simple(image.alt, st.role, st.size_pt(self.p))
        para.hidden = True
        rows = self.set_para(para, align="left") if para.text else []
        for row in rows[:-1]:
            row.height = 0.0
            row.keep = True
        if rows:
            rows[-1].height = height
            rows[-1].image = pic
        else:
            self.rows.append(Row(height, image=pic))

    def title_breaks(self, doc: Document, content: Inlines) -> tuple[str, list[int]]:
        """A title's text and where its lines after the first start, as the PDF sets it (the
        trapezoid, words kept whole, GB/T 9704-2012 §7.3.1): the DOCX writer breaks there too."""
        self._doc, self._context = doc, None
        st = self.style("title")
        para = self.simple(content, st.role, st.size_pt(self.p))
        start = len(self.rows)
        rows = self.set_styled(para, st)
        del self.rows[start:]
        return para.text, [row.line.start for row in rows[1:] if row.line is not None]

    def title(self, content: Inlines) -> None:
        st = self.style("title")
        para = self.simple(content, st.role, st.size_pt(self.p))
        rows = self.set_styled(para, st, bookmark=(text_without_notes(content), 0))
        if rows and st.after:
            # The space after the title travels with its last line (not a blank row, which
            # would be dropped at the head of a page).
            rows[-1].height += self.pitch * st.after

    def lead(self, dateline: str, content: Inlines) -> None:
        st, date = self.style("lead"), self.style("dateline")
        para = Para()
        self.add(para, dateline, date.role, date.size_pt(self.p))
        self.add_inlines(para, content, st.role, st.size_pt(self.p))
        self.set_styled(para, st)

    def heading(self, block: Heading, prev: Block | None) -> None:
        level, number, content, rest = block.level, block.number, block.content, block.body
        st = heading_style(block, self.p)
        body = self.style("runin")
        size = st.size_pt(self.p)
        para = Para()
        self.add(para, number, st.role, size)
        self.add_inlines(para, content, st.role, size)
        if ((number and len(para.text) > len(number)) or rest) and _HAN_END.search(number):
            # 第十二条　本法…: the ordinal and the text one em apart.
            para.gaps[len(number) - 1] = self.cell if self.grid and size == self.body else size
        self.add_inlines(para, rest, body.role, body.size_pt(self.p))
        # A heading on its own breaks between words (a run-in one is body text); on the gongwen
        # grid it is set as body text, whose every character keeps its cell: breaking between
        # words there would justify the line by gaps between them (最高人民法院 关于 在 …).
        if not rest and not self.grid:
            para.breaks = "words"
        label = number + text_without_notes(content)
        level_out = level if self._title_level else level - 1
        if self.chapter_pages and level == 1 and not rest and chapter_like(number):
            from exporter.writers.pdf.chapters import open_chapter

            open_chapter(self)
        elif st.before and prev is not None:
            self.rows.append(Row(self.pitch * st.before))
        self.set_styled(para, st, bookmark=(label or para.text[:40], max(level_out, 0)))

    def attachment_title(self, content: Inlines) -> None:
        # GB/T 9704-2012 §8: the attachment's title centred on the third line.
        st = self.style("attachment_title")
        self.rows.append(Row(self.pitch * st.before, keep=True))
        para = self.simple(content, st.role, st.size_pt(self.p))
        self.set_styled(para, st, bookmark=(text_without_notes(content), 1))
        self.blank(st.after)

    def list_item(self, item: ListItem) -> None:
        st = self.style("list")
        size = st.size_pt(self.p)
        para = Para()
        self.add(para, item.marker + marker_separator(item.marker), st.role, size)
        self.add_inlines(para, item.content, st.role, size)
        self.set_styled(para, st)

    def lines(self, kind: Kind, lines: tuple[Inlines, ...]) -> None:
        """Verse or contents: one paragraph per line, a blank row for an empty line."""
        st = self.style(kind)
        for line in lines:
            para = self.simple(line, st.role, st.size_pt(self.p))
            if not para.text:
                self.blank()
            self.set_styled(para, st)

    def code(self, text: str) -> None:
        # In the code role's monospaced face (Han in the body face), tabs expanded to 4.
        st = self.style("code")
        for src in text.split("\n"):
            para = self.simple(src.expandtabs(4), CODE_ROLE, st.size_pt(self.p))
            if not para.text.strip():
                self.blank()
                continue
            self.set_styled(para, st)

    def attachment_head(self, label: str) -> None:
        # GB/T 9704-2012 §8: an attachment starts a new page, 附件N in Hei flush left.
        st = self.style("attachment_head")
        self.rows.append(Row(0.0, page_break=True))
        para = self.simple(label, st.role, st.size_pt(self.p))
        self.set_styled(para, st, bookmark=(label.strip(), 0))

    def attachments(self, label: str, items: tuple[ListItem, ...]) -> None:
        """GB/T 9704-2012 §7.3.4: 附件：1. name; later items under the first item's number,
        wrapped names under the name above."""
        st = self.style("attachments")
        role, body, ind = st.role, st.size_pt(self.p), st.left * self.cell
        self.blank(st.before)
        label_w = sum(self.simple(label, role, body).widths)
        if not items:
            self.set_para(self.simple(label, role, body), first=ind, align="left")
        for k, item in enumerate(items):
            para = Para()
            if k == 0:
                self.add(para, label, role, body)
            self.add(para, item.marker, role, body)
            start, end = len(para.text) - len(item.marker), len(para.text)
            self.add_inlines(para, item.content, role, body)
            prep = self.prepare(para)  # the marker with its grid half cell (10.)
            marker_w = prep.cum[end] - prep.cum[start] + prep.indent
            first = ind if k == 0 else ind + label_w
            self.set_para(para, first=first, rest=ind + label_w + marker_w, align=st.align)

    def signature(self, signers: tuple[str, ...], date: str) -> None:
        from exporter.writers.pdf.signoff import set_signature

        set_signature(self, signers, date, has_seal=self.sealed)


def para_size(para: Para, default: float) -> float:
    """The largest size set in ``para``."""
    return max((f.size for _, _, f in para.runs), default=default)


def paginate(rows: list[Row], capacity: float) -> list[list[Row]]:
    """Fill pages in order; a chain of ``keep`` rows moves whole to the next page when it must;
    a row that starts a page brings the rows it repeats (a table's header) above it."""
    pages: list[list[Row]] = [[]]
    used = 0.0
    i = 0
    n = len(rows)
    eps = 1e-3
    while i < n:
        row = rows[i]
        if row.page_break:
            if pages[-1]:
                pages.append([])
                used = 0.0
            i += 1
            continue
        if row.blank and not pages[-1]:
            i += 1  # no blank space at the head of a page
            continue
        need = row.height
        if row.keep:
            j = i
            while j < n and rows[j].keep and not rows[j].page_break:
                j += 1
            if j < n and not rows[j].page_break:
                need = sum(r.height for r in rows[i : j + 1])
            else:
                need = sum(r.height for r in rows[i:j])
            if need > capacity:  # the chain cannot fit on any page: just flow it
                need = row.height
        if used + need > capacity + eps and pages[-1]:
            pages.append([])
            used = 0.0
            if row.blank:
                i += 1
                continue
            for head in row.repeat:
                pages[-1].append(replace(head, artifact=True, keep=False, repeat=()))
                used += head.height
        pages[-1].append(row)
        used += row.height
        i += 1
    if not pages[-1] and len(pages) > 1:
        pages.pop()
    return pages
