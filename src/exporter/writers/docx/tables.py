"""DOCX tables: column widths from content, and the w:tbl, w:tr and w:tc around cell paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

#: Left and right cell margins, twips (the TableNormal style's w:tblCellMar).
CELL_MARGIN = 108
#: Word's w:jc for a column's alignment (ECMA-376 Part 1 §17.18.44); "" leaves the style's.
JC = {"left": "left", "center": "center", "right": "right"}


def column_widths(natural: Sequence[int], total: int, floor: int) -> list[int]:
    """Column widths (twips) summing to ``total``: proportional to each column's natural width
    (its longest cell on one line); when they do not fit, each column keeps up to ``floor`` and
    the rest is shared in proportion to what each needs beyond it."""
    n = len(natural)
    if n == 0:
        return []
    need = [max(w, 1) for w in natural]
    if sum(need) <= total:
        shares = [float(w) for w in need]
        base = [0.0] * n
        room = float(total)
    else:
        base = [float(min(w, floor, total // n)) for w in need]
        shares = [w - b for w, b in zip(need, base, strict=True)]
        room = total - sum(base)
    whole = sum(shares) or 1.0
    widths = [int(b + room * s / whole) for b, s in zip(base, shares, strict=True)]
    widths[-1] += total - sum(widths)  # rounding: the last column takes the remainder
    return widths


def cell(width: int, paragraphs: str) -> str:
    """A cell (§17.4.66 tc) of a fixed width; it always holds a paragraph (§17.4.65)."""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paragraphs}</w:tc>'


def row(cells: Sequence[str], header: bool) -> str:
    """A row (§17.4.79 tr); a header row repeats at the top of each page (§17.4.49 tblHeader)
    and is not split across pages (§17.4.6 cantSplit)."""
    props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def table(widths: Sequence[int], rows: Sequence[str], header: bool) -> str:
    """A table (§17.4.38 tbl) in the TableGrid style, fixed layout (§17.4.53) on its grid
    (§17.4.48 tblGrid), so that every reader keeps the widths computed here."""
    # tblLook (§17.4.56): the style's first-row look on a header row, no banding.
    look = "2" if header else "0"
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="06{look}0" w:firstRow="{int(header)}" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
