"""A book's contents in PDF: each entry gets the page its chapter starts on and a link to it.

Page numbers are known only once the pages are made. The entries are set once, with a column
at the right reserved for the numbers (``NUMBER_CELLS`` characters, whatever the numbers turn
out to be), so that setting the numbers changes no line and no page: the layout is one pass,
deterministic. After pagination each entry is matched to its chapter heading (by text, in
order) and the renderer draws dot leaders (clreq: 目录 uses leaders or a right-aligned page
column) and the number right-aligned in that column, both marked as artifacts (ISO 32000-1
§14.8.2.2), and a link annotation over the entry (§12.5.6.5).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from exporter.model import DIVISION_KINDS, Inlines, text_of
from exporter.record import record

if TYPE_CHECKING:
    from exporter.writers.pdf.layout import Para, Row, Typesetter

_ORDINAL = re.compile(rf"第[^{DIVISION_KINDS}]{{1,8}}[{DIVISION_KINDS}]")
#: The number column: room for four digits and the space before them.
NUMBER_CELLS = 3.0
#: Dot leaders: one dot every half em, each this part of an em across.
_DOT_STEP = 0.5
_DOT_SIZE = 0.09


def key(text: str) -> str:
    """What an entry and a heading are matched by: their text without whitespace."""
    return "".join(c for c in text if not c.isspace())


def set_contents(ts: Typesetter, lines: tuple[Inlines, ...]) -> None:
    """Contents lines as :meth:`Typesetter.lines` sets them, with the number column kept free;
    each entry's last row carries the entry's key."""
    st = ts.style("contents")
    for line in lines:
        para = ts.simple(line, st.role, st.size_pt(ts.p))
        if not para.text:
            ts.blank()
            continue
        rows = ts.set_para(
            para,
            first=(st.left + st.indent) * ts.cell,
            rest=st.left * ts.cell,
            right=(st.right + NUMBER_CELLS) * ts.cell,
            align=st.align,
            keep=st.keep,
        )
        if rows:
            rows[-1].entry = key(text_of(line))


@record
class Target:
    """Where an entry points: the page (1-based) and the destination of its heading."""

    page: int
    dest: str


def targets(pages: list[list[Row]]) -> dict[int, Target]:
    """For each contents row (by id), its chapter heading's page and destination.

    Headings are the rows with a bookmark, their destinations ``h0``, ``h1``… in page order (as
    the renderer names them); an entry takes the first heading after the previous entry's whose
    text is the entry's, or begins it, or is begun by it.
    """
    heads: list[tuple[str, Target]] = []
    entries: list[Row] = []
    for number, rows in enumerate(pages, start=1):
        for row in rows:
            if row.bookmark:
                heads.append((key(row.bookmark[0]), Target(number, f"h{len(heads)}")))
            if row.entry:
                entries.append(row)
    out: dict[int, Target] = {}
    start = 0
    for row in entries:
        for k in range(start, len(heads)):
            head = heads[k][0]
            if _same(head, row.entry):
                out[id(row)] = heads[k][1]
                start = k + 1
                break
    return out


def _same(head: str, entry: str) -> bool:
    """An entry names a heading: the same text, one beginning the other, or (a contents list
    and its chapter spelt apart: 痴犬, 痸犬) the same ordinal (第十一回)."""
    if not head:
        return False
    if head == entry or entry.startswith(head) or head.startswith(entry):
        return True
    m = _ORDINAL.match(entry)
    return m is not None and head.startswith(m.group(0))


def number_para(ts: Typesetter, page: int, size: float) -> Para:
    """The page number of an entry, in the contents' face and size."""
    from exporter.writers.pdf.layout import Para

    para = Para()
    ts.add(para, str(page), ts.style("contents").role, size)
    return para


def leader_dots(x0: float, x1: float, y: float, size: float) -> str:
    """Dot leaders from ``x0`` to ``x1`` on the baseline ``y``, as small filled squares."""
    step, dot = _DOT_STEP * size, _DOT_SIZE * size
    first = x0 + step / 2
    n = int((x1 - first) / step)
    if n <= 0:
        return ""
    rects = " ".join(f"{first + i * step:.2f} {y:.2f} {dot:.2f} {dot:.2f} re" for i in range(n))
    return f"q 0 g {rects} f Q"


class EntryNumbers:
    """The numbers, leaders and links of a document's contents entries, for the renderer."""

    def __init__(self, ts: Typesetter, pages: list[list[Row]]) -> None:
        self.ts = ts
        self.targets = targets(pages)
        rows = {id(r): r for page in pages for r in page if id(r) in self.targets}
        self.numbers = {
            rid: number_para(ts, t.page, rows[rid].size or ts.body)
            for rid, t in self.targets.items()
        }

    def draw(
        self, renderer: _Renderer, code: list[str], row: Row, left: float, baseline: float
    ) -> None:
        """After an entry's last line: leaders, its number at the right margin, a link."""
        target = self.targets.get(id(row))
        if target is None or row.line is None:
            return
        from exporter.typesetting.linebreak import Line

        para = self.numbers[id(row)]
        width = sum(para.widths)
        right = left + self.ts.width
        size = row.size or self.ts.body
        end = left + row.x + row.line.width
        code.append("/Artifact BMC")
        code.append(leader_dots(end + size / 4, right - width - size / 4, baseline, size))
        renderer.line(code, para, Line(0, len(para.text), width), right - width, baseline)
        code.append("EMC")
        rect = (left + row.x, baseline - 0.12 * size, right, baseline + 0.88 * size)
        renderer.c.linkRect("", target.dest, rect, relative=0, thickness=0)


if TYPE_CHECKING:
    from exporter.writers.pdf.writer import _Renderer
