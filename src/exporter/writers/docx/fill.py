"""A template DOCX filled (the bundled default or a reference): exporter's body, notes, pictures, fonts and properties in its python-docx package."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from exporter.record import record
from exporter.writers import _zip
from exporter.writers.docx.embed import EmbeddedFont, obfuscate
from exporter.writers.docx.parts import MEDIA_TYPES, R_NS, W_NS, WP_NS, Rel
from exporter.writers.docx.reference import _CT, _NS, _REL, _W, Reference, _fail

# CT_Settings (ECMA-376 Part 1 §17.15.1.78): the elements before embedTrueTypeFonts.
_SETTINGS_BEFORE = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData",
)  # fmt: skip


@record
class Content:
    """What the writer made for one document, ready to go into a template's package."""

    footnotes: str | None
    body_rels: Sequence[Rel]
    note_rels: Sequence[Rel]
    media: Sequence[tuple[str, bytes]]
    fonts: Sequence[EmbeddedFont]
    font_table: str  # exporter's fontTable.xml, for the families the template lacks
    properties: Mapping[str, str]  # docProps/core.xml, app.xml, custom.xml
    epoch: int | None


def set_part_xml(part: Any, xml: str | bytes) -> None:
    """A part's content: its element for an XML part python-docx models, else its bytes."""
    from docx.oxml.parser import parse_xml

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if hasattr(part, "_element"):
        part._element = parse_xml(data)
    else:
        part._blob = data


def _drop_rels(part: Any, kinds: Sequence[str]) -> None:
    for rid, rel in list(part.rels.items()):
        if rel.reltype in kinds:
            del part.rels[rid]


def _add_rels(part: Any, rels: Sequence[Rel], parts: Mapping[str, Any], path: str) -> None:
    for rid, kind, target, external in rels:
        if rid in part.rels:
            raise _fail(path, f"its relationship id {rid} clashes with exporter's")
        part.rels.add_relationship(kind, target if external else parts[target], rid, external)


def fill_body(ref: Reference, body_xml: str) -> None:
    """The template's body replaced by exporter's (its final sectPr kept), styles by name."""
    fill_document(ref.document, ref.restyle(body_xml))


def fill_document(document: Any, body_xml: str) -> None:
    """A python-docx document's body replaced, in bulk, by ``body_xml`` (its final sectPr kept)."""
    place_body(document, parse_body(body_xml))


def parse_body(body_xml: str) -> Any:
    """``body_xml`` parsed in one go into a new w:body, with python-docx's element classes.

    A parser of its own, set as python-docx's: this may run in a background thread (libxml2
    parses without the GIL), and an lxml parser is not to be used by two threads at once.
    """
    from docx.oxml.parser import element_class_lookup

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    return etree.fromstring(
        f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}">{body_xml}</w:body>',
        parser,
    )


def place_body(document: Any, body: Any) -> None:
    """``body`` (from :func:`parse_body`) in place of the document's, its final sectPr kept."""
    old = document.element.body
    sect = old.sectPr
    if sect is not None:
        body.append(sect)
    document.element.replace(old, body)


def package(ref: Reference, content: Content) -> bytes:
    """The DOCX: the template's package (its body filled by :func:`fill_body`) with exporter's
    notes, pictures, fonts and properties."""
    return package_document(ref.document, ref.path, content)


