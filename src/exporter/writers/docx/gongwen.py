"""The 公文 版头 and 版记 as WordprocessingML body fragments (GB/T 9704-2012 §7.2, §7.4, §10.1).

Each fragment is a string of ``w:p``/``w:tbl`` elements with the ``w:`` prefix bound to the
WordprocessingML namespace (ECMA-376 Part 1 §17), text escaped: a writer puts the 版头 before
the body's first paragraph and the 版记 after its last, whatever builds the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporter.model import Document
from exporter.model.framing import Framed, flattened, frame, framed_body
from exporter.model.official import CC_LABEL, PRINTED_GAP
from exporter.options import MM, Profile, WriteOptions
from exporter.writers._xml import attr, text
from exporter.writers.docx.gongwen_pages import SECTION_MARK, colophon_own_section
from exporter.writers.docx.parts import page_setup

#: Twips (1/20 pt) per millimetre and per point.
_TW_MM = 72 / 25.4 * 20
_TW_PT = 20
#: §7.2.4 and §10.1: the masthead's top edge below the type area's top (文件), or below the
#: page's top edge (信函); §7.2.7: the red line 4 mm below the 发文字号.
MASTHEAD_TOP_MM, LETTER_TOP_MM, RULE_GAP_MM = 35.0, 30.0, 4.0
#: §10.2: the 命令（令）格式's masthead 20 mm below the type area's top.
ORDER_TOP_MM = 20.0
#: §10.1: the 信函's red double lines 170 mm wide, the lower one 20 mm above the page's bottom
#: edge; the upper thick over thin, the lower thin over thick (ECMA-376 §17.18.2 ST_Border:
#: in a bottom border LibreOffice and Word draw the first-named line on top).
LETTER_RULE_MM, LETTER_BOTTOM_MM = 170.0, 20.0
UPPER_DOUBLE, LOWER_DOUBLE = "thickThinSmallGap", "thinThickSmallGap"
#: §10.1: the first element under the upper double line 7/8 of a 3号 character below it,
#: counted as the PDF does from the thick line's middle past both lines and their gap.
LETTER_FIRST_EM, DOUBLE_BELOW_PT = 7 / 8, 2.25 + 1.0 + 0.75
#: The double lines' w:sz (eighths of a point): the thick line's width, 2.25 pt as in the PDF.
DOUBLE_SZ = 18
MASTHEAD_MAX_PT = 42.0  # as the PDF: 初号 at most, smaller to fit the type area
RED = "FF0000"
#: Border widths in eighths of a point (§17.3.4: w:sz): the red line 0.5 mm, the 版记's rules
#: 0.35 mm and 0.25 mm (§7.4.1).
RED_RULE_SZ = round(0.5 * MM * 8)
THICK_SZ, THIN_SZ = round(0.35 * MM * 8), round(0.25 * MM * 8)
COLOPHON_PT = 14.0  # 4号 (§7.4.2)


def official_parts(doc: Document, options: WriteOptions) -> tuple[Document, str, str]:
    """(the document the writer sets, the 版头 XML before it, the 版记 XML after it): in a
    公文 profile the fields in their places; elsewhere as text around the body, no XML. The
    版记 opens a section of its own when it must go to an even page after the body's."""
    profile = options.profile
    if not profile.official_format:
        return flattened(doc), "", ""
    framed = frame(doc)
    tail = tail_xml(framed, profile)
    if tail and colophon_own_section(doc, options):
        tail = SECTION_MARK + tail
    return framed_body(doc, framed), head_xml(framed, profile), tail


def _family(profile: Profile, role: str) -> str:
    return attr(profile.roles[role].families[0])


def _run(
    value: str, profile: Profile, role: str, size: float, colour: str = "", hidden: bool = False
) -> str:
    """A run in a role's face (its Chinese family name in every slot) at ``size`` points."""
    f = _family(profile, role)
    # CT_RPr order (§17.3.2.28): rFonts, vanish, color, sz, szCs.
    rpr = (
        f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:hint="eastAsia"/>'
        + ("<w:vanish/>" if hidden else "")
        + (f'<w:color w:val="{colour}"/>' if colour else "")
        + f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    )
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text(value)}</w:t></w:r>'


def _tab() -> str:
    return "<w:r><w:tab/></w:r>"


