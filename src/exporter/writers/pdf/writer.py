"""PDF writer: a Chinese typesetter on reportlab's low-level canvas with embedded subset fonts."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar

from exporter import __version__
from exporter.errors import ExporterError, WriterError
from exporter.fonts import Face, fontset_for, is_ignorable, report_uncovered
from exporter.model import Document, Title, block_texts
from exporter.options import MM, Profile, WriteOptions
from exporter.typesetting.linebreak import Line
from exporter.writers._dates import output_datetime
from exporter.writers.pdf.draw import box_glyph_ops, fmt
from exporter.writers.pdf.fonts import Embedded
from exporter.writers.pdf.layout import Font, Para, Picture, Row, Typesetter
from exporter.writers.pdf.links import anchor_key, uri
from exporter.writers.pdf.official import official_pages
from exporter.writers.pdf.strokes import fill_colour

if TYPE_CHECKING:
    from exporter.writers.pdf.running import RunningHeads

#: Top of the ideographic em box above the baseline, in ems, for a paragraph without a face.
_EM_TOP = 0.88
#: A strike-through line: its height above the baseline and its thickness, in ems (between the
#: middle of the em box, where Han strokes cross, and the middle of Latin lower case).
_STRIKE_RAISE = 0.33
_STRIKE_WIDTH = 0.06


class PdfWriter:
    """Print-ready PDF with embedded subset fonts, justified lines and GB/T 9704 page numbers."""

    name: ClassVar[str] = "pdf"
    extension: ClassVar[str] = ".pdf"
    #: Draws glyphs from our fonts: uncovered characters are reported for it.
    needs_fonts: ClassVar[bool] = True

    def write(self, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        try:
            self._write(doc, options, dest)
        except ExporterError:
            raise
        except Exception as exc:
            raise WriterError(f"PDF writer failed: {type(exc).__name__}: {exc}") from exc

    def _write(self, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        from reportlab.pdfgen.canvas import Canvas

        if options.toc:
            from exporter.typesetting.toc import with_contents

            doc = with_contents(doc)
        fontset = fontset_for(options, doc.meta.language)
        report_uncovered(doc, options)
        profile = options.profile
        ts = Typesetter(fontset, profile)
        from exporter.writers.pdf.chapters import chapter_pages

        ts.chapter_pages = chapter_pages(doc, options)
        body, pages, unnumbered = official_pages(ts, doc, profile)  # with the 公文 fields
        when = output_datetime(doc, options.source_date_epoch)
        target = io.BytesIO() if options.pdfa else dest
        canvas = Canvas(
            target,
            pagesize=(profile.page_width_mm * MM, profile.page_height_mm * MM),
            invariant=1,
            pageCompression=1,
            initialFontName=_no_initial_font(),
            lang=doc.meta.language or "zh-CN",
        )
        _metadata(canvas, doc, when)
        from reportlab import rl_config

        # Binary (Flate only) streams: ASCII85 costs seconds in pure Python and buys nothing.
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            renderer = _Renderer(canvas, ts, profile)
            from exporter.writers.pdf.running import RunningHeads

            renderer.running = RunningHeads(ts, body, options, pages)
            renderer.unnumbered = unnumbered
            renderer.draw(pages)
            renderer.add_fonts()
            canvas.save()
        finally:
            rl_config.useA85 = saved
        if options.pdfa and isinstance(target, io.BytesIO):
            from exporter.writers.pdf.pdfa import make_pdfa

            dest.write(make_pdfa(target.getvalue(), doc, options, canvas._doc.info.title, when))


class _NoFontFace:
    name = "EXP-none"


class _NoFont:
    """reportlab's canvas sets an initial font on every page; a non-dynamic one (Helvetica)
    would be written unembedded. This stand-in is marked dynamic, so nothing is written: the
    writer's own Type0 fonts are added to the document at the end."""

    fontName = "EXP-none"
    face = _NoFontFace()
    _dynamicFont = 1
    _multiByte = 0


