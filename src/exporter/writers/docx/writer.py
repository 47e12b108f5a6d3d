"""DOCX writer: Word/WPS-correct Chinese documents, body XML written in bulk, deterministic zip.

Every block kind gets a named paragraph style (restyle once, change everywhere); Emphasis is the
character style ``Emphasis`` (着重号); a Note is a real footnote (a note inside a note is kept in
place as text); a Break of either kind is a page break, set as ``pageBreakBefore`` on the next
paragraph (a trailing break has nothing to break before and is dropped).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import BinaryIO, ClassVar, NamedTuple, assert_never
from urllib.parse import unquote

from exporter.errors import WriterError
from exporter.fonts import Face
from exporter.model import (
    BOILERPLATE_JOIN,
    RECORDS_JOIN,
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
    Metadata,
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
    block_texts,
    heading_separator,
    heads_attachment,
    marker_separator,
    plain,
    text_of,
    text_without_notes,
    title_like,
)
from exporter.options import MM, Profile, WriteOptions
from exporter.typesetting.styles import (
    FRONT,
    Kind,
    block_style,
    front_gap,
    heading_kind,
    heading_style,
)
from exporter.writers._background import Background
from exporter.writers._dates import document_datetime, output_datetime
from exporter.writers._provenance import provenance
from exporter.writers._xml import attr, report_forbidden
from exporter.writers._xml import text as esc
from exporter.writers.docx import embed, gongwen_pages, parts, tables
from exporter.writers.docx.gongwen import official_parts
from exporter.writers.docx.media import (
    EMU_PER_MM,
    EMU_PER_TWIP,
    Media,
    Relations,
    drawing,
    extent,
)
from exporter.writers.docx.parts import CODE_FONT, Metrics, em_width, twips_mm
from exporter.writers.docx.styles import direct_ppr, spacing, styles_xml
from exporter.writers.docx.titles import title_breaks

# Punctuation of ambiguous East Asian width that Word sets in the Latin font (w:ascii/w:hAnsi)
# unless the run says w:hint="eastAsia" (ECMA-376 Part 1 §17.3.2.26, rFonts).
_AMBIGUOUS = re.compile("[\u2018\u2019\u201c\u201d\u2014\u2015\u2026\u00b7\u2013\u2025]")
_BREAKS = re.compile("(\t|\r\n|\r|\n)")


class _Face(NamedTuple):
    """How a run is set: its character style and the direct formatting it adds (§17.3.2)."""

    style: str | None
    hint: bool  # w:hint="eastAsia" for ambiguous-width punctuation
    em: bool = False
    strike: bool = False
    bold: bool = False  # strong text inside a run already styled (a heading, a link)
    mono: bool = False  # inline code inside a run already styled


def _rpr(face: _Face) -> str:
    # CT_RPr's order (§17.3.2.28): rStyle, rFonts, b, bCs, strike, em.
    fonts = ""
    if face.mono:
        fonts = f'w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}" w:cs="{CODE_FONT}"'
    if face.hint:
        fonts = f'{fonts} w:hint="eastAsia"'.lstrip()
    inner = (
        (f'<w:rStyle w:val="{face.style}"/>' if face.style else "")
        + (f"<w:rFonts {fonts}/>" if fonts else "")
        + ("<w:b/><w:bCs/>" if face.bold else "")
        + ("<w:strike/>" if face.strike else "")
        + ('<w:em w:val="dot"/>' if face.em else "")
    )
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


_RPR_CACHE: dict[_Face, str] = {}


def _run(
    text: str,
    style: str | None = None,
    em: bool = False,
    *,
    strike: bool = False,
    bold: bool = False,
    mono: bool = False,
) -> str:
    """One run; tabs and line feeds become w:tab and w:br so that no character is lost."""
    if not text:
        return ""
    key = _Face(style, _AMBIGUOUS.search(text) is not None, em, strike, bold, mono)
    rpr = _RPR_CACHE.get(key)
    if rpr is None:
        rpr = _RPR_CACHE[key] = _rpr(key)
    if "\t" in text or "\n" in text or "\r" in text:
        inner = []
        for piece in _BREAKS.split(text):
            if piece == "\t":
                inner.append("<w:tab/>")
            elif piece in ("\n", "\r", "\r\n"):
                inner.append("<w:br/>")
            elif piece:
                inner.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
        return f"<w:r>{rpr}{''.join(inner)}</w:r>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


class _Body:
    """Builds document.xml's body and the footnotes from blocks, appending XML strings to a list."""

    def __init__(self, profile: Profile, doc: Document) -> None:
        self.p = profile
        self.m = Metrics.of(profile)
        self.out: list[str] = []
        self.notes: list[str] = []
        self.pending_break = False
        self.in_note = False
        self.in_link = False
        self.gap_after = 0.0  # lines of blank after the next paragraph (ends a title group)
        self.title_breaks: list[int] = []  # where the next Title's lines start (docx.titles)
        self.list_depth = 0
        self.media = Media({r.id: r for r in doc.resources})
        self.rels = self.body_rels = Relations("rIdR")
        self.note_rels = Relations("rIdR")
        self.text_width = twips_mm(profile.text_width_mm)
        # Pictures fit the type area less a paragraph's first-line indent (or their table
        # cell), in EMU.
        indent = self.m.indent_chars * self.m.char * EMU_PER_TWIP
        self.max_w = round(profile.text_width_mm * EMU_PER_MM) - indent
        self.max_h = round(profile.text_height_mm * EMU_PER_MM)
        self.bookmarks, self.anchors = bookmarks(doc.blocks)
        self.headings = 0

    # -- inlines ----------------------------------------------------------------------------

    def inlines(
        self,
        content: Inlines,
        style: str | None = None,
        em: bool = False,
        *,
        strike: bool = False,
        bold: bool = False,
    ) -> str:
        if len(content) == 1 and type(content[0]) is Text:  # the common case, kept lean
            return _run(content[0].text, style, em, strike=strike, bold=bold)
        out: list[str] = []
        for item in content:
            if isinstance(item, Text):
                out.append(_run(item.text, style, em, strike=strike, bold=bold))
            elif isinstance(item, Emphasis):
                if style is None and not em:
                    out.append(self.inlines(item.content, "Emphasis", strike=strike, bold=bold))
                else:
                    out.append(self.inlines(item.content, style, True, strike=strike, bold=bold))
            elif isinstance(item, Note):
                out.append(self.note(item, style, em))
            elif isinstance(item, Strong):
                if style is None:
                    out.append(self.inlines(item.content, "Strong", em, strike=strike))
                else:  # the run has a style already: bold as direct formatting
                    out.append(self.inlines(item.content, style, em, strike=strike, bold=True))
            elif isinstance(item, Strike):
                out.append(self.inlines(item.content, style, em, strike=True, bold=bold))
            elif isinstance(item, Link):
                out.append(self.link(item, style, em, strike, bold))
            elif isinstance(item, Code):
                if style is None:
                    out.append(_run(item.text, "CodeChar", em, strike=strike, bold=bold))
                else:
                    out.append(_run(item.text, style, em, strike=strike, bold=bold, mono=True))
            elif isinstance(item, Image):
                out.append(self.image(item, style, em, strike, bold))
            else:
                assert_never(item)
        return "".join(out)

    def link(self, link: Link, style: str | None, em: bool, strike: bool, bold: bool) -> str:
        """A hyperlink (§17.16.22): a web or mail address through an external relationship, a
        #fragment to a heading's bookmark (w:anchor); an unknown fragment, a link inside a link
        or any other target keeps its text, unlinked."""
        target = ""
        if not self.in_link:
            if link.href.startswith(("http://", "https://", "mailto:")):
                target = f'r:id="{self.rels.hyperlink(link.href)}"'
            elif link.href.startswith("#"):
                name = self.anchors.get(unquote(link.href[1:]))
                target = f'w:anchor="{attr(name)}"' if name else ""
        if not target:
            return self.inlines(link.content, style, em, strike=strike, bold=bold)
        self.in_link = True
        try:
            runs = self.inlines(link.content, style or "Hyperlink", em, strike=strike, bold=bold)
        finally:
            self.in_link = False
        return f'<w:hyperlink {target} w:history="1">{runs}</w:hyperlink>'

    def image(self, image: Image, style: str | None, em: bool, strike: bool, bold: bool) -> str:
        """An embedded PNG or JPEG as an inline picture, its alt text its description; an image
        the document does not hold (or cannot be read) stands as its alt text."""
        picture = self.media.picture(image.resource) if image.resource else None
        if picture is None:
            return _run(image.alt, style, em, strike=strike, bold=bold)
        size = extent(picture, self.max_w, self.max_h)
        return drawing(self.rels.image(picture), self.media.next_id(), picture, image.alt, size)

    def note(self, note: Note, style: str | None, em: bool) -> str:
        if self.in_note:  # Word has no footnote inside a footnote: keep the text in place
            return self.inlines(note.content, style, em)
        self.in_note = True
        self.rels = self.note_rels  # relationship ids belong to the part (footnotes.xml)
        try:
            body = self.inlines(note.content)
        finally:
            self.in_note = False
            self.rels = self.body_rels
        nid = len(self.notes) + 1
        ref = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        self.notes.append(
            f'<w:footnote w:id="{nid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f"{ref}<w:footnoteRef/></w:r>{body}</w:p></w:footnote>"
        )
        return f'{ref}<w:footnoteReference w:id="{nid}"/></w:r>'

    # -- paragraphs -------------------------------------------------------------------------

    def para(self, style: str, runs: str, extra: str = "", keep: str = "") -> None:
        """A paragraph; ``keep`` is pPr content before pageBreakBefore (keepNext), ``extra``
        after it (spacing, ind, jc)."""
        pbb = ""
        if self.pending_break:
            pbb = "<w:pageBreakBefore/>"
            self.pending_break = False
        if self.gap_after:
            extra = self.gap_after_spacing(style) + extra
            self.gap_after = 0.0
        if "<w:drawing>" in runs:
            extra = _picture_line(extra)
        if style == "Normal" and not pbb and not extra and not keep:
            self.out.append(f"<w:p>{runs}</w:p>")
        else:
            self.out.append(
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{pbb}{extra}</w:pPr>{runs}</w:p>'
            )

    def gap_after_spacing(self, style: str) -> str:
        """The last paragraph of a title group: its style's space after plus the group's gap."""
        kind = _FRONT_KINDS[style]
        return spacing(0.0, block_style(kind, self.p).after + self.gap_after, self.p)

    def lines(self, style: str, lines: tuple[Inlines, ...]) -> None:
        self.para(style, "<w:r><w:br/></w:r>".join(self.inlines(line) for line in lines))

    def block(self, block: Block, prev: Block | None = None) -> None:
        match block:
            case Paragraph(content) if heads_attachment(prev) and title_like(content):
                # GB/T 9704 §8: the attachment's title centred on its third line.
                st = block_style("attachment_title", self.p)
                self.para("Title", self.inlines(content), spacing(st.before, st.after, self.p))
            case Attachments(label, ()) if heads_attachment(block):
                self.pending_break = True
                self.para("AttachmentHead", _run(label))
            case Paragraph(content):
                self.para("Normal", self.inlines(content))
            case Heading():
                self.heading(block)
            case Title(content) if self.title_breaks and isinstance(content[0], Text):
                # The PDF's lines, kept by manual breaks (see docx.titles).
                text, cuts = content[0].text, [0, *self.title_breaks, len(content[0].text)]
                lines = [plain(text[a:b]) for a, b in itertools.pairwise(cuts)]
                self.para("Title", "<w:r><w:br/></w:r>".join(self.inlines(x) for x in lines))
            case Title(content):
                self.para("Title", self.inlines(content))
            case Subtitle(content):
                self.para("Subtitle", self.inlines(content))
            case DocNumber(text):
                self.para("DocumentNumber", _run(text))
            case Byline(content):
                self.para("Byline", self.inlines(content))
            case Records(lines):
                self.para("Records", _run(RECORDS_JOIN).join(self.inlines(x) for x in lines))
            case Addressee(content):
                self.para("Addressee", self.inlines(content))
            case Lead(dateline, content):
                self.para("Lead", _run(dateline, "Dateline") + self.inlines(content))
            case Quote(content):
                self.para("Quote", self.inlines(content))
            case ListBlock(_, items):
                self.list_items(items)
            case Table():
                self.table(block)
            case Verse(lines):
                self.lines("Verse", lines)
            case Contents(lines):
                from exporter.writers.docx.toc import contents_field

                contents_field(lines, self.para, self.inlines)
            case CodeBlock(text):
                self.para("Code", _run(text))
            case Attachments(label, items):
                self.attachments(label, items)
            case Signature(signers, date):
                self.signature(signers, date)
            case Rule(text):
                self.rule(text)
            case Boilerplate(lines):
                self.para("Boilerplate", _run(BOILERPLATE_JOIN.join(lines)))
            case Break():
                self.pending_break = True
            case _:
                assert_never(block)

    def heading(self, block: Heading) -> None:
        """A heading in its level's style; a chapter heading's indents and alignment and a
        run-in heading's size and keep as the style table's heading_style says."""
        number, body = block.number, block.body
        level = min(max(block.level, 1), 4)
        st, base = heading_style(block, self.p), block_style(heading_kind(level), self.p)
        face = f"RunInHeading{level}" if body else None
        runs = _run(number + heading_separator(number), face) + self.inlines(block.content, face)
        if body:
            runs += self.inlines(body, "RunInBody")
        self.headings += 1
        name = self.bookmarks.get(self.headings)
        if name:  # §17.13.6.2 bookmarkStart: a #fragment link's w:anchor lands here
            n = self.headings
            runs = f'<w:bookmarkStart w:id="{n}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{n}"/>'
        # A run-in heading's paragraph is mostly body: it breaks across pages as the PDF
        # breaks it, not kept with the next block nor whole (the heading styles' keepLines).
        keep = (
            '<w:keepNext w:val="0"/><w:keepLines w:val="0"/>' if base.keep and not st.keep else ""
        )
        layout = (st.indent, st.left, st.right, st.align)
        extra = ""
        if layout != (base.indent, base.left, base.right, base.align):
            extra = direct_ppr(st, self.p)
        self.para(f"Heading{level}", runs, extra, keep)

    def list_items(self, items: tuple[ListItem, ...]) -> None:
        """List items; what an item holds after its first paragraph sits under it: a nested
        list's items and the item's further paragraphs one indent step further in."""
        depth = self.list_depth
        extra = self._list_ind(depth) if depth else ""
        for item in items:
            marker = item.marker + marker_separator(item.marker)
            self.para("ListParagraph", _run(marker) + self.inlines(item.content), extra)
            self.list_depth = depth + 1
            try:
                for inner in item.blocks:
                    if isinstance(inner, Paragraph):
                        inner_ind = self._list_ind(depth + 1)
                        self.para("ListParagraph", self.inlines(inner.content), inner_ind)
                    else:
                        self.block(inner)
            finally:
                self.list_depth = depth

    def _list_ind(self, depth: int) -> str:
        """The list style's first-line indent, ``depth`` steps of it further in on the left."""
        step, c = self.m.indent_chars, self.m.char
        return (
            f'<w:ind w:leftChars="{depth * step * 100}" w:left="{depth * step * c}" '
            f'w:firstLineChars="{step * 100}" w:firstLine="{step * c}"/>'
        )

    def table(self, block: Table) -> None:
        """A Word table (§17.4): the grid from the cells' text, header rows repeated on every
        page in the TableHeading style, body cells in TableText, each column aligned as the
        table says (§17.4.38, §17.18.44)."""
        rows = (*block.header, *block.body)
        ncols = max((len(r) for r in rows), default=0)
        if not ncols:
            return
        c = self.m.char
        natural = [
            max(self._natural(r[k]) if k < len(r) else 0 for r in rows) + 2 * tables.CELL_MARGIN
            for k in range(ncols)
        ]
        widths = tables.column_widths(natural, self.text_width, 4 * c + 2 * tables.CELL_MARGIN)
        if self.pending_break:  # an empty paragraph takes the page break before the table
            self.para("Normal", "")
        elif self.out and self.out[-1].endswith("</w:tbl>"):
            self.out.append("<w:p/>")  # two tables in a row would merge into one
        self.gap_after = 0.0
        max_w = self.max_w
        out = []
        for i, cells in enumerate(rows):
            header = i < len(block.header)
            style = "TableHeading" if header else "TableText"
            tcs = []
            for k, width in enumerate(widths):
                content = cells[k] if k < len(cells) else ()
                self.max_w = (width - 2 * tables.CELL_MARGIN) * EMU_PER_TWIP
                runs = self.inlines(content)
                align = tables.JC.get(block.align[k] if k < len(block.align) else "", "")
                extra = f'<w:jc w:val="{align}"/>' if align else ""
                if "<w:drawing>" in runs:
                    extra = _picture_line(extra)
                ppr = f'<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
                tcs.append(tables.cell(width, f"<w:p>{ppr}{runs}</w:p>"))
            out.append(tables.row(tcs, header))
        self.max_w = max_w
        self.out.append(tables.table(widths, out, bool(block.header)))

    def _natural(self, content: Inlines) -> int:
        """A cell's width on one line, twips: its text at the body size, its pictures at 96 dpi
        (15 twips a pixel), a note's reference mark as half a character."""
        width = 0
        for item in content:
            match item:
                case Text(text) | Code(text):
                    width += round(em_width(text) * self.m.char)
                case Emphasis(inner) | Strong(inner) | Strike(inner) | Link(_, inner):
                    width += self._natural(inner)
                case Note():
                    width += self.m.char // 2
                case Image(alt, resource):
                    picture = self.media.picture(resource) if resource else None
                    if picture is not None:
                        width += picture.width_px * 15
                    else:
                        width += round(em_width(alt) * self.m.char)
                case _:
                    assert_never(item)
        return width

    def _ind(self, left: float = 0, hanging: float = 0, right: float = 0) -> str:
        """w:ind in characters (Word/WPS) with twips fallbacks; arguments in ems of the body size."""
        c = self.m.char
        attrs = []
        if left:
            attrs.append(f'w:leftChars="{round(left * 100)}" w:left="{round(left * c)}"')
        if right:
            attrs.append(f'w:rightChars="{round(right * 100)}" w:right="{round(right * c)}"')
        if hanging:
            attrs.append(
                f'w:hangingChars="{round(hanging * 100)}" w:hanging="{round(hanging * c)}"'
            )
        else:
            attrs.append('w:firstLineChars="0" w:firstLine="0"')
        return f"<w:ind {' '.join(attrs)}/>"

    def rule(self, text: str) -> None:
        """A thematic break: an empty-looking centred paragraph with a bottom border (ECMA-376
        §17.3.1.24 pBdr) a quarter of the type area wide; the source's separator characters are
        a hidden run (§17.3.2.41 vanish), so the document's text still holds them. Direct
        formatting, not a style: documents without a rule keep the styles part they had."""
        side = round(self.p.text_width_mm * MM / self.p.body_size_pt * 3 / 8)
        border = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
        # Centred, as the style table's rule row is.
        extra = border + self._ind(left=side, right=side) + '<w:jc w:val="center"/>'
        run = f'<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
        self.para("Normal", run, extra)

    def attachments(self, label: str, items: tuple[ListItem, ...]) -> None:
        # GB/T 9704 §7.3.4: one blank line after the body, indent 2 characters, 附件：1.name;
        # further items align with the first item's number, wrapped names with the name above.
        indent = self.m.indent_chars
        label_w = em_width(label)
        before = f'<w:spacing w:before="{self.m.pitch}"/>'
        if not items:
            self.para("Attachment", _run(label), before + self._ind(left=indent))
            return
        for i, item in enumerate(items):
            marker_w = em_width(item.marker)
            left = indent + label_w + marker_w
            if i == 0:
                runs = _run(label) + _run(item.marker) + self.inlines(item.content)
                extra = before + self._ind(left=left, hanging=label_w + marker_w)
            else:
                runs = _run(item.marker) + self.inlines(item.content)
                extra = self._ind(left=left, hanging=marker_w)
            self.para("Attachment", runs, extra)

    def signature(self, signers: tuple[str, ...], date: str) -> None:
        if self.p.official_format == "order":
            self.order_signature(signers, date)
            return
        # GB/T 9704 §7.3.5.2: signer right-indented 2 characters, the date starting 2 characters
        # right of the signer's first; a longer date keeps 2 and pushes the signer left.
        gap = self.m.indent_chars
        name_w = max((em_width(s) for s in signers), default=0.0)
        date_w = em_width(date)
        name_right: float = gap
        date_right = name_right + name_w - date_w - gap
        if date_right < gap:
            date_right = gap
            name_right = date_right + date_w + gap - name_w
        before = f'<w:spacing w:before="{self.m.pitch}"/>'
        for i, signer in enumerate(signers):
            extra = (before if i == 0 else "") + self._ind(right=name_right)
            self.para("Signature", _run(signer), extra)
        if date:
            extra = ("" if signers else before) + self._ind(right=date_right)
            self.para("Date", _run(date), extra)

    def order_signature(self, signers: tuple[str, ...], date: str) -> None:
        """GB/T 9704 §10.2, §7.3.5.3: two lines under the body the signer's 职务 and name 右空四字,
        one line under it the date 右空四字."""
        from exporter.writers.pdf.signoff import order_signer_line  # the PDF's rule, lazily

        right = 2 * self.m.indent_chars
        line = order_signer_line(signers)
        if line:
            before = f'<w:spacing w:before="{2 * self.m.pitch}"/>'
            self.para("Signature", _run(line), before + self._ind(right=right))
        if date:
            before = f'<w:spacing w:before="{(1 if line else 2) * self.m.pitch}"/>'
            self.para("Date", _run(date), before + self._ind(right=right))


