"""PDF fonts: each face embedded once per document as a Type0 / Identity-H font (harfbuzz subset)."""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache
from typing import Any

from exporter.errors import FontError
from exporter.fonts import Face, is_ignorable
from exporter.fonts.subset import subset
from exporter.writers._zip import LEVEL


class Metrics:
    """Advances of one face in thousandths of an em (PDF glyph space), from its own hmtx."""

    __slots__ = ("_cache", "_font", "_scale")

    def __init__(self, face: Face) -> None:
        import uharfbuzz as hb

        self._font = hb.Font(face.hb_face)  # reads hmtx lazily: milliseconds
        self._scale = 1000 / face.hb_face.upem
        self._cache: dict[str, float | None] = {}

    def advance(self, ch: str) -> float | None:
        """The advance of ``ch`` (rounded as /W writes it), None when the face has no glyph."""
        try:
            return self._cache[ch]
        except KeyError:
            pass
        gid = self._font.get_nominal_glyph(ord(ch))
        adv = None if not gid else round(self._font.get_glyph_h_advance(gid) * self._scale, 2)
        self._cache[ch] = adv
        return adv


@lru_cache(maxsize=32)
def metrics(face: Face) -> Metrics:
    return Metrics(face)


def _num(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# Tables a PDF renderer never reads from an embedded TrueType font (PDF 32000-1 §9.9): dropping
# the layout tables also keeps harfbuzz from adding substitution glyphs nobody draws.
_DROP = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea", "vmtx", "VORG", "DSIG", "meta",
         "STAT", "morx", "kern", "hdmx", "LTSH", "VDMX", "gasp")  # fmt: skip


