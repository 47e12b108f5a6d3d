"""The 公文 版头 on the PDF page: 份号, 密级, 紧急程度, the red 发文机关标志, 发文字号, 签发人, red lines (GB/T 9704-2012 §7.2, §10)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from exporter.model.framing import Framed
from exporter.options import MM
from exporter.writers.pdf.layout import Para, Row, Typesetter
from exporter.writers.pdf.strokes import RED, Stroke

#: §7.2.4: the 发文机关标志's top edge 35 mm below the type area's top edge.
MASTHEAD_TOP_MM = 35.0
#: §10.1: in the 信函格式, 30 mm below the page's top edge.
LETTER_TOP_MM = 30.0
#: §10.2: in the 命令（令）格式, 20 mm below the type area's top edge.
ORDER_TOP_MM = 20.0
#: The largest 发文机关标志 (the standard leaves its size to the office): 初号, 42 pt, about
#: 15 mm a character, the width the 1999 edition allowed; a longer name is set smaller to fit.
MASTHEAD_MAX_PT = 42.0
#: Between the names of a joint document's bodies, stacked, and before its 文件 (in ems).
JOINT_GAP_EM = 0.25
#: A joint document's 文件, given as its last issuer: set once, at the right of the names.
JOINT_SUFFIX = "文件"
#: §7.2.7: the red line 4 mm below the 发文字号.
RULE_GAP_MM = 4.0
#: The red separator's thickness (not numbered in the standard): 0.5 mm.
RED_RULE_PT = 0.5 * MM
#: §10.1: the letter's red double lines, 170 mm wide; the upper 4 mm below the masthead (thick
#: over thin), the lower 20 mm above the page's bottom edge (thin over thick). Thicknesses and
#: their gap are not numbered in the standard: 2.25 pt and 0.75 pt, 1 pt apart (Word's 双线).
LETTER_RULE_MM = 170.0
LETTER_BOTTOM_MM = 20.0
THICK_PT, THIN_PT, DOUBLE_GAP_PT = 2.25, 0.75, 1.0
#: §10.1: the first element under the letter's double line, 7/8 of a 3号 character below it.
LETTER_FIRST_EM = 7 / 8
_UNBROKEN = 1e6
#: §7.2.6: 签发人 names in 楷体 (the role that sets 楷体 in the gongwen profiles).
KAI_ROLE = "heading2"
#: §7.2.2, §7.2.3: 密级 and 紧急程度 in 3号黑体.
HEI_ROLE = "heading1"


@dataclass(slots=True)
class _Placed:
    """A set line and the distance of its row's top below the type area's top."""

    top: float
    para: Para
    x: float
    size: float


class _Head:
    """The 版头 being placed: its fields, the lines set so far and the strokes to draw."""

    def __init__(self, ts: Typesetter, framed: Framed) -> None:
        self.ts = ts
        self.placed: list[_Placed] = []
        self.strokes: list[Stroke] = []
        self.lines = [(k, t) for k, t in framed.head if k in ("copy", "classification", "urgency")]
        self.issuers = [t for k, t in framed.head if k == "issuer"]
        self.number = next((t for k, t in framed.head if k == "number"), "")
        self.signer = next((t for k, t in framed.head if k == "signer"), "")

    def line(
        self, text: str, role: str, top: float, align: str = "left", inset: float = 0.0
    ) -> None:
        ts = self.ts
        para = ts.simple(text, role, ts.body)
        w = ts.natural_width(para)
        x = {"left": inset, "right": ts.width - inset - w, "centre": (ts.width - w) / 2}[align]
        self.placed.append(_Placed(top, para, x, ts.body))

    def left_lines(self, top: float) -> float:
        """份号, 密级, 紧急程度 顶格, one a line from ``top`` (§7.2.1-§7.2.3); the next top."""
        for k, text in self.lines:
            self.line(text, "body" if k == "copy" else HEI_ROLE, top)
            top += self.ts.pitch
        return top

    def masthead(self, top: float) -> float:
        """The issuers centred, red, in the title face (小标宋), stacked; the bottom edge. A
        joint document whose last issuer is 文件 alone gets it at the right of the stacked
        names, centred on them (§7.2.4)."""
        ts, width, issuers = self.ts, self.ts.width, self.issuers
        names = issuers
        suffix = ""
        if len(issuers) > 2 and issuers[-1] == JOINT_SUFFIX:
            names, suffix = issuers[:-1], issuers[-1]
        room = width - (len(suffix) + JOINT_GAP_EM) * MASTHEAD_MAX_PT if suffix else width
        size = min(MASTHEAD_MAX_PT, room / max(max(map(len, names)), 1))
        paras = [ts.simple(name, "title", size) for name in names]
        widest = max(ts.natural_width(p) for p in paras)
        if widest > room:  # a face wider than its em: fit
            size *= room / widest
            paras = [ts.simple(name, "title", size) for name in names]
            widest = max(ts.natural_width(p) for p in paras)
        tail = ts.simple(suffix, "title", MASTHEAD_MAX_PT) if suffix else None
        tail_w = ts.natural_width(tail) + JOINT_GAP_EM * MASTHEAD_MAX_PT if tail else 0.0
        left = (width - widest - tail_w) / 2
        start = top
        for i, para in enumerate(paras):
            para.colour = RED
            w = ts.natural_width(para)
            x = left + (widest - w) / 2 if tail else (width - w) / 2
            self.placed.append(_Placed(top, para, x, size))
            top += size * (1 + JOINT_GAP_EM) if i < len(paras) - 1 else size
        if tail is not None:
            tail.colour = RED
            middle = (start + top) / 2
            x = left + widest + JOINT_GAP_EM * MASTHEAD_MAX_PT
            self.placed.append(_Placed(middle - MASTHEAD_MAX_PT / 2, tail, x, MASTHEAD_MAX_PT))
        return top


def set_head(ts: Typesetter, framed: Framed, kind: str) -> None:
    """Append the 版头's rows to ``ts.rows``: each element where the standard puts it (in reading
    order: spacers between them, negative where a later element stands higher), then space to
    the title, two lines below the red line on the next row of the grid."""
    if not framed.head:
        return
    head = _Head(ts, framed)
    if kind == "letter":
        end = _letter(head)
    elif not head.issuers:
        _emit(ts, head.placed, head.strokes, head.left_lines(0.0))
        return
    else:
        end = _order(head) if kind == "order" else _file(head)
    # The title two lines below the last element (§7.3.1), on the grid's next row.
    pitch = ts.pitch
    _emit(ts, head.placed, head.strokes, math.ceil((end + 2 * pitch) / pitch - 1e-6) * pitch)


def _letter(head: _Head) -> float:
    """§10.1: the masthead 30 mm below the page's top edge, the double line 4 mm below it, the
    elements under it: 份号… on the left, the 发文字号 on the right of the first line; the
    bottom of the last of them."""
    ts = head.ts
    width = ts.width
    top0 = (LETTER_TOP_MM - ts.p.margin_top_mm) * MM
    bottom = head.masthead(top0) if head.issuers else top0
    rule = bottom + RULE_GAP_MM * MM
    x0 = (width - LETTER_RULE_MM * MM) / 2
    x1 = x0 + LETTER_RULE_MM * MM
    low = (ts.p.page_height_mm - ts.p.margin_top_mm - LETTER_BOTTOM_MM) * MM
    head.strokes += [
        Stroke(x0, x1, rule, THICK_PT, RED),
        Stroke(x0, x1, rule + THICK_PT / 2 + DOUBLE_GAP_PT + THIN_PT / 2, THIN_PT, RED),
        Stroke(x0, x1, low - THICK_PT / 2 - DOUBLE_GAP_PT - THIN_PT / 2, THIN_PT, RED),
        Stroke(x0, x1, low, THICK_PT, RED),
    ]
    first = rule + THICK_PT + DOUBLE_GAP_PT + THIN_PT + LETTER_FIRST_EM * ts.body
    # Reading order as in every writer: 份号… (placed lower) before the masthead.
    mast = head.placed[:]
    head.placed.clear()
    end = head.left_lines(first)
    head.placed += mast
    if head.number:
        head.line(head.number, "body", first, "right")
    return max(end, first + ts.pitch)


def _order(head: _Head) -> float:
    """§10.2: the masthead (issuing body + 命令 or 令) 20 mm down, the 令号 (the 发文字号 field)
    two lines under it, centred; the body two lines under the 令号; no red line (the section
    names none)."""
    end = head.left_lines(0.0)
    # Under 份号, 密级 and 紧急程度 when they reach lower (three lines take 30.6 mm).
    bottom = head.masthead(max(ORDER_TOP_MM * MM, end))
    if not head.number:
        return bottom
    ntop = bottom + 2 * head.ts.pitch
    head.line(head.number, "body", ntop, "centre")
    return ntop + head.ts.body


def _file(head: _Head) -> float:
    """§7.2: 份号… from the first line; the masthead 35 mm down; the 发文字号 two lines under it,
    centred, or (上行文, with a 签发人) 左空一字 with the 签发人 右空一字 on its line; the red
    line 4 mm under the 发文字号."""
    ts, number, signer = head.ts, head.number, head.signer
    head.left_lines(0.0)
    bottom = head.masthead(MASTHEAD_TOP_MM * MM)
    ntop = bottom + 2 * ts.pitch
    if signer:
        if number:
            head.line(number, "body", ntop, "left", ts.cell)
        para = ts.simple(signer[: signer.index("：") + 1], "body", ts.body)
        ts.add(para, signer[signer.index("：") + 1 :], KAI_ROLE, ts.body)
        head.placed.append(
            _Placed(ntop, para, ts.width - ts.cell - ts.natural_width(para), ts.body)
        )
    elif number:
        head.line(number, "body", ntop, "centre")
    rule = (ntop + ts.body if number or signer else bottom) + RULE_GAP_MM * MM
    head.strokes.append(Stroke(0.0, ts.width, rule, RED_RULE_PT, RED))
    return rule


def _emit(ts: Typesetter, placed: list[_Placed], strokes: list[Stroke], total: float) -> None:
    """Rows for the placed lines in reading order, moved to their tops by spacer rows (which
    may be negative), kept together; ``total``: the 版头's height, a whole number of rows."""
    rows = ts.rows
    rows.append(Row(0.0, keep=True, sink=True, strokes=tuple(strokes)))
    at = 0.0
    for p in placed:
        if p.top != at:
            rows.append(Row(p.top - at, keep=True, sink=True))
            at = p.top
        # One line, however long (an unbreakable measure): the 版头's elements do not wrap.
        for line, x in ts.break_para(p.para, _UNBROKEN, p.x, p.x, "left"):
            rows.append(Row(0.0, p.para, line, x, p.size, keep=True))
    rows.append(Row(total - at, keep=True, sink=True))
