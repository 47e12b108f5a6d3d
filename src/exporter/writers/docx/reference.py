"""``--reference-docx``: the body in a house template's styles, page setup, headers, footers and theme (python-docx).

As pandoc's ``--reference-doc``: the template's package is opened with python-docx; its body is
replaced by exporter's (the body XML fragments the writer builds), its section properties
(page size, margins, header and footer references, grid) stay, and the body's styles are the
template's of the same name (Title, heading 1-4, Normal, ...). Styles the template lacks are
added from exporter's own. Footnotes, pictures, hyperlinks, embedded fonts and the document
properties are exporter's; the zip is written again with fixed times (byte-identical output).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from exporter.errors import WriterError
from exporter.writers.docx.parts import W_NS

_W = f"{{{W_NS}}}"
_NS = {"w": W_NS}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_STYLE_REF = re.compile(r'(<w:(?:pStyle|rStyle|tblStyle) w:val=")([^"]*)(")')
# The CFB (OLE2) signature: an encrypted OOXML file (ECMA-376 Part 2 does not apply; MS-OFFCRYPTO
# §2.3.4 wraps it in a compound file) or a Word 97-2003 .doc.
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Theme script tags (ECMA-376 Part 1 §20.1.4.1.16, a:font script) by East Asian language.
_SCRIPTS = {"zh-CN": "Hans", "zh-SG": "Hans", "zh-TW": "Hant", "zh-HK": "Hant", "zh-MO": "Hant",
            "zh": "Hans", "ja": "Jpan", "ko": "Hang"}  # fmt: skip
#: exporter's paragraph styles by font role: a template family named by the role's style is
#: drawn with the role's face.
ROLE_STYLES = {
    "body": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "heading1": "Heading1",
    "heading2": "Heading2",
    "heading3": "Heading3",
    "heading4": "Heading4",
}


def _fail(path: str, why: str) -> WriterError:
    return WriterError(f"reference DOCX {path}: {why}")


@lru_cache(maxsize=8)
def _load(path: str, _size: int, _mtime: int) -> bytes:
    """The reference's bytes, checked once per file version (size and time are the cache key)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read it ({exc.strerror})") from None
    if data[:8] == _CFB:
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _fail(path, "it is encrypted (password-protected); save an unprotected copy")
        raise _fail(path, "it is a Word 97-2003 .doc, not a .docx; save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _fail(path, "not a DOCX (not a zip package)") from None
    if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _fail(path, "it holds macros (.docm); save it as a macro-free .docx")
    if b"wordprocessingml.document.main+xml" not in types:
        raise _fail(path, "not a DOCX (no Word document part)")
    return data


def reference_bytes(path: str) -> bytes:
    """The checked bytes of the reference at ``path``; WriterError with one line when it is not
    a DOCX, is encrypted or holds macros."""
    try:
        st = Path(path).stat()
    except OSError as exc:
        raise _fail(path, f"cannot read it ({exc.strerror})") from None
    return _load(path, st.st_size, st.st_mtime_ns)


class Reference:
    """An opened template (a fresh python-docx Document for every output)."""

    def __init__(self, path: str) -> None:
        import docx

        self.path = path
        try:
            self.document: Any = docx.Document(io.BytesIO(reference_bytes(path)))
            self.styles: Any = self.document.styles.element
        except WriterError:
            raise
        except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors ...
            raise _fail(path, f"not a readable DOCX ({type(exc).__name__})") from None
        self.style_map: dict[str, str] = {}
        self._faces: dict[tuple[tuple[str | None, ...], str], tuple[str, bool]] = {}
        self._by_id: dict[str, Any] = {}
        self.by_name: dict[tuple[str, str], str] = {}
        self.ids: set[str] = set()
        for style in self.styles.iterfind("w:style", _NS):
            sid = style.get(f"{_W}styleId") or ""
            self.ids.add(sid)
            name = style.find("w:name", _NS)
            if name is not None:
                key = (style.get(f"{_W}type") or "", (name.get(f"{_W}val") or "").lower())
                self.by_name.setdefault(key, sid)

    def east_asian_face(self, style_id: str, lang: str) -> tuple[str, bool]:
        """The w:eastAsia font a style (by exporter's id) sets in the template, through basedOn
        and the document defaults, a theme font resolved through the theme's East Asian (or
        Hans/Hant script) typeface; and whether the style is bold. ("", False) when unknown."""
        return self.face_of([self.style_map.get(style_id, style_id)], lang)

    def face_of(self, style_ids: Sequence[str | None], lang: str) -> tuple[str, bool]:
        """The East Asian font and weight of text in these styles (the first one that says wins:
        a run's character style, then its paragraph's style), through basedOn and the defaults."""
        key = (tuple(style_ids), lang)
        if key in self._faces:
            return self._faces[key]
        by_id = self._by_id
        chain = []
        for sid in style_ids:
            seen: set[str] = set()
            while sid and sid not in seen and sid in by_id:
                seen.add(sid)
                chain.append(by_id[sid].find("w:rPr", _NS))
                based = by_id[sid].find("w:basedOn", _NS)
                sid = based.get(f"{_W}val") if based is not None else None
        chain.append(self.styles.find("w:docDefaults/w:rPrDefault/w:rPr", _NS))
        face = self._resolve(chain, lang)
        self._faces[key] = face
        return face

    def _resolve(self, chain: list[Any], lang: str) -> tuple[str, bool]:
        name = bold = None
        for rpr in chain:
            if rpr is None:
                continue
            fonts = rpr.find("w:rFonts", _NS)
            if name is None and fonts is not None:
                # A theme font supersedes the explicit name (ECMA-376 Part 1 §17.3.2.26).
                if fonts.get(f"{_W}eastAsiaTheme"):
                    name = self._theme_font(str(fonts.get(f"{_W}eastAsiaTheme")), lang)
                elif fonts.get(f"{_W}eastAsia"):
                    name = str(fonts.get(f"{_W}eastAsia"))
            b = rpr.find("w:b", _NS)
            if bold is None and b is not None:
                bold = b.get(f"{_W}val", "true") not in ("0", "false", "off")
        return name or "", bool(bold)

    def _theme_font(self, theme_font: str, lang: str) -> str:
        """A theme font's East Asian typeface (ECMA-376 Part 1 §20.1.4.1.16 majorFont/minorFont):
        its ea typeface, else the script font for Simplified or Traditional Chinese."""
        rel = next(
            (r for r in self.document.part.rels.values() if r.reltype == f"{_REL}/theme"), None
        )
        if rel is None:
            return ""
        a = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
        try:
            theme = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            return ""
        group = "majorFont" if theme_font.startswith("major") else "minorFont"
        fonts = theme.find(f".//a:fontScheme/a:{group}", a)
        if fonts is None:
            return ""
        ea = fonts.find("a:ea", a)
        if ea is not None and ea.get("typeface"):
            return str(ea.get("typeface"))
        # The script's font goes by the document's theme font language (§17.15.1.88
        # themeFontLang), else by the text's language.
        theme_lang = self.document.settings.element.find("w:themeFontLang", _NS)
        if theme_lang is not None and theme_lang.get(f"{_W}eastAsia"):
            lang = str(theme_lang.get(f"{_W}eastAsia"))
        script = _SCRIPTS.get(lang, _SCRIPTS.get(lang.split("-")[0], "Hans"))
        font = fonts.find(f"a:font[@script='{script}']", a)
        return str(font.get("typeface") or "") if font is not None else ""

    # -- styles --------------------------------------------------------------------------

    def merge_styles(self, ours_xml: str) -> None:
        """Map exporter's style ids to the template's styles of the same type and name; add the
        styles the template lacks (renamed ``Exporter<id>`` when the id is taken)."""
        ours = etree.fromstring(ours_xml.encode("utf-8"))
        mapping: dict[str, str] = {}
        added = []
        for style in ours.iterfind("w:style", _NS):
            sid = style.get(f"{_W}styleId") or ""
            name = style.find("w:name", _NS)
            key = (style.get(f"{_W}type") or "", (name.get(f"{_W}val") or "").lower())
            found = self.by_name.get(key) if name is not None else None
            if found is not None:
                mapping[sid] = found
                continue
            new = sid if sid not in self.ids else f"Exporter{sid}"
            mapping[sid] = new
            style = copy.deepcopy(style)
            style.set(f"{_W}styleId", new)
            style.attrib.pop(f"{_W}default", None)  # the template's defaults stay
            added.append(style)
        for style in added:
            for ref in ("basedOn", "next", "link"):
                el = style.find(f"w:{ref}", _NS)
                if el is not None:
                    val = el.get(f"{_W}val") or ""
                    el.set(f"{_W}val", mapping.get(val, val))
            self.styles.append(style)
            self.ids.add(style.get(f"{_W}styleId") or "")
        self.style_map = {k: v for k, v in mapping.items() if k != v}
        self._by_id = {s.get(f"{_W}styleId"): s for s in self.styles.iterfind("w:style", _NS)}
        self._faces.clear()

    def default_paragraph_style(self) -> str | None:
        for style in self.styles.iterfind("w:style", _NS):
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true"):
                return str(style.get(f"{_W}styleId"))
        return None

    def text_by_face(self, lang: str, notes: str | None) -> dict[tuple[str, bool], set[str]]:
        """The characters of the body (filled), the template's headers and footers and the notes
        by the East Asian font and weight they are set in: the run's own w:rFonts, else its
        character style, its paragraph's, the defaults; w:b on the run itself makes it bold."""
        out: dict[tuple[str, bool], set[str]] = {}
        default = self.default_paragraph_style()
        trees = [self.document.element.body]
        for rel in self.document.part.rels.values():  # the template's letterhead and footers
            if rel.reltype in (f"{_REL}/header", f"{_REL}/footer") and not rel.is_external:
                element = getattr(rel.target_part, "_element", None)
                if element is not None:
                    trees.append(element)
        if notes is not None:
            trees.append(etree.fromstring(notes.encode("utf-8")))
        for tree in trees:
            for p in tree.iter(f"{_W}p"):
                ps = p.find("w:pPr/w:pStyle", _NS)
                pstyle = ps.get(f"{_W}val") if ps is not None else default
                for r in p.iter(f"{_W}r"):
                    text = "".join(t.text or "" for t in r.iter(f"{_W}t"))
                    if not text:
                        continue
                    rs = r.find("w:rPr/w:rStyle", _NS)
                    rstyle = rs.get(f"{_W}val") if rs is not None else None
                    name, bold = self.face_of([rstyle, pstyle], lang)
                    # A run's own w:rFonts overrides its styles (ECMA-376 Part 1 §17.3.2.26):
                    # the 公文 版头 and 版记 name their faces so.
                    direct = r.find("w:rPr/w:rFonts", _NS)
                    if direct is not None and direct.get(f"{_W}eastAsia"):
                        name = direct.get(f"{_W}eastAsia")
                    b = r.find("w:rPr/w:b", _NS)
                    if b is not None:
                        bold = b.get(f"{_W}val", "true") not in ("0", "false", "off")
                    if name:
                        out.setdefault((name, bold), set()).update(text)
        return out

    def restyle(self, xml: str) -> str:
        """XML with exporter's style ids replaced by the template's."""
        if not self.style_map:
            return xml
        table = self.style_map
        return _STYLE_REF.sub(lambda m: m[1] + table.get(m[2], m[2]) + m[3], xml)