def _picture_line(extra: str) -> str:
    """A paragraph holding a picture: a single automatic line (§17.3.1.33), which grows to the
    picture's height; the styles' exact line pitch would crop it to one line of text."""
    auto = 'w:line="240" w:lineRule="auto"'
    if "<w:spacing " in extra:
        return extra.replace("<w:spacing ", f"<w:spacing {auto} ", 1)
    return f"<w:spacing {auto}/>" + extra


def _slug(text: str) -> str:
    """A heading's fragment as Markdown renderers make it (GitHub's rule): lower case, marks
    and punctuation other than - and _ dropped, spaces as hyphens."""
    kept = (c for c in text.strip().lower() if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return "".join(kept).replace(" ", "-")


def bookmarks(blocks: Sequence[Block]) -> tuple[dict[int, str], dict[str, str]]:
    """Each heading's bookmark (by its position among the headings, in body order) and the
    fragments that lead to it: its slug with and without its ordinal, the first heading
    taking a fragment keeping it, later ones numbered -1, -2 as Markdown renderers do."""
    names: dict[int, str] = {}
    anchors: dict[str, str] = {}
    seen: Counter[str] = Counter()

    def walk(items: Sequence[Block]) -> None:
        for block in items:
            if isinstance(block, Heading):
                n = len(names) + 1
                name = names[n] = f"heading_{n}"
                full = block.number + heading_separator(block.number) + text_of(block.content)
                slugs = [_slug(full), _slug(text_of(block.content))]
                for k, slug in enumerate(dict.fromkeys(slugs)):
                    if not slug:
                        continue
                    if k == 0:
                        count = seen[slug]
                        seen[slug] += 1
                        key = f"{slug}-{count}" if count else slug
                    else:
                        key = slug
                    anchors.setdefault(key, name)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)

    walk(blocks)
    return names, anchors


