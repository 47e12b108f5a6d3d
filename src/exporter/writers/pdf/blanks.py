"""Blank glyphs added to a font subset, so no text-showing operator selects .notdef.

Ignorable characters (joiners, variation selectors) and characters no font covers keep a CID
of their own for the text layer; ISO 19005-2 §6.2.11.8 forbids drawing them with .notdef and
§6.2.11.5 wants /W to match the glyph's advance, so they get blank glyphs of their width.
A blank with an advance holds one square of a font unit at its origin: PDFium (Chromium's
viewer) reads a glyph without any outline as a space, not as its character; the glyph is
only ever shown invisibly (3 Tr).
"""

from __future__ import annotations

import io
from typing import Any


def add_blanks(data: bytes, advances: tuple[int, ...]) -> tuple[bytes, list[int]]:
    """``data`` (a TrueType subset) with one empty glyph per advance (font units) appended;
    returns the new font and the glyph ids, in the order of ``advances``."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    # recalcTimestamp off: fontTools would stamp head.modified with the time of saving, and the
    # same document written a second later would differ.
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    order = list(font.getGlyphOrder())
    gids = []
    for i, advance in enumerate(advances):
        name = f"exporter.blank{i}"
        order.append(name)
        font["glyf"].glyphs[name] = _speck() if advance else Glyph()
        font["hmtx"].metrics[name] = (advance, 0)
        gids.append(len(order) - 1)
    font.setGlyphOrder(order)
    font["glyf"].glyphOrder = order
    font["maxp"].numGlyphs = len(order)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), gids


def _speck() -> Any:
    """A glyph of one square font unit at the origin (see the module's docstring)."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 1))
    pen.lineTo((1, 1))
    pen.lineTo((1, 0))
    pen.closePath()
    return pen.glyph()