def package_document(
    document: Any,
    path: str,
    content: Content,
    *,
    media_names: bool = False,
    early: Mapping[str, _zip.Deflating] | None = None,
) -> bytes:
    """A python-docx document's package with exporter's notes, pictures, fonts and properties,
    serialized deterministically; ``media_names`` keeps the writer's picture names
    (word/media/imageN.ext), else they are named apart from the template's own; ``early``:
    parts serialized (and being deflated) before the rest, by member name."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    pkg = main.package

    # Pictures and links of the template's own body went with it.
    _drop_rels(main, (f"{_REL}/image", f"{_REL}/hyperlink"))
    taken = {str(p.partname) for p in pkg.iter_parts()}
    media: dict[str, Any] = {}
    for n, (name, data) in enumerate(content.media, start=1):
        ext = name.rsplit(".", 1)[1]
        partname = f"/{name}" if media_names else f"/word/media/exporter{n}.{ext}"
        while partname in taken:
            partname = partname.replace("/exporter", "/exporter-")
        taken.add(partname)
        media[name.removeprefix("word/")] = Part(PackURI(partname), MEDIA_TYPES[ext], data, pkg)
    _add_rels(main, content.body_rels, media, path)

    if content.footnotes is not None:
        notes_xml = content.footnotes
        rel = next((r for r in main.rels.values() if r.reltype == f"{_REL}/footnotes"), None)
        if rel is not None:
            notes = rel.target_part
            set_part_xml(notes, notes_xml)
            _drop_rels(notes, (f"{_REL}/image", f"{_REL}/hyperlink"))
        else:
            notes = Part(
                PackURI("/word/footnotes.xml"),
                f"{_CT}.wordprocessingml.footnotes+xml",
                notes_xml.encode("utf-8"),
                pkg,
            )
            main.rels.add_relationship(f"{_REL}/footnotes", notes, "rIdFootnotes")
        _add_rels(notes, content.note_rels, media, path)

    if content.fonts:
        _embed_fonts(document, content, path)
    _properties(pkg, content.properties)

    # Serialized here, not by document.save(): python-docx deflates every entry at level 6 and
    # stamps it with the current time, so its zip would have to be read and written again
    # (three quarters of the time on a novel). The same parts, rels and content types.
    from docx.opc import pkgwriter

    content_types: Any = pkgwriter._ContentTypesItem
    parts = list(pkg.iter_parts())
    for part in parts:
        part.before_marshal()
    entries: list[tuple[str, bytes | _zip.Deflating]] = [
        ("[Content_Types].xml", _content_types(content_types.from_parts(parts))),
        ("_rels/.rels", pkg.rels.xml),
    ]
    early = early or {}
    for part in parts:
        member = part.partname.membername
        entries.append((member, early.get(member) or part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    stored = frozenset(
        n for n, _ in entries if n.rsplit(".", 1)[-1] in ("png", "jpeg", "jpg", "odttf")
    )
    return _zip.package(entries, stored=stored, explicit_epoch=content.epoch)


def _content_types(types: Any) -> bytes:
    """[Content_Types].xml with one Default for the font parts' extension, not an Override
    per part (ECMA-376 Part 2 §10.1.2.2: either maps the part)."""
    for name in [n for n in types._overrides if n.lower().endswith(".odttf")]:
        types._defaults["odttf"] = types._overrides.pop(name)
    blob: bytes = types.blob
    return blob


def _embed_fonts(document: Any, content: Content, path: str) -> None:
    """The font parts, their w:font entries in the template's font table, and the settings."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    pkg = main.package
    rel = next((r for r in main.rels.values() if r.reltype == f"{_REL}/fontTable"), None)
    ours = etree.fromstring(content.font_table.encode("utf-8"))
    if rel is None:
        table_part = Part(
            PackURI("/word/fontTable.xml"),
            f"{_CT}.wordprocessingml.fontTable+xml",
            content.font_table.encode("utf-8"),
            pkg,
        )
        main.rels.add_relationship(f"{_REL}/fontTable", table_part, "rIdFontTable")
        table = ours
    else:
        table_part = rel.target_part
        table = etree.fromstring(table_part.blob)
    by_name = {f.get(f"{_W}name"): f for f in table.iterfind("w:font", _NS)}
    theirs = {f.get(f"{_W}name"): f for f in ours.iterfind("w:font", _NS)}
    _drop_rels(table_part, (f"{_REL}/font",))
    for font in content.fonts:
        entry = by_name.get(font.family)
        if entry is None:
            entry = copy.deepcopy(theirs[font.family])
            for el in entry.findall("*"):
                if etree.QName(el).localname.startswith("embed"):
                    entry.remove(el)
            table.append(entry)
            by_name[font.family] = entry
        tag = "embedBold" if font.bold else "embedRegular"
        for old in entry.findall(f"w:{tag}", _NS):
            entry.remove(old)
        element = etree.fromstring(
            f'<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{font.element()}</w:fonts>'
        )[0]
        entry.append(element)
        part = Part(
            PackURI(f"/{font.part}"), MEDIA_TYPES["odttf"], obfuscate(font.data, font.key), pkg
        )
        table_part.rels.add_relationship(f"{_REL}/font", part, font.rid)
    # CT_Font's children keep their order: embedRegular before embedBold (§17.8.3).
    for entry in by_name.values():
        embeds = [e for e in entry if etree.QName(e).localname.startswith("embed")]
        for e in sorted(embeds, key=lambda e: etree.QName(e).localname != "embedRegular"):
            entry.append(e)
    set_part_xml(
        table_part, etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    )

    settings = document.settings.element
    present = {etree.QName(el).localname for el in settings}
    anchor = None
    for el in settings:
        if etree.QName(el).localname in _SETTINGS_BEFORE:
            anchor = el
    for name in ("saveSubsetFonts", "embedTrueTypeFonts"):
        if name in present:
            continue
        el = etree.SubElement(settings, f"{_W}{name}")
        if anchor is not None:
            anchor.addnext(el)
        else:
            settings.insert(0, el)
    # embedTrueTypeFonts comes before saveSubsetFonts (embedSystemFonts may sit between).
    ett = settings.find("w:embedTrueTypeFonts", _NS)
    ssf = settings.find("w:saveSubsetFonts", _NS)
    if ett is not None and ssf is not None and settings.index(ett) > settings.index(ssf):
        ssf.addprevious(ett)


_PROPERTIES = {
    "docProps/core.xml": (
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "application/vnd.openxmlformats-package.core-properties+xml",
    ),
    "docProps/app.xml": (f"{_REL}/extended-properties", f"{_CT}.extended-properties+xml"),
    "docProps/custom.xml": (f"{_REL}/custom-properties", f"{_CT}.custom-properties+xml"),
}


def _properties(pkg: Any, properties: Mapping[str, str]) -> None:
    """exporter's core, app and custom properties in place of the template's (never a
    template author, never "python-docx", never the time of writing)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    for name, xml in properties.items():
        reltype, ctype = _PROPERTIES[name]
        rel = next((r for r in pkg.rels.values() if r.reltype == reltype), None)
        if rel is not None:
            set_part_xml(rel.target_part, xml)
        else:
            part = Part(PackURI(f"/{name}"), ctype, xml.encode("utf-8"), pkg)
            rid = next(f"rId{n}" for n in range(1, 100) if f"rId{n}" not in pkg.rels)
            pkg.rels.add_relationship(reltype, part, rid)