#: The paragraph styles of a title group's blocks, and their kinds in the style table.
_FRONT_KINDS: dict[str, Kind] = {
    "Title": "title",
    "Subtitle": "subtitle",
    "DocumentNumber": "docnumber",
    "Byline": "byline",
    "Records": "records",
}


def _east_asian_families(profile: Profile) -> dict[str, tuple[str, bool]]:
    """Each role's East Asian family as the styles name it (w:rFonts w:eastAsia) and whether
    its styles are bold; the Latin role's family is the reader's own (Times New Roman)."""
    return {
        role: (spec.families[0], spec.bold)
        for role, spec in profile.roles.items()
        if role != "latin"
    }


def _with_reference(
    doc: Document,
    options: WriteOptions,
    lang: str,
    body: _Body,
    properties: tuple[str, str, str],
) -> bytes:
    """The DOCX in the reference's package (``--reference-docx``): its styles by name, its
    section, headers, footers and theme; fonts embedded under the names its styles use."""
    from exporter import fonts
    from exporter.writers.docx import fill, reference

    assert options.reference_docx is not None
    ref = reference.Reference(options.reference_docx)
    profile = options.profile
    ref.merge_styles(styles_xml(profile, lang))
    fill.fill_body(ref, "".join(body.out))
    gongwen_pages.set_pages(ref.document, profile)  # 信函 first page, 版记 section
    notes = ref.restyle(parts.footnotes_xml(body.notes)) if body.notes else None
    embedded: list[embed.EmbeddedFont] = []
    if options.embed_fonts:
        # Each family the filled body uses, drawn with the face of the role that names it
        # (exporter's styles) or whose style names it in the template; else the body's face.
        fontset = fonts.fontset_for(options, doc.meta.language)
        face_of: dict[str, fonts.Face] = {}
        for role, (family, _) in _east_asian_families(profile).items():
            face_of.setdefault(family, fontset.face(role))
        for role, style in reference.ROLE_STYLES.items():
            name, _ = ref.east_asian_face(style, lang)
            if name:
                face_of.setdefault(name, fontset.face(role))
        wanted = {
            key: (face_of.get(key[0], fontset.face("body")), used)
            for key, used in ref.text_by_face(lang, notes).items()
        }
        embedded = embed.build(wanted)
    font_elements = {f.family: "" for f in embedded}
    core, app, custom = properties
    content = fill.Content(
        footnotes=notes,
        body_rels=body.body_rels.items,
        note_rels=body.note_rels.items,
        media=body.media.parts,
        fonts=embedded,
        font_table=parts.font_table_xml(profile, font_elements, extra=list(font_elements)),
        properties={"docProps/core.xml": core, "docProps/app.xml": app,
                    "docProps/custom.xml": custom},
        epoch=options.source_date_epoch,
    )  # fmt: skip
    return fill.package(ref, content)


