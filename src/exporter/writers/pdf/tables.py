"""PDF tables: column widths from the cells' content, each cell a small paragraph, rows as bands."""

from __future__ import annotations

import math

from exporter.model import Inlines, Table
from exporter.typesetting.linebreak import Line
from exporter.typesetting.styles import Align
from exporter.writers.pdf.layout import Band, Para, Row, Typesetter, para_size

#: A cell's text stands this many characters in from each of its rules.
_PAD = 0.5
#: Han text may break after any character, so a column's narrowest is one character; a short
#: cell (a label, a number) up to this many characters is kept on one line when the table can.
_SHORT = 6
#: A table up to this part of the type area's height is kept whole on one page.
_KEEP_WHOLE = 1 / 3
_ALIGN: dict[str, Align] = {"left": "left", "center": "centre", "right": "right"}


def content_widths(ts: Typesetter, para: Para) -> tuple[float, float]:
    """The narrowest a cell can be (its widest unbreakable unit) and its unbroken width."""
    if not para.text:
        return 0.0, 0.0
    prep = ts.prepare(para)
    widest = 0.0
    start = 0
    n = len(para.text)
    for i in range(1, n + 1):
        if i == n or not prep.no_break[i]:
            end = i
            while end > start and para.text[end - 1].isspace():
                end -= 1
            widest = max(widest, prep.cum[end] - prep.cum[start] - prep.gaps.get(end - 1, 0.0))
            start = i
    return widest, ts.natural_width(para)


def column_widths(mins: list[float], maxs: list[float], avail: float) -> list[float]:
    """Text widths of the columns filling ``avail``: every column its unbroken content and the
    rest shared in proportion when all fit; else each column its narrowest plus a share of the
    room left in proportion to what it lacks (the automatic table layout of CSS 2.1 §17.5.2.2);
    else the narrowest widths scaled down (cells then break inside words)."""
    n = len(mins)
    smin, smax = sum(mins), sum(maxs)
    if smax <= avail:
        if smax <= 0:
            return [avail / n] * n
        return [m + (avail - smax) * m / smax for m in maxs]
    if smin <= avail:
        k = (avail - smin) / (smax - smin)
        return [lo + (hi - lo) * k for lo, hi in zip(mins, maxs, strict=True)]
    return [lo * avail / smin for lo in mins]


def set_table(ts: Typesetter, table: Table) -> None:
    """Append a table's rows as bands: header rows in Hei, kept with the first body row and
    repeated at the head of every page the table continues on."""
    grid: list[tuple[bool, tuple[Inlines, ...]]] = [(True, r) for r in table.header]
    grid += [(False, r) for r in table.body]
    ncols = max((len(r) for _, r in grid), default=0)
    if not ncols:
        return
    ts.tables += 1
    body, head = ts.style("table"), ts.style("table_header")
    paras: list[list[Para]] = []
    for header, row in grid:
        st = head if header else body
        size = st.size_pt(ts.p)
        paras.append(
            [ts.simple(row[k] if k < len(row) else (), st.role, size) for k in range(ncols)]
        )
    pad = _PAD * ts.cell
    mins, maxs = [0.0] * ncols, [0.0] * ncols
    for cells in paras:
        for k, para in enumerate(cells):
            lo, hi = content_widths(ts, para)
            lo = max(lo, min(hi, _SHORT * ts.cell))
            mins[k], maxs[k] = max(mins[k], lo), max(maxs[k], hi)
    width = ts.width - ts.shift
    widths = column_widths(mins, maxs, width - 2 * pad * ncols)
    edges = [ts.shift]
    for w in widths:
        edges.append(edges[-1] + w + 2 * pad)
    heads: list[Row] = []
    first = len(ts.rows)
    for (header, _), cells in zip(grid, paras, strict=True):
        size = max((para_size(p, ts.body) for p in cells if p.runs), default=ts.body)
        lh = ts.row_height(size)
        placed: list[tuple[Para, list[tuple[Line, float]]]] = []
        for k, para in enumerate(cells):
            align = _ALIGN.get(table.align[k] if k < len(table.align) else "")
            if align is None:
                align = "centre" if header else "justify"
            left = edges[k] + pad
            lines = ts.break_para(para, left + widths[k], left, left, align) if para.text else []
            placed.append((para, lines))
        # A row taller than a page (less its repeated header) is cut between lines.
        room = ts.height - (0.0 if header else sum(h.height for h in heads))
        per = max(1, math.floor(room / lh + 1e-6))
        depth = max((len(lines) for _, lines in placed), default=0) or 1
        for top in range(0, depth, per):
            part = [(p, lines[top : top + per]) for p, lines in placed]
            n = min(per, depth - top)
            # Every line of a band is a whole line of the pitch: on the grid, rows stay on it.
            band = Band(ts.tables, edges, lh, size, part, header)
            out = Row(n * lh, band=band, keep=header, repeat=() if header else tuple(heads))
            ts.rows.append(out)
            if header:
                heads.append(out)
    bands = ts.rows[first:]
    if sum(r.height for r in bands) <= ts.height * _KEEP_WHOLE:
        for r in bands[:-1]:
            r.keep = True  # a short table is not broken across pages
    if body.after:
        ts.blank(body.after)