def _para(
    runs: str,
    *,
    jc: str = "left",
    before: int = 0,
    after: int = 0,
    line: int = 0,
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
    tab: int = 0,
    border: str = "",
    frame: str = "",
) -> str:
    """A paragraph off the character grid, its indents and spacing in twips; ``line``: an
    exact line height; ``tab``: a right tab stop; ``border``: a w:pBdr's children."""
    # CT_PPr order (§17.3.1.26): keepNext, framePr, pBdr, tabs, snapToGrid, spacing, ind, jc.
    ppr = (
        "<w:keepNext/>"
        + frame
        + (f"<w:pBdr>{border}</w:pBdr>" if border else "")
        + (f'<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs>' if tab else "")
        + '<w:snapToGrid w:val="0"/>'
        + f'<w:spacing w:before="{before}" w:beforeLines="0" w:after="{after}" w:afterLines="0"'
        + (f' w:line="{line}" w:lineRule="exact"/>' if line else "/>")
        + f'<w:ind w:left="{left}" w:leftChars="0" w:right="{right}" w:rightChars="0" '
        + (
            f'w:hanging="{hanging}" w:hangingChars="0"/>'
            if hanging
            else 'w:firstLine="0" w:firstLineChars="0"/>'
        )
        + f'<w:jc w:val="{jc}"/>'
    )
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


@dataclass(frozen=True)
class _Head:
    """What the 版头's parts share: its fields and the page's measures (twips)."""

    profile: Profile
    lines: list[tuple[str, str]]  # 份号, 密级, 紧急程度, in order
    issuers: list[str]
    number: str
    signer: str
    body: float  # the body size (pt)
    pitch: int  # a row of the 22 (twips)
    width: int  # the type area's width
    cell: int  # a character cell
    grid: int  # the docGrid's pitch, whole twips
    exact: int  # an exact line of the body size

    def run(self, value: str, role: str = "body", size: float = 0, colour: str = "") -> str:
        return _run(value, self.profile, role, size or self.body, colour)

    def left_lines(self, before: int = 0) -> list[str]:
        """份号, 密级, 紧急程度 顶格, one a line, the first ``before`` twips down."""
        out = []
        for k, value in self.lines:
            out.append(_para(self.run(value, "body" if k == "copy" else "heading1"),
                             line=self.grid, before=before))  # fmt: skip
            before = 0
        return out


def head_xml(framed: Framed, profile: Profile) -> str:
    """份号, 密级, 紧急程度 顶格 one a line; the masthead red and centred, its top edge 35 mm
    below the type area (信函: 30 mm below the page's top, in a frame); the 发文字号 two lines
    under it (上行文: 左空一字, with 签发人 右空一字), the red line 4 mm under it as the
    paragraph's bottom border (信函: a red double line under the masthead)."""
    if not framed.head:
        return ""
    width = round(profile.text_width_mm * _TW_MM)
    head = _Head(
        profile=profile,
        lines=[(k, t) for k, t in framed.head if k in ("copy", "classification", "urgency")],
        issuers=[t for k, t in framed.head if k == "issuer"],
        number=next((t for k, t in framed.head if k == "number"), ""),
        signer=next((t for k, t in framed.head if k == "signer"), ""),
        body=profile.body_size_pt,
        pitch=round(profile.text_height_mm * _TW_MM / (profile.lines_per_page or 22)),
        width=width,
        cell=round(width / (profile.chars_per_line or 28)),
        grid=page_setup(profile).line_pitch,
        exact=round(profile.body_size_pt * _TW_PT),
    )
    if profile.official_format == "letter":
        return "".join(_letter_head(head))
    out = head.left_lines() + _masthead(
        head, ORDER_TOP_MM if profile.official_format == "order" else MASTHEAD_TOP_MM
    )
    if not head.issuers:
        return "".join(out)
    if profile.official_format == "order":
        # §10.2: the 令号 two lines under the masthead, centred, the body two lines under it;
        # no red line.
        runs = head.run(head.number) if head.number else ""
        out.append(_para(runs, jc="center", before=2 * head.pitch if head.number else 0,
                         after=2 * head.pitch, line=head.exact))  # fmt: skip
        return "".join(out)
    return "".join([*out, _number_and_red_line(head)])


def _masthead(head: _Head, top_mm: float) -> list[str]:
    """One centred red line per issuer, the first one's top edge ``top_mm`` below the type
    area's top (after the 份号… lines above it)."""
    out = []
    for i, name in enumerate(head.issuers):
        size = _masthead_size(head.profile, name)
        used = len(head.lines) * head.pitch if i == 0 else 0
        before = round(top_mm * _TW_MM) - used if i == 0 else round(size * 0.25 * _TW_PT)
        out.append(_para(head.run(name, "title", size, RED), jc="center", before=max(before, 0),
                         line=round(size * _TW_PT)))  # fmt: skip
    return out


def _masthead_size(profile: Profile, name: str) -> float:
    return min(MASTHEAD_MAX_PT, profile.text_width_mm * MM / max(len(name), 1))