def _with_template(
    lang: str,
    body: _Body,
    wanted: Callable[[], Mapping[tuple[str, bool], tuple[Face, set[str]]]],
    properties: tuple[str, str, str],
    options: WriteOptions,
) -> bytes:
    """The DOCX in the bundled template's package (python-docx), set for the profile, the
    body's XML fragments inserted in bulk; ``wanted`` finds the fonts to embed.

    Two steps run in background threads beside Python work, in C code that releases the GIL:
    the body's parse (libxml2) while the template opens and the fonts' characters are
    counted, and its deflate (zlib) while the fonts are subset.
    """
    from exporter.writers.docx import default, fill

    profile = options.profile
    # python-docx's modules import each other in a cycle that only resolves in one thread:
    # all of it is imported here before the parse starts in another.
    import docx  # noqa: F401

    body_xml = "".join(body.out)
    parsing = Background(fill.parse_body, body_xml, size=len(body_xml))
    document = default.open_template()
    default.set_up(document, profile, lang)
    fonts_wanted = wanted()
    fill.place_body(document, parsing.result())
    gongwen_pages.set_pages(document, profile)  # 信函 first page, 版记 section
    deflating = default.deflate_body(document)
    embedded = embed.build(fonts_wanted)
    default.set_settings(document, profile, lang, bool(embedded))
    families = {f.family: "" for f in embedded}
    core, app, custom = properties
    content = fill.Content(
        footnotes=parts.footnotes_xml(body.notes) if body.notes else None,
        body_rels=body.body_rels.items,
        note_rels=body.note_rels.items,
        media=body.media.parts,
        fonts=embedded,
        font_table=parts.font_table_xml(profile, families, extra=list(families)),
        properties={"docProps/core.xml": core, "docProps/app.xml": app,
                    "docProps/custom.xml": custom},
        epoch=options.source_date_epoch,
    )  # fmt: skip
    return default.package(document, content, deflating)


