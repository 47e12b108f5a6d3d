"""DOCX styles.xml: one named style per block kind, its face, size, indents and spacing from the style table."""

from __future__ import annotations

import math

from exporter.options import MM, Profile
from exporter.typesetting.styles import (
    BlockStyle,
    Kind,
    block_style,
    heading_kind,
    line_height_pt,
    pitch_pt,
)
from exporter.writers._xml import attr
from exporter.writers.docx.parts import CODE_FONT, W_NS, XML_DECL, Metrics, twips_pt
from exporter.writers.docx.tables import CELL_MARGIN

# Word has no balanced line breaking: a balanced block is centred (ECMA-376 Part 1 §17.18.44).
_JC = {
    "justify": "both",
    "left": "left",
    "centre": "center",
    "right": "right",
    "balanced": "center",
}


def _fonts(east_asia: str, latin: str) -> str:
    return (
        f'<w:rFonts w:ascii="{attr(latin)}" w:hAnsi="{attr(latin)}" '
        f'w:eastAsia="{attr(east_asia)}" w:cs="{attr(latin)}"/>'
    )


def _size(pt: float) -> str:
    half = round(pt * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    rule = f' w:line="{line}" w:lineRule="exact"' if line is not None else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def _ind(st: BlockStyle, m: Metrics, size: float | None = None) -> str:
    """w:ind in characters (what Word and WPS honour) with twips fallbacks for other readers.

    The table counts characters of the body size, Word's character unit is one of the
    paragraph's own size: a paragraph set at another ``size`` (a 14 pt heading) gets twips
    only, so that its indent meets the body's two characters exactly.
    """
    chars = size is None or size == m.body_pt

    def pair(name: str, value: float) -> str:
        twips = f'w:{name}="{round(value * m.char)}"'
        return f'w:{name}Chars="{round(value * 100)}" {twips}' if chars else twips

    attrs = []
    if st.left:
        attrs.append(pair("left", st.left))
    if st.right:
        attrs.append(pair("right", st.right))
    attrs.append(pair("hanging", -st.indent) if st.indent < 0 else pair("firstLine", st.indent))
    return f"<w:ind {' '.join(attrs)}/>"


def _ppr(
    st: BlockStyle,
    m: Metrics,
    *,
    head: str = "",
    line: int | None = None,
    size: float | None = None,
) -> str:
    """pPr content of a paragraph style from its table row; ``head`` goes after keepNext,
    ``line`` is an exact line height (twips), ``size`` the style's size in points."""
    keep = "<w:keepNext/>" if st.keep else ""
    space = ""
    if st.before or st.after or line is not None:
        space = _spacing(round(st.before * m.pitch), round(st.after * m.pitch), line)
    return keep + head + space + _ind(st, m, size) + f'<w:jc w:val="{_JC[st.align]}"/>'


def direct_ppr(st: BlockStyle, profile: Profile) -> str:
    """Indents and alignment of a table row as a paragraph's own pPr (after its style's)."""
    return _ind(st, Metrics.of(profile), st.size_pt(profile)) + f'<w:jc w:val="{_JC[st.align]}"/>'


def spacing(before: float, after: float, profile: Profile) -> str:
    """A paragraph's own space before and after, in lines of the pitch (0: the style's)."""
    pitch = Metrics.of(profile).pitch
    attrs = [f'w:{name}="{round(lines * pitch)}"' for name, lines in (("before", before),
             ("after", after)) if lines]  # fmt: skip
    return f"<w:spacing {' '.join(attrs)}/>" if attrs else ""


def _style(
    kind: str,
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    next_id: str | None = None,
    ppr: str = "",
    rpr: str = "",
    priority: int = 10,
    default: bool = False,
    semi_hidden: bool = False,
) -> str:
    head = f'<w:style w:type="{kind}"' + (' w:default="1"' if default else "")
    parts = [f'{head} w:styleId="{style_id}">', f'<w:name w:val="{attr(name)}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_id:
        parts.append(f'<w:next w:val="{next_id}"/>')
    parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if semi_hidden:
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    else:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


class _Styles:
    """The styles of one profile: table rows turned into pPr and rPr."""

    def __init__(self, profile: Profile, lang: str) -> None:
        self.p = profile
        self.m = Metrics.of(profile)
        self.latin = profile.latin_families[0]
        self.lang_el = f'<w:lang w:val="en-US" w:eastAsia="{attr(lang)}" w:bidi="ar-SA"/>'

    def role_rpr(self, role: str, size: float | None = None) -> str:
        spec = self.p.roles[role]
        weight = "<w:b/><w:bCs/>" if spec.bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
        return (
            _fonts(spec.families[0], self.latin)
            + weight
            + _size(size or spec.size_pt)
            + self.lang_el
        )

    def rpr(self, kind: Kind) -> str:
        st = block_style(kind, self.p)
        return self.role_rpr(st.role, st.size_pt(self.p))

    def para(self, kind: Kind, style_id: str, name: str, priority: int = 10) -> str:
        """A paragraph style wholly from the table; the next paragraph is Normal."""
        st = block_style(kind, self.p)
        return _style(
            "paragraph",
            style_id,
            name,
            next_id="Normal",
            priority=priority,
            ppr=_ppr(st, self.m, size=st.size_pt(self.p)),
            rpr=self.rpr(kind),
        )

    def line(self, st: BlockStyle) -> int | None:
        """An exact line for a style whose face is too large for the pitch (the table's line
        height), None when the pitch (Normal's exact line) holds it."""
        height = line_height_pt(st.size_pt(self.p), self.p)
        return None if height <= pitch_pt(self.p) else twips_pt(height)

    def normal(self) -> str:
        """Normal: the body paragraph, with the line pitch and (gongwen) the character grid."""
        p, m = self.p, self.m
        rpr = self.rpr("paragraph")
        grid = ""
        if m.grid_chars:
            cell_pt = p.text_width_mm * MM / m.grid_chars
            if cell_pt < p.body_size_pt:
                # Word adds w:charSpace to every advance, but LibreOffice breaks lines as if a
                # character wider than the cell took two cells (14 a line instead of 28). So the
                # body is condensed to the cell and set off the character grid: Word, WPS and
                # LibreOffice then all fit 28 a line, and the exact 579-twip pitch keeps 22
                # lines. 0.05 pt beyond the deficit: LibreOffice measures on a coarser device
                # grid (found by rendering: at -0.2 pt most lines still held 27; -0.3 pt holds
                # 28 and keeps more lines on the grid than -0.4 pt: the full notice 5 of 8
                # against 4, the sample 76 of 89 against 75). Word stays at 28 for any
                # condensing below 0.75 pt (29 cells would need 15.25 pt).
                condense = math.ceil((p.body_size_pt - cell_pt + 0.05) * 20)
                rpr = rpr.replace("<w:sz ", f'<w:spacing w:val="-{condense}"/><w:sz ', 1)
                grid = '<w:snapToGrid w:val="0"/>'
        # overflowPunct="1" is Word's and WPS's own default; written out because LibreOffice
        # imports it inverted: only an explicit 1 turns its hanging punctuation off, and a
        # hung line-end mark (，。、) vanishes from its rendering (measured with LO 7.4).
        # On the line grid (GB/T 9704 §5.2.2: 22 lines a page) pages are filled as the PDF
        # fills them, a paragraph's first or last line alone at a page's foot or head
        # included; elsewhere a word processor's widow and orphan control.
        widows = '<w:widowControl w:val="0"/>' if m.grid_chars else "<w:widowControl/>"
        head = widows + '<w:overflowPunct w:val="1"/>' + grid
        ppr = _ppr(block_style("paragraph", p), m, head=head, line=m.pitch)
        return _style(
            "paragraph", "Normal", "Normal", based_on=None, default=True, priority=0,
            ppr=ppr, rpr=rpr,
        )  # fmt: skip

    def front(self) -> list[str]:
        """Title, subtitle, document number, byline, addressee, lead and dateline."""
        m = self.m
        title = block_style("title", self.p)
        # Off the character grid: a 22 pt title would take two 15.8 pt cells a character.
        grid_off = '<w:snapToGrid w:val="0"/>'
        title_ppr = _ppr(title, m, head=grid_off, line=self.line(title) or m.pitch)
        subtitle = block_style("subtitle", self.p)
        sub_ppr = _ppr(subtitle, m, line=self.line(subtitle), size=subtitle.size_pt(self.p))
        dateline = block_style("dateline", self.p)
        return [
            _style(
                "paragraph", "Title", "Title", next_id="Normal", ppr=title_ppr,
                rpr=self.rpr("title").replace("<w:sz ", '<w:spacing w:val="0"/><w:sz ', 1),
            ),
            _style("paragraph", "Subtitle", "Subtitle", next_id="Normal", ppr=sub_ppr,
                   rpr=self.rpr("subtitle")),
            self.para("docnumber", "DocumentNumber", "Document Number"),
            self.para("byline", "Byline", "Byline"),
            self.para("records", "Records", "Records"),
            self.para("addressee", "Addressee", "Addressee"),
            self.para("lead", "Lead", "Lead"),
            _style(
                "character", "Dateline", "Dateline", based_on="DefaultParagraphFont",
                rpr=_fonts(self.p.roles[dateline.role].families[0], self.latin)
                + _size(dateline.size_pt(self.p)),
            ),
        ]  # fmt: skip

    def headings(self) -> list[str]:
        """Heading 1-4, and the character styles of a run-in heading's ordinal and title (the
        level's face at the run-in size)."""
        out = []
        runin = block_style("runin", self.p)
        for level in range(1, 5):
            kind = heading_kind(level)
            st = block_style(kind, self.p)
            head = f'<w:keepLines/><w:outlineLvl w:val="{level - 1}"/>'
            ppr = _ppr(st, self.m, head=head, line=self.line(st), size=st.size_pt(self.p))
            out.append(
                _style(
                    "paragraph", f"Heading{level}", f"heading {level}", next_id="Normal",
                    priority=9, ppr=ppr, rpr=self.rpr(kind),
                )
            )  # fmt: skip
        for level in range(1, 5):
            role = block_style(heading_kind(level), self.p).role
            out.append(
                _style(
                    "character", f"RunInHeading{level}", f"Run-in Heading {level}",
                    based_on="DefaultParagraphFont", rpr=self.role_rpr(role, runin.size_pt(self.p)),
                )
            )  # fmt: skip
        return out

    def blocks(self) -> list[str]:
        """Character styles, quote, verse, list, code, contents, attachments, signature."""
        m = self.m
        verse = block_style("verse", self.p)
        # A verse block is one paragraph with a w:br per line, so Word has no first line per
        # verse line to hang: every line sits at the table's first-line position.
        flat = BlockStyle(verse.role, verse.size, left=verse.left + verse.indent, align="left")
        code = block_style("code", self.p)
        return [
            _style("character", "RunInBody", "Run-in Body", based_on="DefaultParagraphFont",
                   rpr=self.rpr("runin")),
            _style("character", "Emphasis", "Emphasis", based_on="DefaultParagraphFont",
                   priority=20, rpr='<w:em w:val="dot"/>'),  # 着重号 (GB/T 15834-2011 §4.16)
            _style("character", "Strong", "Strong", based_on="DefaultParagraphFont",
                   priority=22, rpr="<w:b/><w:bCs/>"),
            # Inline code: a monospaced Latin face; East Asian text keeps the paragraph's face.
            _style("character", "CodeChar", "Code Char", based_on="DefaultParagraphFont",
                   rpr=f'<w:rFonts w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}" w:cs="{CODE_FONT}"/>'),
            # Word's built-in Hyperlink character style: blue, underlined.
            _style("character", "Hyperlink", "Hyperlink", based_on="DefaultParagraphFont",
                   priority=99, semi_hidden=True,
                   rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>'),
            self.para("quote", "Quote", "Quote", priority=29),
            _style("paragraph", "Verse", "Verse", ppr=_ppr(flat, m), rpr=self.rpr("verse")),
            _style("paragraph", "ListParagraph", "List Paragraph", priority=34,
                   ppr=_ppr(block_style("list", self.p), m), rpr=self.rpr("list")),
            # Code keeps the body's East Asian face and takes a monospaced Latin one.
            _style("paragraph", "Code", "Code",
                   ppr=_ppr(code, m, line=m.pitch, size=code.size_pt(self.p)),
                   rpr=_fonts(self.p.roles[code.role].families[0], CODE_FONT)
                   + _size(code.size_pt(self.p))),
            _style("paragraph", "Contents", "Contents",
                   ppr=_ppr(block_style("contents", self.p), m)),
            # Attachments and signatures get their indents per paragraph (they depend on the
            # text's widths, GB/T 9704-2012 §7.3.4, §7.3.5.2); the styles give the alignment.
            _style("paragraph", "Attachment", "Attachment",
                   ppr=_ppr(BlockStyle("body", align=block_style("attachments", self.p).align), m)),
            self.para("attachment_head", "AttachmentHead", "Attachment Head"),
            _style("paragraph", "Signature", "Signature",
                   ppr=_ppr(BlockStyle("body", align=block_style("signature", self.p).align), m)),
            self.para("boilerplate", "Boilerplate", "Boilerplate"),
            _style("paragraph", "Date", "Date",
                   ppr=_ppr(BlockStyle("body", align=block_style("signature", self.p).align), m)),
        ]  # fmt: skip

    def tables(self) -> list[str]:
        """The default table style, TableGrid (single borders), and the cell paragraphs: body
        text flush in its cell (justified), header cells in the heading face, centred."""
        margins = (
            f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" '
            f'w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" '
            'w:type="dxa"/></w:tblCellMar>'
        )
        side = '<w:{} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        borders = "".join(
            side.format(name) for name in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        flush = BlockStyle("body", align="justify")
        head = block_style("heading1", self.p)
        return [
            # ECMA-376 Part 1 §17.7.6: table styles; TableNormal is the default every table
            # starts from (no borders, Word's 108-twip cell margins).
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
            '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
            f'<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{margins}</w:tblPr>'
            "</w:style>",
            '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
            '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>'
            f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr></w:style>",
            _style("paragraph", "TableText", "Table Text", ppr=_ppr(flush, self.m)),
            _style("paragraph", "TableHeading", "Table Heading", based_on="TableText",
                   ppr='<w:keepNext/><w:jc w:val="center"/>',
                   rpr=self.role_rpr(head.role, self.p.body_size_pt)),
        ]  # fmt: skip

    def page_parts(self) -> list[str]:
        """Footnote text and reference, footer."""
        return [
            # A note is a footnote in Word (no inline note), in the table's face and size.
            _style("paragraph", "FootnoteText", "footnote text", priority=99, semi_hidden=True,
                   ppr='<w:snapToGrid w:val="0"/>' + _spacing() + _ind(BlockStyle("body"), self.m),
                   rpr=self.rpr("note")),
            _style("character", "FootnoteReference", "footnote reference",
                   based_on="DefaultParagraphFont", priority=99, semi_hidden=True,
                   rpr='<w:vertAlign w:val="superscript"/>'),
            # A compact exact line: LibreOffice takes the footer's height out of the type area.
            _style("paragraph", "Footer", "footer", priority=99, semi_hidden=True,
                   ppr='<w:snapToGrid w:val="0"/>'
                   + _spacing(line=twips_pt(self.p.roles["page_number"].size_pt * 1.2))
                   + _ind(BlockStyle("body"), self.m) + '<w:jc w:val="center"/>',
                   rpr=self.role_rpr("page_number")),
        ]  # fmt: skip


def styles_xml(profile: Profile, lang: str) -> str:
    """styles.xml: explicit eastAsia fonts and zh language everywhere, no theme-font attributes."""
    s = _Styles(profile, lang)
    default_font = _style(
        "character", "DefaultParagraphFont", "Default Paragraph Font", based_on=None,
        default=True, priority=1, semi_hidden=True,
    )  # fmt: skip
    styles = [
        s.normal(),
        default_font,
        *s.front(),
        *s.headings(),
        *s.blocks(),
        *s.tables(),
        *s.page_parts(),
    ]
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        + _fonts(profile.roles["body"].families[0], s.latin)
        + '<w:kern w:val="2"/>'
        + _size(profile.body_size_pt)
        + s.lang_el
        + "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        + _spacing()
        + "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return f'{XML_DECL}<w:styles xmlns:w="{W_NS}">{defaults}{"".join(styles)}</w:styles>'