class _Flate:
    """A FlateDecode stream filter for reportlab at the zip packages' deflate level (3).
    reportlab's own uses level 6: on the font file, by far the largest stream (a sample's body
    subset is ~180 KB), level 6 took 8.9 ms and made it 3 % smaller than level 3's 6.0 ms."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return zlib.compress(data, LEVEL)

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


_FLATE = _Flate()


class Embedded:
    """One face as a Type0 font of one document: characters are collected first (:meth:`use`),
    then :meth:`finish` subsets the face and fixes each character's CID (2 bytes, hex).

    CIDs are the subset's glyph ids; a character that shares its glyph with an earlier one (a CJK
    compatibility ideograph drawn like its unified twin), an ignorable one without a glyph, or one
    no face covers gets an extra CID past the last glyph, so that ToUnicode gives every character
    back exactly. Extra CIDs need an explicit CIDToGIDMap.
    """

    def __init__(self, face: Face, resource: str) -> None:
        self.face = face
        self.resource = resource  # /F1 ...
        self.chars: set[str] = set()
        self.codes: dict[str, str] = {}
        self._cid_gid: list[int] = []
        self._cid_char: list[str] = []
        self._widths: list[float] = []
        self._data = b""
        self._upem = 1000
        self._extents: tuple[float, float] = (880.0, -120.0)
        self._bbox: tuple[int, int, int, int] = (0, -120, 1000, 880)

    def use(self, text: str) -> None:
        self.chars.update(text)

    def finish(self) -> None:
        """Subset the face to the characters used and give each character its CID."""
        import uharfbuzz as hb

        cps = {ord(c) for c in self.chars if self.face.has(c)}
        if self.face.has(" "):
            cps.add(0x20)  # every subset keeps its space glyph
        self._data = subset(self.face, cps, _DROP)
        sub = hb.Face(hb.Blob(self._data))
        font = hb.Font(sub)
        self._upem = sub.upem
        self._read_extents(sub, font)
        self._assign_cids(font, cps, sub.glyph_count, 1000 / sub.upem)

    def _read_extents(self, sub: Any, font: Any) -> None:
        """Ascent, descent and bounding box of the subset, in thousandths of an em."""
        scale = 1000 / sub.upem
        # Ascent/Descent from OS/2's typo metrics, which CJK faces set to the ideographic em box
        # (880/-120): extractors such as pdfminer build each character's box from Descent, and
        # the em box is what the layout (and the gongwen grid) is built on. hhea is the fallback.
        os2 = sub.reference_table("OS/2").data
        if len(os2) >= 72:
            asc, desc = struct.unpack(">2h", os2[68:72])
            self._extents = (asc * scale, desc * scale)
        else:
            ext = font.get_font_extents("ltr")
            self._extents = (ext.ascender * scale, ext.descender * scale)
        head = sub.reference_table("head").data
        if len(head) >= 44:
            x0, y0, x1, y1 = struct.unpack(">4h", head[36:44])
            self._bbox = (
                round(x0 * scale),
                round(y0 * scale),
                round(x1 * scale),
                round(y1 * scale),
            )

    def _assign_cids(self, font: Any, cps: set[int], n: int, scale: float) -> None:
        """A character's CID is its glyph id; shared, ignorable or missing glyphs get CIDs past
        the last glyph (``n``), mapped to their glyph by the CIDToGIDMap."""
        gid_char: list[str] = [""] * n
        widths = [round(font.get_glyph_h_advance(g) * scale, 2) for g in range(n)]
        extra_gid: list[int] = []
        extra_char: list[str] = []
        extra_w: list[float] = []
        codes = self.codes
        for ch in sorted(self.chars):
            gid: int | None = font.get_nominal_glyph(ord(ch)) if ord(ch) in cps else None
            if gid and not gid_char[gid]:
                gid_char[gid] = ch
                codes[ch] = f"{gid:04x}"
                continue
            cid = n + len(extra_gid)
            if cid > 0xFFFF:
                raise FontError(f"too many distinct characters for one PDF font ({self.face.file})")
            codes[ch] = f"{cid:04x}"
            extra_char.append(ch)
            if gid:
                extra_gid.append(gid)
                extra_w.append(widths[gid])
            elif is_ignorable(ch):
                extra_gid.append(-1)  # an empty glyph of no width, added below
                extra_w.append(0.0)
            else:  # drawn invisibly (3 Tr) under a box: an empty glyph one em wide
                extra_gid.append(-2)
                extra_w.append(1000.0)
        if any(g < 0 for g in extra_gid):
            from exporter.writers.pdf.blanks import add_blanks

            upem = round(1000 / scale)
            self._data, (zero, em) = add_blanks(self._data, (0, upem))
            extra_gid = [zero if g == -1 else em if g == -2 else g for g in extra_gid]
        self._cid_gid = extra_gid
        self._cid_char = gid_char + extra_char
        self._widths = widths + extra_w

    def code(self, ch: str) -> str:
        return self.codes[ch]

    # -- PDF objects -----------------------------------------------------------------------

    def base_font(self) -> str:
        """/BaseFont: a subset tag (PDF 32000-1 §9.6.4) derived from the subset's bytes, so
        deterministic, then the face's PostScript name."""
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha1(self._data).digest()[:6])
        ps_name = str(self.face.hb_face.get_name(6) or "Font")
        return tag + "+" + "".join(c for c in ps_name if (c.isascii() and c.isalnum()) or c in "-_")

    def add_to(self, doc: Any) -> Any:
        """Add the font's objects to a reportlab PDFDocument; returns the Type0 font object."""
        from reportlab.pdfbase import pdfdoc

        z = [pdfdoc.PDFZCompress] if doc.compression else None
        name = "/" + self.base_font()
        descriptor = self._descriptor(doc, name, [_FLATE] if doc.compression else None)
        cid = self._cid_font(doc, name, descriptor, z)
        to_unicode = pdfdoc.PDFStream(content=self._to_unicode(), filters=z)
        return pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": name,
                "Encoding": "/Identity-H",
                "DescendantFonts": pdfdoc.PDFArray(
                    [doc.Reference(cid, f"exp:cid:{self.resource}")]
                ),
                "ToUnicode": doc.Reference(to_unicode, f"exp:tu:{self.resource}"),
            }
        )

    def _descriptor(self, doc: Any, name: str, z: Any) -> Any:
        """The FontDescriptor with the embedded subset (FontFile2)."""
        from reportlab.pdfbase import pdfdoc

        font_file = pdfdoc.PDFStream(content=self._data, filters=z)
        font_file.dictionary["Length1"] = len(self._data)
        return pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "FontName": name,
                "Flags": 4,  # symbolic: glyphs are addressed by id, not a standard encoding
                "FontBBox": pdfdoc.PDFArray(list(self._bbox)),
                "ItalicAngle": 0,
                "Ascent": round(self._extents[0]),
                "Descent": round(self._extents[1]),
                "CapHeight": round(self._extents[0]),
                "StemV": 80,
                "FontFile2": doc.Reference(font_file, f"exp:file:{self.resource}"),
            }
        )

    def _cid_font(self, doc: Any, name: str, descriptor: Any, z: Any) -> Any:
        """The CIDFontType2 descendant: widths, and the CIDToGIDMap when extra CIDs exist."""
        from reportlab.pdfbase import pdfdoc

        cid = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType2",
                "BaseFont": name,
                "CIDSystemInfo": b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>",
                "FontDescriptor": doc.Reference(descriptor, f"exp:desc:{self.resource}"),
                "DW": 1000,
                "W": self._w_array(),
            }
        )
        if self._cid_gid:
            n = len(self._cid_char) - len(self._cid_gid)
            gids = list(range(n)) + self._cid_gid
            cmap = pdfdoc.PDFStream(content=struct.pack(f">{len(gids)}H", *gids), filters=z)
            cid["CIDToGIDMap"] = doc.Reference(cmap, f"exp:c2g:{self.resource}")
        else:
            cid["CIDToGIDMap"] = "/Identity"
        return cid

    def _w_array(self) -> bytes:
        # Runs of equal widths as "first last w", the rest as "first [w w ...]".
        out: list[str] = []
        w = self._widths
        n = len(w)
        i = 0
        while i < n:
            j = i
            while j + 1 < n and w[j + 1] == w[i]:
                j += 1
            if j - i >= 3:
                if w[i] != 1000.0:
                    out.append(f"{i} {j} {_num(w[i])}")
                i = j + 1
                continue
            k = i
            items = []
            while k < n and not (k + 3 < n and w[k] == w[k + 1] == w[k + 2] == w[k + 3]):
                items.append(_num(w[k]))
                k += 1
            out.append(f"{i} [{' '.join(items)}]")
            i = k
        return ("[" + " ".join(out) + "]").encode("ascii")

    def _to_unicode(self) -> bytes:
        """ToUnicode CMap (PDF 32000-1 §9.10.3): UTF-16BE, surrogate pairs above U+FFFF."""
        pairs = [
            f"<{cid:04x}> <{ch.encode('utf-16-be').hex()}>"
            for cid, ch in enumerate(self._cid_char)
            if ch
        ]
        body = []
        for k in range(0, len(pairs), 100):  # at most 100 entries per block
            chunk = pairs[k : k + 100]
            body.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
        head = (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        )
        tail = "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return (head + "\n".join(body) + tail).encode("ascii")
