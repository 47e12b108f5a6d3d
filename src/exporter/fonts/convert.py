"""CFF to TrueType outline conversion (user ``.otf`` subsets, and fonts/build.py)."""

from __future__ import annotations

import io
from typing import Any

from exporter.errors import FontError


def cff_data_to_truetype(data: bytes, name: str) -> bytes:
    """A CFF-outline font file (bytes) with its outlines converted to TrueType; FontError if not.

    ``name`` says which font it came from in the error message.
    """
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(data), recalcTimestamp=False)
        cff_to_glyf(tt)
        buf = io.BytesIO()
        tt.save(buf)
    except FontError:
        raise
    except Exception as exc:
        raise FontError(
            f"cannot convert the CFF outlines of {name} to TrueType ({exc}): "
            "convert it yourself (e.g. fontTools otf2ttf) or pass a .ttf font"
        ) from exc
    return buf.getvalue()


def cff_to_glyf(tt: Any, max_err: float = 1.0) -> None:
    """Convert a loaded CFF-outline fontTools TTFont to TrueType (glyf) outlines in place.

    Cubic curves become quadratic ones with cu2qu (error at most ``max_err`` font units); contour
    direction is reversed (CFF counter-clockwise, TrueType clockwise); ``post`` becomes format 3
    (no glyph names: format 2 cannot name 65,535 glyphs, and nothing here needs the names).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    cff_tag = "CFF " if "CFF " in tt else "CFF2"
    if cff_tag not in tt:
        raise FontError("no CFF outlines to convert")
    order = tt.getGlyphOrder()
    glyph_set = tt.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    tt["loca"] = newTable("loca")
    glyf = tt["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in (cff_tag, "VORG", "HVAR", "VVAR"):
        if tag in tt:
            del tt[tag]
    glyf.compile(tt)
    hmtx = tt["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = tt["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.compile(tt)
    post = tt["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    tt["head"].glyphDataFormat = 0
    tt.sfntVersion = "\x00\x01\x00\x00"
