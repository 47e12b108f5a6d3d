"""The default DOCX on python-docx: the bundled template opened as ``Document(template)``, set for the profile, filled in bulk.

The template (``default.docx``, built by :mod:`~exporter.writers.docx.skeleton`) is read and
parsed once per process; each document gets its own python-docx package of deep copies.
Sections (page size, margins, header and footer distances, even/odd footers) go through
python-docx's API; what it has no API for (East Asian fonts and ``*Chars`` indents in the
styles, docGrid, kinsoku settings, PAGE fields) through its oxml layer, from exporter's part
sources. The parts are serialized by :func:`fill.package_document` (fixed zip times, no
"python-docx").
"""

from __future__ import annotations

import copy
import io
from functools import lru_cache
from typing import Any

from exporter.options import STANDARD, Profile
from exporter.writers import _zip
from exporter.writers.docx import fill, parts, skeleton
from exporter.writers.docx.styles import styles_xml

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{parts.W_NS}}}"


@lru_cache(maxsize=1)
def _template() -> tuple[Any, dict[str, tuple[type, Any]]]:
    """The bundled template read and parsed once per process: its serialized package and
    each XML part's class and element, which every document deep-copies."""
    from docx.opc import pkgreader
    from docx.opc.part import PartFactory, XmlPart
    from docx.package import Package

    reader: Any = pkgreader.PackageReader
    serialized = reader.from_file(io.BytesIO(skeleton.PATH.read_bytes()))
    scratch = Package()
    parsed: dict[str, tuple[type, Any]] = {}
    for partname, content_type, reltype, blob in serialized.iter_sparts():
        part = PartFactory(partname, content_type, reltype, blob, scratch)
        if isinstance(part, XmlPart):
            parsed[partname] = (type(part), part.element)
    return serialized, parsed


def _copy_part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
    """A part of a fresh document: an XML part as a deep copy of the parsed template's."""
    from docx.opc.part import PartFactory

    known = _template()[1].get(str(partname))
    if known is None:
        return PartFactory(partname, content_type, reltype, blob, package)
    cls, element = known
    return cls(partname, content_type, copy.deepcopy(element), package)


def open_template() -> Any:
    """A fresh python-docx Document of the bundled template (as ``docx.Document(template)``)."""
    from docx.opc import package as opc
    from docx.package import Package

    package = Package()
    unmarshaller: Any = opc.Unmarshaller
    unmarshaller.unmarshal(_template()[0], package, _copy_part)
    return package.main_document_part.document


def _part(document: Any, reltype: str) -> Any:
    return document.part.part_related_by(f"{_REL}/{reltype}")


def set_up(document: Any, profile: Profile, lang: str) -> None:
    """The template set for a profile and language: styles, font table, the section's page
    and grid, and its footers (gongwen's even/odd pair); the settings come with
    :func:`set_settings`, once the embedded fonts are known."""
    from docx.shared import Twips

    if profile != STANDARD or lang != skeleton.LANG:
        fill.set_part_xml(_part(document, "styles"), styles_xml(profile, lang))
        fill.set_part_xml(_part(document, "fontTable"), parts.font_table_xml(profile, {}))

    setup = parts.page_setup(profile)
    section = document.sections[0]
    section.page_width, section.page_height = Twips(setup.width), Twips(setup.height)
    section.top_margin, section.bottom_margin = Twips(setup.top), Twips(setup.bottom)
    section.left_margin, section.right_margin = Twips(setup.left), Twips(setup.right)
    section.header_distance, section.footer_distance = Twips(setup.header), Twips(setup.footer)
    section.gutter = Twips(0)
    # ECMA-376 Part 1 §17.6.5 docGrid: python-docx has no API for the grid.
    grid = section._sectPr.find(f"{_W}docGrid")
    grid.set(f"{_W}type", setup.grid_type)
    grid.set(f"{_W}linePitch", str(setup.line_pitch))
    if setup.char_space is None:
        grid.attrib.pop(f"{_W}charSpace", None)
    else:
        grid.set(f"{_W}charSpace", str(setup.char_space))

    # The template's footer is the centred PAGE field; gongwen's are an odd/even pair.
    footers = parts.footers_xml(profile)
    if len(footers) > 1:
        fill.set_part_xml(section.footer.part, footers[0][1])
        even = section.even_page_footer
        even.is_linked_to_previous = False
        fill.set_part_xml(even.part, footers[1][1])


def set_settings(document: Any, profile: Profile, lang: str, embedded: bool) -> None:
    """The settings part for a profile and language, and whether fonts are embedded."""
    # Kinsoku (noLineBreaksBefore/After), theme font language, embedTrueTypeFonts: no API.
    fill.set_part_xml(_part(document, "settings"), parts.settings_xml(profile, lang, embedded))
    if profile.page_number_style == "gongwen":  # its odd/even footer pair (see set_up)
        document.settings.odd_and_even_pages_header_footer = True


def deflate_body(document: Any) -> _zip.Deflating:
    """word/document.xml serialized now and deflated in the background: the rest of the
    package (the font subsets above all) is made meanwhile. Nothing may change the document
    part after this."""
    return _zip.Deflating(document.part.blob)


def package(document: Any, content: fill.Content, body: _zip.Deflating | None = None) -> bytes:
    """The filled document's DOCX, the writer's picture names kept; ``body`` from
    :func:`deflate_body`."""
    early = {document.part.partname.membername: body} if body is not None else None
    return fill.package_document(
        document, "the default template", content, media_names=True, early=early
    )