def _meta_texts(meta: Metadata) -> list[str]:
    """The metadata fields a DOCX writes into docProps."""
    return [meta.title, meta.subject, meta.subtitle, *meta.authors, meta.identifier, meta.publisher]


class DocxWriter:
    """Writes a Document as an editable DOCX for Word, WPS and LibreOffice."""

    name: ClassVar[str] = "docx"
    extension: ClassVar[str] = ".docx"
    #: Draws glyphs from our fonts: uncovered characters are reported for it.
    needs_fonts: ClassVar[bool] = False

    def write(self, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        if options.toc:
            from exporter.typesetting.toc import with_contents

            doc = with_contents(doc)
        original = doc
        doc, official_head, official_tail = official_parts(doc, options)  # 公文 fields
        profile = options.profile
        meta = doc.meta
        lang = parts.east_asian_lang(meta.language)
        texts = [t for b in doc.blocks for t in block_texts(b)]
        report_forbidden([*texts, *_meta_texts(meta)], meta.title or "the document", "DOCX")
        body = _Body(profile, doc)
        breaks = title_breaks(doc, options)
        blocks = doc.blocks
        in_body = False
        for k, block in enumerate(blocks):
            in_body = in_body or not isinstance(block, FRONT)
            if k + 1 < len(blocks):
                body.gap_after = front_gap(block, blocks[k + 1], in_body, profile)
            body.title_breaks = breaks.get(k, [])
            body.block(block, blocks[k - 1] if k else None)
        # The 公文 版头 and 版记 around the body (a reference template's body gets them too).
        body.out[:0] = [official_head]
        body.out.append(official_tail)
        title = meta.title or next(
            (text_without_notes(b.content) for b in doc.blocks if isinstance(b, Title)), ""
        )
        when = output_datetime(doc, options.source_date_epoch)
        core = parts.core_xml(
            title=title,
            subject=meta.subject or meta.subtitle,
            creator="; ".join(meta.authors),
            language=meta.language,
            identifier=meta.identifier,
            # Created is the document's date: an undated document gets none, and at most the
            # SOURCE_DATE_EPOCH build time as its modified date.
            created=when if document_datetime(doc) else None,
            modified=when,
        )
        app = parts.app_xml(meta.publisher)
        custom = parts.custom_xml(provenance(doc, options, "docx"))
        if options.reference_docx:
            data = _with_reference(doc, options, lang, body, (core, app, custom))
            try:
                dest.write(data)
            except OSError as exc:
                raise WriterError(f"cannot write DOCX: {exc}") from exc
            return
        # The 版头's and 版记's characters are set outside the blocks: their faces hold them too.
        extra: Iterable[tuple[str, str]] = ()
        if profile.official_format:  # imported here: the EPUB package stays out of a DOCX run
            from exporter.writers.epub.official import role_texts

            extra = role_texts(original)

        def wanted() -> dict[tuple[str, bool], tuple[Face, set[str]]]:
            return embed.wanted_fonts(doc, options, _east_asian_families(profile), extra)

        data = _with_template(lang, body, wanted, (core, app, custom), options)
        try:
            dest.write(data)
        except OSError as exc:
            raise WriterError(f"cannot write DOCX: {exc}") from exc