@lru_cache(maxsize=1)
def _no_initial_font() -> str:
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(_NoFont())
    return _NoFont.fontName


def _metadata(canvas: Any, doc: Document, when: datetime | None) -> None:
    meta = doc.meta
    if when is None:
        _undated_info(canvas)
    title = meta.title or next(
        ("".join(block_texts(b)) for b in doc.blocks if isinstance(b, Title)), ""
    )
    canvas.setTitle(title)
    canvas.setAuthor("、".join(meta.authors) or meta.source or meta.publisher)
    canvas.setSubject(meta.subject or meta.subtitle)
    canvas.setCreator(f"exporter {__version__}")
    canvas.setProducer(f"exporter {__version__}")
    if when is None:
        return
    stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_: stamp)


def _undated_info(canvas: Any) -> None:
    """Give the canvas an Info dictionary without /CreationDate and /ModDate (both optional,
    PDF 32000-1 §14.3.3): reportlab always writes them, in invariant mode as 2000-01-01."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFName, PDFString

    class UndatedInfo(PDFInfo):  # type: ignore[misc]
        def format(self, document: Any) -> bytes:
            entries = {
                "Title": PDFString(self.title),
                "Author": PDFString(self.author),
                "Producer": PDFString(self.producer),
                "Creator": PDFString(self.creator),
                "Subject": PDFString(self.subject),
                "Keywords": PDFString(self.keywords),
                "Trapped": PDFName(self.trapped),
            }
            data: bytes = PDFDictionary(entries).format(document)
            return data

    canvas._doc.info = UndatedInfo()


@dataclass(slots=True)
class _LineState:
    """Where drawing a line has got to: the operators so far, the pen, the graphics state."""

    para: Para
    line: Line
    y: float
    xcur: float
    out: list[str]
    ki: int = 0  # next kern of line.kerns
    tc: float | None = None
    font: str = ""
    rise: float = 0.0
    fresh: bool = True  # the text matrix is still at the line's start
    boxes: list[tuple[int, Font]] = field(default_factory=list)

    def advance_kerns_through(self, i: int) -> None:
        kerns = self.line.kerns
        while self.ki < len(kerns) and kerns[self.ki][0] <= i:
            self.xcur += kerns[self.ki][1]
            self.ki += 1

    def take_kerns_before(self, b: int) -> list[tuple[int, float]]:
        kerns = self.line.kerns
        local = []
        while self.ki < len(kerns) and kerns[self.ki][0] < b:
            local.append(kerns[self.ki])
            self.xcur += kerns[self.ki][1]
            self.ki += 1
        return local


class _Renderer:
    """Draws paginated rows: one BT/ET per line, one TJ per face run, Tc per line."""

    def __init__(self, canvas: Any, ts: Typesetter, profile: Profile) -> None:
        self.c = canvas
        self.ts = ts
        self.p = profile
        self.doc = canvas._doc
        self.left = profile.margin_left_mm * MM
        self.top = (profile.page_height_mm - profile.margin_top_mm) * MM
        self.bottom = self.top - profile.text_height_mm * MM
        self.fonts: dict[int, Embedded] = {}  # by id(face), in order of first use
        self._bm = 0
        self._outline_level = -1
        self.anchors: dict[str, str] = {}  # a heading's #fragment forms: its destination
        self.running: RunningHeads | None = None  # a book's running heads (书眉)
        self.unnumbered: frozenset[int] = frozenset()  # pages without a number (公文 §7.5, §10.1)

    def embedded(self, face: Face) -> Embedded:
        emb = self.fonts.get(id(face))
        if emb is None:
            emb = self.fonts[id(face)] = Embedded(face, f"/FE{len(self.fonts) + 1}")
        return emb

    def host(self) -> Embedded:
        """The font that carries uncovered characters invisibly in the text layer."""
        return self.embedded(self.ts.fs.face("body"))

    def collect(self, paras: Iterator[Para]) -> None:
        """Give every font the characters it will draw (before any line is encoded)."""
        seen: set[int] = set()
        for para in paras:
            if id(para) in seen:
                continue
            seen.add(id(para))
            text = para.text
            for rs, re_, f in para.runs:
                if f.face is None:
                    self.host().use(text[rs:re_])
                else:
                    self.embedded(f.face).use(text[rs:re_])

    def add_fonts(self) -> None:
        fonts = self.doc.idToObject["BasicFonts"].dict
        for emb in self.fonts.values():
            name = emb.resource[1:]
            fonts[name] = self.doc.Reference(emb.add_to(self.doc), name)

    def draw(self, pages: list[list[Row]]) -> None:
        c = self.c
        numbers = [self.page_number_para(n) for n in range(1, len(pages) + 1)]
        from exporter.writers.pdf.contents import EntryNumbers

        entries = EntryNumbers(self.ts, pages)
        heads = [p for p in self.running.heads if p is not None] if self.running else []
        self.collect(itertools.chain(_paras(pages), numbers, entries.numbers.values(), heads))
        for emb in self.fonts.values():
            emb.finish()
        marks = (r.bookmark for rows in pages for r in rows if r.bookmark)
        for k, (label, _) in enumerate(marks):
            for key in anchor_key(label):
                self.anchors.setdefault(key, f"h{k}")
        for number, rows in enumerate(pages, start=1):
            code: list[str] = c._code
            y = self.top
            prev: Row | None = None
            for row in rows:
                if row.band is not None:
                    above = prev.band if prev is not None else None
                    self.band(code, row, y, above is not None and above.table == row.band.table)
                elif row.para is not None and row.line is not None:
                    # The em box at the top of its row: the first line of a page starts exactly
                    # at the type area (a taller title row keeps its extra space below).
                    em_top = _em_top(row.para)
                    baseline = y - em_top * row.size
                    if row.bookmark:
                        self.bookmark(row.bookmark, baseline + row.size)
                    self.line(code, row.para, row.line, self.left + row.x, baseline)
                    if row.entry:
                        entries.draw(self, code, row, self.left, baseline)
                    if row.rule:  # at the middle of the em box
                        self.rule(code, row.rule, baseline + (em_top - 0.5) * row.size)
                if row.image is not None:
                    self.picture(row.image, y, row.height)
                for stroke in row.strokes:
                    code.append(stroke.ops(self.left, y))
                y -= row.height
                prev = row
            if number not in self.unnumbered:
                self.page_number(code, number, numbers[number - 1])
            if self.running:
                self.running.draw(self, code, number)
            c.showPage()

    def band(self, code: list[str], row: Row, y: float, joined: bool) -> None:
        """A table row: its cells' lines cell by cell (the text layer reads row by row, cell
        by cell), then its rules, half a point wide; ``joined``: the band above on this page
        belongs to the same table and has drawn the rule between them."""
        band = row.band
        assert band is not None
        if row.artifact:  # a repeated header is page furniture (ISO 32000-1 §14.8.2.2.2)
            code.append("/Artifact BMC")
        lh, size = band.line_height, band.size
        for para, lines in band.cells:
            for j, (line, x) in enumerate(lines):
                baseline = y - j * lh - (lh - size) / 2 - _em_top(para) * size
                self.line(code, para, line, self.left + x, baseline)
        if row.artifact:
            code.append("EMC")
        x0, x1 = self.left + band.edges[0], self.left + band.edges[-1]
        bottom = y - row.height
        ops = ["q 0 G 0.5 w 0 J"]
        if not joined:
            ops.append(f"{fmt(x0)} {fmt(y)} m {fmt(x1)} {fmt(y)} l")
        ops.append(f"{fmt(x0)} {fmt(bottom)} m {fmt(x1)} {fmt(bottom)} l")
        for e in band.edges:
            ops.append(f"{fmt(self.left + e)} {fmt(y)} m {fmt(self.left + e)} {fmt(bottom)} l")
        ops.append("S Q")
        code.append(" ".join(ops))

    def picture(self, pic: Picture, y: float, height: float) -> None:
        """A picture centred in its rows; its bytes read in memory (no file, no network)."""
        from reportlab.lib.utils import ImageReader

        bottom = y - (height + pic.height) / 2
        self.c.drawImage(ImageReader(io.BytesIO(pic.data)), self.left + pic.x, bottom,
                         pic.width, pic.height, mask="auto")  # fmt: skip

    def rule(self, code: list[str], width: float, y: float) -> None:
        """A thematic break's rule: a half-point line ``width`` long, centred in the type area."""
        x = self.left + (self.p.text_width_mm * MM - width) / 2
        code.append(f"q 0 G 0.5 w {fmt(x)} {fmt(y)} m {fmt(x + width)} {fmt(y)} l S Q")

    def bookmark(self, mark: tuple[str, int], top: float) -> None:
        label, level = mark
        level = min(level, self._outline_level + 1)
        self._outline_level = level
        key = f"h{self._bm}"
        self._bm += 1
        self.c.bookmarkPage(key, fit="XYZ", left=0, top=top)
        self.c.addOutlineEntry(label or " ", key, level=level, closed=False)

    def line(self, code: list[str], para: Para, line: Line, x: float, y: float) -> None:
        """One set line: a BT/ET block of its face runs, then boxes and emphasis dots."""
        st = _LineState(para, line, y, x, [f"BT 1 0 0 1 {fmt(x)} {fmt(y)} Tm"])
        for rs, re_, f in para.runs:
            if re_ <= line.start or rs >= line.end:
                continue
            a, b = max(rs, line.start), min(re_, line.end)
            if f.face is None:
                self._uncovered_run(st, a, b, f)
            else:
                self._face_run(st, a, b, f)
        if st.rise:  # the text rise is text state: it outlives ET (ISO 32000-1 §9.3.1)
            st.out.append("0 Ts")
        st.out.append("ET")
        if para.hidden:
            # Every glyph invisible (Tr 3); q/Q restores the text rendering mode after.
            code.append("q 3 Tr " + " ".join(st.out) + " Q")
            return
        if para.colour is not None:
            code.append(f"q {fill_colour(para.colour)} {' '.join(st.out)} Q")
        else:
            code.append(" ".join(st.out))
        if st.boxes or para.emphasis:
            self._decorations(code, st, x)
        if para.strikes or para.links:
            self._spans(code, para, line, x, y)

    def _spans(self, code: list[str], para: Para, line: Line, x: float, y: float) -> None:
        """Strike-through lines and link annotations over the part of each span on this line."""
        xs = _positions(para, line, x)
        s = line.start

        def extent(a: int, b: int) -> tuple[float, float, float] | None:
            a, b = max(a, s), min(b, line.end)
            while b > a and para.text[b - 1].isspace():
                b -= 1
            if b <= a:
                return None
            return xs[a - s], xs[b - 1 - s] + para.widths[b - 1], _size_at(para, a)

        for a, b in para.strikes:
            ext = extent(a, b)
            if ext:
                x0, x1, size = ext
                ys = fmt(y + _STRIKE_RAISE * size)
                code.append(
                    f"q 0 G {fmt(_STRIKE_WIDTH * size)} w {fmt(x0)} {ys} m {fmt(x1)} {ys} l S Q"
                )
        for a, b, href in para.links:
            ext = extent(a, b)
            if not ext:
                continue
            x0, x1, size = ext
            top = _em_top(para)
            rect = (x0, y - (1 - top) * size, x1, y + top * size)
            # ISO 32000-1 §12.5.6.5: a link annotation, no border (§12.5.2 /Border [0 0 0]);
            # a #fragment naming a heading goes to its destination (§12.3.2), others to no place.
            if href.startswith("#"):
                dest = next(
                    (self.anchors[k] for k in anchor_key(href[1:], True) if k in self.anchors), None
                )
                if dest:
                    self.c.linkRect("", dest, rect, relative=0, thickness=0)
            else:
                self.c.linkURL(uri(href), rect, relative=0, thickness=0)

    def _uncovered_run(self, st: _LineState, a: int, b: int, f: Font) -> None:
        """Characters no face has: a box shows each one, and the character itself is set
        invisibly (Tr 3) in the body font (an extra CID on .notdef) so that the text layer
        keeps it (pdfplumber and pypdf ignore ActualText)."""
        host = self.host()
        text, widths, spacing = st.para.text, st.para.widths, st.line.spacing
        for i in range(a, b):
            ch = text[i]
            if not is_ignorable(ch):
                st.boxes.append((i, f))
            st.out.append(
                f"3 Tr {host.resource} {fmt(f.size)} Tf 0 Tc 1 0 0 1 {st.xcur:.3f} {st.y:.3f} Tm "
                f"<{host.codes[ch]}> Tj {3 if st.para.hidden else 0} Tr"
            )
            st.xcur += widths[i] + spacing
            st.advance_kerns_through(i)
        st.font = ""
        st.tc = None
        st.fresh = False

    def _face_run(self, st: _LineState, a: int, b: int, f: Font) -> None:
        """One face's run of the line as a Tj, or a TJ when kerns or grid fixes fall in it."""
        assert f.face is not None
        para, spacing = st.para, st.line.spacing
        emb = self.fonts[id(f.face)]
        tc = f.base + spacing
        if tc != st.tc:
            st.out.append(f"{fmt(tc)} Tc")
            st.tc = tc
        fkey = f"{emb.resource} {fmt(f.size)} Tf"
        if fkey != st.font:
            st.out.append(fkey)
            st.font = fkey
        # A face whose em box differs from the paragraph's (the Song quotes in a FangSong line)
        # is raised or lowered so the em boxes align, not the baselines: CJK glyphs are laid
        # out by their ideographic em boxes.
        rise = (_em_top(para) - f.face.em_top) * f.size
        if abs(rise - st.rise) > 1e-6:
            st.out.append(f"{fmt(rise)} Ts")
            st.rise = rise
        # Each TJ is placed absolutely: pdfminer (pdfplumber) drops the Tc after a string's last
        # glyph, so a running position across several TJ operators would drift there.
        if not st.fresh:
            st.out.append(f"1 0 0 1 {st.xcur:.3f} {st.y:.3f} Tm")
        st.fresh = False
        hexs = "".join(map(emb.codes.__getitem__, para.text[a:b]))
        st.xcur += sum(para.widths[a:b]) + spacing * (b - a)
        local = st.take_kerns_before(b)
        if para.fix:
            extra = [(i, para.fix[i]) for i in range(a, b) if i in para.fix]
            if extra:
                local = sorted(local + extra, key=_first)
        if not local:
            st.out.append(f"<{hexs}> Tj")
            return
        k = 1000 / f.size
        parts = []
        start = 0
        for i, amount in local:
            cut = (i - a + 1) * 4
            if cut > start:
                parts.append("<" + hexs[start:cut] + ">")
                start = cut
            parts.append(f"{-amount * k:.1f}")
        if start < len(hexs):
            parts.append("<" + hexs[start:] + ">")
        st.out.append("[" + " ".join(parts) + "] TJ")

    @staticmethod
    def _decorations(code: list[str], st: _LineState, x: float) -> None:
        """Boxes for uncovered characters and emphasis dots (着重号, GB/T 15834-2011 §4.16)."""
        para, line, y = st.para, st.line, st.y
        text, s = para.text, line.start
        xs = _positions(para, line, x)
        for i, f in st.boxes:
            code.append(box_glyph_ops(text[i], xs[i - s], y, f.size))
        for es, ee in para.emphasis:
            for i in range(max(es, s), min(ee, line.end)):
                if not text[i].isspace():
                    size = _size_at(para, i)
                    cx = xs[i - s] + para.widths[i] / 2
                    # A dot of 0.14 em below the baseline, under the middle of the glyph.
                    r = size * 0.07
                    cy = y - size * 0.22
                    code.append(f"{fmt(cx + r)} {fmt(cy)} m " + _circle(cx, cy, r) + " f")

    def page_number_para(self, number: int) -> Para:
        para = Para()
        label = f"— {number} —" if self.p.page_number_style == "gongwen" else str(number)
        self.ts.add(para, label, "page_number", self.p.role("page_number").size_pt)
        return para

    def page_number(self, code: list[str], number: int, para: Para) -> None:
        size = self.p.role("page_number").size_pt
        width = sum(para.widths)
        right = self.left + self.p.text_width_mm * MM
        if self.p.page_number_style == "gongwen":
            # GB/T 9704-2012 §7.5: the dashes sit 7 mm below the type area; odd pages right, even
            # pages left, each with a one-character gap.
            y = self.bottom - self.p.page_number_offset_mm * MM - size * 0.3
            x = right - size - width if number % 2 else self.left + size
        else:
            y = self.bottom - self.p.page_number_offset_mm * MM
            x = self.left + (right - self.left - width) / 2
        self.line(code, para, Line(0, len(para.text), width), x, y)