def _number_and_red_line(head: _Head) -> str:
    """文件格式: the 发文字号 two lines under the masthead, centred (上行文: 左空一字, with
    签发人 右空一字), the red line 4 mm under it as its bottom border, the title two lines
    below the red line."""
    red = (
        f'<w:bottom w:val="single" w:sz="{RED_RULE_SZ}" w:space="{round(RULE_GAP_MM * MM)}" '
        f'w:color="{RED}"/>'
    )
    pitch, after = head.pitch, 2 * head.pitch
    if head.signer:
        label, _, names = head.signer.partition("：")
        runs = head.run(head.number) + _tab() + head.run(label + "：") + head.run(names, "heading2")
        return _para(runs, before=2 * pitch, after=after, line=head.exact, left=head.cell,
                     right=head.cell, tab=head.width - head.cell, border=red)  # fmt: skip
    if head.number:
        return _para(head.run(head.number), jc="center", before=2 * pitch, after=after,
                     line=head.exact, border=red)  # fmt: skip
    return _para("", line=head.exact, after=after, border=red)


def _letter_head(head: _Head) -> list[str]:
    """§10.1 信函格式: the masthead (frames placed on the page, so their place in the text
    keeps the reading order) 30 mm below the page's top edge; the upper double line (thick
    over thin) 4 mm under it and the lower one (thin over thick) 20 mm above the page's bottom
    edge, 170 mm wide; 份号… under it on the left, the first 7/8 of a 3号 character below the
    line, and the 发文字号 at the right of the first of them (a frame on that line)."""
    profile, body = head.profile, head.body
    masthead: list[str] = []
    bottom = LETTER_TOP_MM  # the masthead's bottom edge below the page's top (mm)
    for i, name in enumerate(head.issuers):
        size = _masthead_size(profile, name)
        y = round(LETTER_TOP_MM * _TW_MM + i * size * 1.25 * _TW_PT)
        frame = (
            f'<w:framePr w:w="{head.width}" w:hSpace="0" w:wrap="none" w:vAnchor="page" '
            f'w:hAnchor="margin" w:xAlign="center" w:y="{y}" w:hRule="exact" '
            f'w:h="{round(size * _TW_PT)}"/>'
        )
        masthead.append(_para(head.run(name, "title", size, RED), jc="center",
                              line=round(size * _TW_PT), frame=frame))  # fmt: skip
        bottom = (y + size * _TW_PT) / _TW_MM
    rule = bottom + RULE_GAP_MM
    first = rule + (DOUBLE_BELOW_PT + LETTER_FIRST_EM * body) / MM
    # The text starts at the type area's top: space before its first line down to the
    # standard's place (so Word sets it). LibreOffice sets the lines of a document with a
    # line grid on its lines, rounding down the page: there the first line stands one grid
    # line lower when the space is not whole lines (4.5 mm in the full notice).
    lead = round((first - profile.margin_top_mm) * _TW_MM - _glyph_top(head.grid, body))
    out = head.left_lines(lead)
    if not head.lines:
        out.append(_para("", line=head.grid, before=lead))
    out += masthead
    out.append(frame_line_xml(rule, LETTER_RULE_MM, UPPER_DOUBLE))
    out.append(frame_line_xml(profile.page_height_mm - LETTER_BOTTOM_MM, LETTER_RULE_MM,
                              LOWER_DOUBLE))  # fmt: skip
    if head.number:
        y = round(profile.margin_top_mm * _TW_MM + lead)
        frame = (
            f'<w:framePr w:w="{head.width}" w:h="{head.pitch}" w:hRule="exact" w:hSpace="0" '
            f'w:wrap="none" w:vAnchor="page" w:hAnchor="margin" w:xAlign="center" '
            f'w:y="{y}"/>'
        )
        out.append(_para(head.run(head.number), jc="right", line=head.pitch, frame=frame))
    # The title two lines below the last element (all on the grid, as the PDF).
    return out + [_para("", line=head.grid)] * 2


