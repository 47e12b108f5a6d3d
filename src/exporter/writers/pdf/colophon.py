"""The 公文 版记 on the PDF page: 抄送, 印发机关 and 印发日期 between rules at the foot of an even last page (GB/T 9704-2012 §7.4, §7.5)."""

from __future__ import annotations

from exporter.model.framing import Framed
from exporter.model.official import CC_LABEL, PRINTED_GAP, PRINTED_SUFFIX
from exporter.options import MM
from exporter.typesetting.linebreak import Line
from exporter.writers.pdf.layout import Para, Row, Typesetter
from exporter.writers.pdf.strokes import Stroke

#: §7.4.1: the first and last rules 0.35 mm, those between 0.25 mm.
THICK_MM, THIN_MM = 0.35, 0.25
#: §7.4.2, §7.4.3: 抄送 and 印发 in 4号 (14 pt) 仿宋.
SIZE_PT = 14.0
_UNBROKEN = 1e6


def colophon_rows(ts: Typesetter, framed: Framed, kind: str) -> list[Row]:
    """The 版记's rows, one line of the grid each with its text centred in it; the rules drawn
    from the first row: above the first element, between the elements, the last on the last
    line's bottom (which the caller puts on the type area's bottom edge). The 信函格式 (§10.1)
    has no 印发 line and no rules: its 印发 text, if any, is kept invisibly in the text layer."""
    cc = next((t for k, t in framed.tail if k == "cc"), "")
    printed = next((t for k, t in framed.tail if k == "printed"), "")
    if not cc and not printed:
        return []
    pitch, width, cell = ts.pitch, ts.width, ts.cell
    letter = kind == "letter"
    lines: list[tuple[Para, Line, float]] = []
    breaks: list[int] = []  # rules between elements: the number of lines above each
    if cc:
        para = ts.simple(cc, "body", SIZE_PT)
        label = ts.natural_width(ts.simple(CC_LABEL, "body", SIZE_PT))
        # 左右各空一字; wrapped lines start under the first body's name, after the colon.
        placed = ts.break_para(para, width - cell, cell, cell + label, "justify")
        lines += [(para, ln, x) for ln, x in placed]
    if printed:
        if lines:
            breaks.append(len(lines))
        para, x = _printed_para(ts, printed, not printed.endswith(PRINTED_SUFFIX))
        para.hidden = letter
        lines += [(para, ln, x) for ln, x in ts.break_para(para, _UNBROKEN, x, x, "left")]
    strokes: list[Stroke] = []
    total = pitch * len(lines)
    if not letter:
        thick, thin = THICK_MM * MM, THIN_MM * MM
        # The outer rules lie inside the block: their outer edges on its edges.
        strokes.append(Stroke(0.0, width, thick / 2, thick))
        strokes += [Stroke(0.0, width, n * pitch, thin) for n in breaks]
        strokes.append(Stroke(0.0, width, total - thick / 2, thick))
    pad = (pitch - SIZE_PT) / 2
    rows = [Row(pad, keep=True, sink=True, strokes=tuple(strokes))]
    for i, (para, line, x) in enumerate(lines):
        height = pitch if i < len(lines) - 1 else pitch - pad
        rows.append(Row(height, para, line, x, SIZE_PT, keep=True))
    return rows


def _printed_para(ts: Typesetter, text: str, by: bool) -> tuple[Para, float]:
    """印发机关 左空一字 and 印发日期 右空一字 on one line (§7.4.3), the space between them
    widened to fill it, and the line's x; a date alone stands at the right."""
    width, cell = ts.width, ts.cell
    para = ts.simple(text, "body", SIZE_PT)
    w = ts.natural_width(para)
    gap = text.find(PRINTED_GAP)
    if gap >= 0:
        para.gaps[gap] = width - 2 * cell - w - 0.01
        return para, cell
    return para, (cell if by else width - cell - w)


def place_colophon(
    ts: Typesetter, rows: list[Row], pages: list[list[Row]]
) -> tuple[list[list[Row]], frozenset[int]]:
    """Pages with the 版记 at the foot of an even last page (§7.4, §7.5): on the body's last
    page when it is even and has room, else on the next even page, a blank page before it
    when needed; pages added for it carry no page number (the numbers of those pages)."""
    if not rows:
        return pages, frozenset()
    need = sum(r.height for r in rows)
    used = sum(r.height for r in pages[-1]) if pages else 0.0
    n = len(pages)
    if fits_last_page(ts, rows, pages):
        pages[-1] = [*pages[-1], Row(ts.height - used - need, sink=True), *rows]
        return pages, frozenset()
    added: list[list[Row]] = [[]] if n % 2 == 0 else []
    added.append([Row(ts.height - need, sink=True), *rows])
    return [*pages, *added], frozenset(range(n + 1, n + 1 + len(added)))


def fits_last_page(
    ts: Typesetter, rows: list[Row], pages: list[list[Row]], slack: float = 0
) -> bool:
    """Whether the 版记 ``rows`` stand on the body's last page: it is even and has room for
    them and ``slack`` more lines (GB/T 9704-2012 §7.4.1: the 版记 on an even last page)."""
    need = sum(r.height for r in rows) + slack * ts.pitch
    used = sum(r.height for r in pages[-1]) if pages else 0.0
    return len(pages) % 2 == 0 and used + need <= ts.height + 1e-3