def _paras(pages: list[list[Row]]) -> Iterator[Para]:
    for rows in pages:
        for r in rows:
            if r.para is not None:
                yield r.para
            if r.band is not None:
                for para, _ in r.band.cells:
                    yield para


def _first(item: tuple[int, float]) -> int:
    return item[0]


def _size_at(para: Para, i: int) -> float:
    for rs, re_, f in para.runs:
        if rs <= i < re_:
            return f.size
    return 0.0


def _positions(para: Para, line: Line, x: float) -> list[float]:
    """The x of every glyph of a line (for decorations drawn beside the text)."""
    kern: dict[int, float] = {}
    for i, amount in line.kerns:
        kern[i] = kern.get(i, 0.0) + amount
    xs = []
    pos = x
    for i in range(line.start, line.end):
        xs.append(pos)
        pos += para.widths[i] + line.spacing + kern.get(i, 0.0)
    return xs


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    return (
        f"{fmt(cx + r)} {fmt(cy + k)} {fmt(cx + k)} {fmt(cy + r)} {fmt(cx)} {fmt(cy + r)} c "
        f"{fmt(cx - k)} {fmt(cy + r)} {fmt(cx - r)} {fmt(cy + k)} {fmt(cx - r)} {fmt(cy)} c "
        f"{fmt(cx - r)} {fmt(cy - k)} {fmt(cx - k)} {fmt(cy - r)} {fmt(cx)} {fmt(cy - r)} c "
        f"{fmt(cx + k)} {fmt(cy - r)} {fmt(cx + r)} {fmt(cy - k)} {fmt(cx + r)} {fmt(cy)} c"
    )


def _em_top(para: Para) -> float:
    """The em-box top of the face that sets most of a paragraph (OS/2 typo ascender: Noto CJK
    0.88, Zhuque Fangsong 0.85), so its em box, not its outlines, sits on the row's top: the
    gongwen grid is a grid of em boxes (GB/T 9704 §5.2.2)."""
    if para.em_top:
        return para.em_top
    count: dict[Face, int] = {}
    for start, end, font in para.runs:
        if font.face is not None:
            count[font.face] = count.get(font.face, 0) + end - start
    top = max(count.items(), key=lambda kv: kv[1])[0].em_top if count else _EM_TOP
    para.em_top = top
    return top