def tail_xml(framed: Framed, profile: Profile) -> str:
    """The 版记 as a floating table (§17.4.58 tblpPr) placed so that its bottom lies on the type
    area's bottom edge, as wide as the type area: 抄送 (左右各空一字, wrapped lines after the
    colon) and 印发机关 / 印发日期 (a right tab), a row each, a thick border over the first and
    under the last and a thin one between (信函: no 印发 line and no rules, §10.1). Then the
    paragraph a body ends with."""
    cc = next((t for k, t in framed.tail if k == "cc"), "")
    printed = next((t for k, t in framed.tail if k == "printed"), "")
    letter = profile.official_format == "letter"
    hidden = ""
    if letter:  # §10.1: no 印发 line; its text is kept, hidden, so nothing is lost
        printed, hidden = "", printed
    end = f"<w:p>{_run(hidden, profile, 'body', COLOPHON_PT, hidden=True)}</w:p>" if hidden else ""
    if not cc and not printed:
        return end
    width = round(profile.text_width_mm * _TW_MM)
    cell = round(width / (profile.chars_per_line or 28))
    pitch = round(profile.text_height_mm * _TW_MM / (profile.lines_per_page or 22))
    size = COLOPHON_PT
    label = round(len(CC_LABEL) * size * _TW_PT)
    lines = 0
    if cc:
        # The lines it takes, from the width of its characters (one grid line each).
        char = round(size * _TW_PT)
        first, rest = (width - 2 * cell) // char, max(1, (width - 2 * cell - label) // char)
        lines += 1 + (max(0, len(CC_LABEL) + len(cc) - first) + rest - 1) // rest
    lines += 1 if printed else 0
    y = round(profile.text_height_mm * _TW_MM) - pitch * lines
    thick, thin = (0, 0) if letter else (THICK_SZ, THIN_SZ)
    rows: list[tuple[str, int]] = []
    if cc:
        # The 信函's hidden 印发 text ends the 抄送 paragraph: a floating table anchored to a
        # paragraph whose text is all hidden is hidden with it in LibreOffice.
        hide = _run(hidden, profile, "body", size, hidden=True) if hidden else ""
        end = ""
        rows.append((_para(_run(cc, profile, "body", size) + hide, left=cell + label, right=cell,
                           hanging=label, line=pitch), lines - (1 if printed else 0)))  # fmt: skip
    if printed:
        by, gap, date = printed.partition(PRINTED_GAP)
        runs = (
            _run(by, profile, "body", size) + _tab() + _run(date, profile, "body", size)
            if gap
            else _run(printed, profile, "body", size)
        )
        rows.append((_para(runs, left=cell, right=cell, tab=width - cell, line=pitch), 1))
    # CT_TblBorders order (§17.4.39): top, left, bottom, right, insideH, insideV.
    borders = "".join(
        _edge(name, sz)
        for name, sz in (("top", thick), ("left", 0), ("bottom", thick), ("right", 0),
                         ("insideH", thin), ("insideV", 0))
    )  # fmt: skip
    tw = width
    tr = "".join(
        f'<w:tr><w:trPr><w:trHeight w:val="{n * pitch}" w:hRule="exact"/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{tw}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f"{p}</w:tc></w:tr>"
        for p, n in rows
    )
    # CT_TblPr order (§17.4.60): tblpPr, tblW, tblBorders, tblLayout, tblCellMar. Placed from
    # the page's left edge: LibreOffice (7.4) sets a floating table as wide as the type area
    # and placed from the margin in the text flow, not at the foot.
    out = [
        "<w:tbl><w:tblPr>"
        '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" '
        'w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="page" '
        f'w:tblpX="{round(profile.margin_left_mm * _TW_MM)}" w:tblpY="{y}"/>'
        f'<w:tblW w:w="{tw}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{tw}"/></w:tblGrid>{tr}</w:tbl>'
    ]
    # A body ends with a paragraph.
    return "".join(out) + (end or "<w:p/>")


def _edge(name: str, sz: int) -> str:
    """A border: a single black line ``sz`` eighths of a point wide, or none."""
    if not sz:
        return f'<w:{name} w:val="nil"/>'
    return f'<w:{name} w:val="single" w:sz="{sz}" w:space="0" w:color="000000"/>'


def _glyph_top(line: int, size: float) -> float:
    """Twips from the top of an exact line ``line`` twips high to the em box top of its text
    at ``size`` points, as LibreOffice 7.4 sets 仿宋 in it (measured: the em box's top 1.23 em
    above the line's bottom)."""
    return line - 1.23 * size * _TW_PT


def frame_line_xml(y_mm: float, width_mm: float, kind: str) -> str:
    """A paragraph in a frame placed on the page (§17.3.1.11 framePr), ``width_mm`` wide and
    centred, drawing only its bottom border, a red double line whose thick line's middle lies
    ``y_mm`` below the page's top edge."""
    # The frame is one point high; the border is drawn under it, its lines taking 4 pt.
    top = round(y_mm * _TW_MM) - _TW_PT * 3
    frame = (
        f'<w:framePr w:w="{round(width_mm * _TW_MM)}" w:h="{_TW_PT}" w:hRule="exact" '
        f'w:hSpace="0" w:wrap="none" w:vAnchor="page" w:hAnchor="margin" '
        f'w:xAlign="center" w:y="{top}"/>'
    )
    border = f'<w:bottom w:val="{kind}" w:sz="{DOUBLE_SZ}" w:space="0" w:color="{RED}"/>'
    return _para("", line=_TW_PT, border=border, frame=frame)
