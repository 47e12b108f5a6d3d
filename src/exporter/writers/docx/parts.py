"""DOCX package parts other than the body and styles: settings, fonts, footers, properties, relationships."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from exporter.options import MM, Profile
from exporter.record import record
from exporter.typesetting import charsets
from exporter.writers._xml import attr
from exporter.writers._xml import text as esc

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# DrawingML WordprocessingML drawing (ECMA-376 Part 1 §20.4): inline pictures in a body or notes.
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CODE_FONT = "Courier New"


def twips_mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def twips_pt(pt: float) -> int:
    return round(pt * 20)


def em_width(text: str) -> float:
    """Approximate width in ems: wide/full-width/ambiguous characters 1, others 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def east_asian_lang(tag: str) -> str:
    """The w:eastAsia language for a BCP 47 tag: zh-TW for Traditional, zh-CN by default."""
    parts = tag.replace("_", "-").split("-")
    if not parts or parts[0].lower() != "zh":
        return "zh-CN"
    rest = [p.upper() for p in parts[1:]]
    regions = [p for p in rest if len(p) == 2 and p.isalpha()]
    if regions and regions[0] in ("CN", "TW", "HK", "MO", "SG"):
        return f"zh-{regions[0]}"
    if "HANT" in rest:
        return "zh-TW"
    return "zh-CN"


@record
class Metrics:
    """Every number the body and styles are laid out by, in Word units (twips, half-points)."""

    pitch: int  # exact line pitch, twips
    body_pt: float
    char: int  # one body character (em), twips
    indent_chars: int
    grid_chars: int | None  # characters per line on a strict grid (gongwen)

    @classmethod
    def of(cls, profile: Profile) -> Metrics:
        if profile.lines_per_page:
            # Floor, not round: 22 lines of 579 twips must fit the 225 mm type area
            # (GB/T 9704 practice: w:linePitch="579").
            pitch = int(profile.text_height_mm / 25.4 * 1440 / profile.lines_per_page)
        else:
            pitch = twips_pt(profile.line_pitch_pt)
        body = profile.body_size_pt
        return cls(pitch, body, twips_pt(body), profile.indent_chars, profile.chars_per_line)


# ---------------------------------------------------------------------------------------------
# Settings, fonts, section, footers


# Word's custom kinsoku lists (ECMA-376 Part 1 §17.15.1, noLineBreaksBefore/After) are the line breaker's own sets
# (GB/T 15834-2011 §5.1), full-width part only: see charsets.NO_START_ASCII.
NO_BREAK_BEFORE = charsets.NO_START_WIDE
NO_BREAK_AFTER = charsets.NO_END_WIDE


def settings_xml(profile: Profile, lang: str, embedded_fonts: bool = False) -> str:
    """settings.xml: odd/even footers (gongwen), theme font language, kinsoku, Word 2013+ mode;
    with embedded fonts, embedTrueTypeFonts and saveSubsetFonts (ECMA-376 Part 1 §17.15.1.51,
    §17.15.1.74), so that Word keeps them, subset, when it saves the document again."""
    even_odd = "<w:evenAndOddHeaders/>" if profile.page_number_style == "gongwen" else ""
    embed = "<w:embedTrueTypeFonts/><w:saveSubsetFonts/>" if embedded_fonts else ""
    return (
        f'{XML_DECL}<w:settings xmlns:w="{W_NS}">'
        f'<w:zoom w:percent="100"/>{embed}'
        f'<w:defaultTabStop w:val="{twips_pt(profile.body_size_pt) * 2}"/>'
        f"{even_odd}"
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        f'<w:noLineBreaksAfter w:lang="{attr(lang)}" w:val="{attr(NO_BREAK_AFTER)}"/>'
        f'<w:noLineBreaksBefore w:lang="{attr(lang)}" w:val="{attr(NO_BREAK_BEFORE)}"/>'
        "<w:compat>"
        '<w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        f'<w:themeFontLang w:val="en-US" w:eastAsia="{attr(lang)}"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def font_table_xml(
    profile: Profile, embedded: Mapping[str, str] | None = None, extra: Sequence[str] = ()
) -> str:
    """fontTable.xml: every family named, with its English alternative name and GB2312 charset;
    ``embedded`` maps a family to its w:embedRegular/w:embedBold elements (§17.8.3); ``extra``
    names more families (a reference DOCX's)."""
    embedded = embedded or {}
    seen: dict[str, tuple[str, str]] = {}
    for spec in profile.roles.values():
        name = spec.families[0]
        if name not in seen:
            alt = spec.families[1] if len(spec.families) > 1 else ""
            charset = "86" if any(ord(c) > 0x2E80 for c in name + alt) or alt else "00"
            seen[name] = (alt, charset)
    for name in (profile.latin_families[0], CODE_FONT):
        seen.setdefault(name, ("", "00"))
    for name in extra:
        seen.setdefault(name, ("", "86" if any(ord(c) > 0x2E80 for c in name) else "00"))
    fonts = []
    for name, (alt, charset) in seen.items():
        alt_el = f'<w:altName w:val="{attr(alt)}"/>' if alt else ""
        fonts.append(
            f'<w:font w:name="{attr(name)}">{alt_el}<w:charset w:val="{charset}"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/>'
            f"{embedded.get(name, '')}</w:font>"
        )
    return f'{XML_DECL}<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{"".join(fonts)}</w:fonts>'


class PageSetup(NamedTuple):
    """A section's page (ECMA-376 Part 1 §17.6.13 pgSz, §17.6.11 pgMar) and its docGrid, twips."""

    width: int
    height: int
    top: int
    right: int
    bottom: int
    left: int
    header: int
    footer: int
    grid_type: str
    line_pitch: int
    char_space: int | None


def page_setup(profile: Profile) -> PageSetup:
    """The profile's A4 page, margins, footer distance and line (and character) grid."""
    m = Metrics.of(profile)
    top = twips_mm(profile.margin_top_mm)
    left = twips_mm(profile.margin_left_mm)
    bottom = twips_mm(profile.margin_bottom_mm)
    area = twips_mm(profile.page_height_mm) - top - bottom
    lines = area // m.pitch
    # LibreOffice works in 1/100 mm and rounds the line pitch (420 twips -> 741, not 740.8):
    # a type area that is an exact multiple of the pitch (standard: 31 x 21 pt) then loses its
    # last line. Shave the bottom margin by the few twips that rounding needs (< 0.1 mm).
    lo_need = lines * round(m.pitch * 2540 / 1440) - round(area * 2540 / 1440)
    if lo_need > 0:
        bottom -= math.ceil(lo_need * 1440 / 2540) + 1
    right = twips_mm(profile.margin_right_mm)
    # w:footer is the distance from the page edge to the bottom of the footer line; the profile
    # gives the page number's baseline below the type area, so take off about one descent.
    number_pt = profile.roles["page_number"].size_pt
    footer = twips_mm(profile.margin_bottom_mm - profile.page_number_offset_mm) - twips_pt(
        0.25 * number_pt
    )
    space = None
    if m.grid_chars:
        text_width_pt = profile.text_width_mm * MM
        # charSpace: 1/4096 pt added to the Normal font size per grid cell (ECMA-376 Part 1 §17.6.5, docGrid).
        space = round((text_width_pt / m.grid_chars - profile.body_size_pt) * 4096)
    return PageSetup(
        width=twips_mm(profile.page_width_mm),
        height=twips_mm(profile.page_height_mm),
        top=top,
        right=right,
        bottom=bottom,
        left=left,
        header=min(851, top // 2),
        footer=max(footer, 0),
        grid_type="linesAndChars" if space is not None else "lines",
        line_pitch=m.pitch,
        char_space=space,
    )


def section_xml(profile: Profile) -> str:
    """The body's final sectPr: A4 page, margins, footers and the line (and character) grid."""
    s = page_setup(profile)
    refs = '<w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
    if profile.page_number_style == "gongwen":
        refs += '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
    space = f' w:charSpace="{s.char_space}"' if s.char_space is not None else ""
    grid = f'<w:docGrid w:type="{s.grid_type}" w:linePitch="{s.line_pitch}"{space}/>'
    return (
        f"<w:sectPr>{refs}"
        f'<w:pgSz w:w="{s.width}" w:h="{s.height}"/>'
        f'<w:pgMar w:top="{s.top}" w:right="{s.right}" w:bottom="{s.bottom}" w:left="{s.left}" '
        f'w:header="{s.header}" w:footer="{s.footer}" w:gutter="0"/>'
        '<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>'
        f"{grid}</w:sectPr>"
    )


_PAGE_FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>1</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def footers_xml(profile: Profile) -> list[tuple[str, str]]:
    """(part name, xml) of the footers: a centred PAGE, or gongwen's — PAGE — odd right / even left."""
    head = f'{XML_DECL}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
    if profile.page_number_style != "gongwen":
        para = f'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{_PAGE_FIELD}</w:p>'
        return [("word/footer1.xml", f"{head}{para}</w:ftr>")]
    # GB/T 9704 §7.5: half-width digits between em dashes, one character in from the edge.
    dash = (
        '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'
    )
    body = dash.format("— ") + _PAGE_FIELD + dash.format(" —")
    odd = (
        '<w:p><w:pPr><w:pStyle w:val="Footer"/>'
        '<w:ind w:rightChars="100" w:right="{gap}"/><w:jc w:val="right"/></w:pPr>{body}</w:p>'
    )
    even = (
        '<w:p><w:pPr><w:pStyle w:val="Footer"/>'
        '<w:ind w:leftChars="100" w:left="{gap}"/><w:jc w:val="left"/></w:pPr>{body}</w:p>'
    )
    gap = twips_pt(profile.roles["page_number"].size_pt)
    return [
        ("word/footer1.xml", head + odd.format(gap=gap, body=body) + "</w:ftr>"),
        ("word/footer2.xml", head + even.format(gap=gap, body=body) + "</w:ftr>"),
    ]


def footnotes_xml(notes: list[str]) -> str:
    """footnotes.xml with Word's two separator notes (ids -1, 0) then the document's notes."""
    return (
        f'{XML_DECL}<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
        'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>" + "".join(notes) + "</w:footnotes>"
    )


# ---------------------------------------------------------------------------------------------
# Package: content types, relationships, properties

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


#: Media types of the picture parts, by extension (the content types' Default entries).
MEDIA_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    # ECMA-376 Part 1 §17.8.1: an obfuscated embedded font part.
    "odttf": "application/vnd.openxmlformats-officedocument.obfuscatedFont",
}


def content_types_xml(footers: list[str], footnotes: bool, media: Sequence[str] = ()) -> str:
    overrides = [
        ("/word/document.xml", f"{_CT}.document.main+xml"),
        ("/word/styles.xml", f"{_CT}.styles+xml"),
        ("/word/settings.xml", f"{_CT}.settings+xml"),
        ("/word/fontTable.xml", f"{_CT}.fontTable+xml"),
        *((f"/{name}", f"{_CT}.footer+xml") for name in footers),
        *([("/word/footnotes.xml", f"{_CT}.footnotes+xml")] if footnotes else []),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
        (
            "/docProps/custom.xml",
            "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        ),
    ]
    items = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    # ECMA-376 Part 2 §10.1.2.2: a Default maps every part with the extension to its type.
    defaults = "".join(
        f'<Default Extension="{ext}" ContentType="{MEDIA_TYPES[ext]}"/>' for ext in media
    )
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{defaults}{items}</Types>"
    )


#: A relationship: id, type, target, and whether the target is outside the package.
Rel = tuple[str, str, str, bool]


def _rels(items: Sequence[tuple[str, str, str] | Rel]) -> str:
    body = []
    for rid, kind, target, *external in items:
        # Part 2 §9.3.2.2: an external target (a web address) says TargetMode="External".
        mode = ' TargetMode="External"' if external and external[0] else ""
        body.append(f'<Relationship Id="{rid}" Type="{kind}" Target="{attr(target)}"{mode}/>')
    return (
        f"{XML_DECL}<Relationships "
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(body)}'
        "</Relationships>"
    )


def package_rels_xml() -> str:
    return _rels(
        [
            ("rId1", f"{_REL}/officeDocument", "word/document.xml"),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            ),
            ("rId3", f"{_REL}/extended-properties", "docProps/app.xml"),
            ("rId4", f"{_REL}/custom-properties", "docProps/custom.xml"),
        ]
    )


def document_rels_xml(footers: list[str], footnotes: bool, more: Sequence[Rel] = ()) -> str:
    """The document's relationships: styles, settings, fonts, footers, notes, then ``more``
    (hyperlinks and pictures)."""
    items: list[tuple[str, str, str] | Rel] = [
        ("rIdStyles", f"{_REL}/styles", "styles.xml"),
        ("rIdSettings", f"{_REL}/settings", "settings.xml"),
        ("rIdFontTable", f"{_REL}/fontTable", "fontTable.xml"),
    ]
    for rid, name in zip(("rIdFooterOdd", "rIdFooterEven"), footers, strict=False):
        items.append((rid, f"{_REL}/footer", name.removeprefix("word/")))
    if footnotes:
        items.append(("rIdFootnotes", f"{_REL}/footnotes", "footnotes.xml"))
    return _rels([*items, *more])


def core_xml(
    *,
    title: str,
    subject: str,
    creator: str,
    language: str,
    identifier: str,
    created: datetime | None,
    modified: datetime | None,
) -> str:
    """docProps/core.xml; empty fields are left out, the creator is never a tool's name."""
    fields = [
        ("dc:title", title),
        ("dc:subject", subject),
        ("dc:creator", creator),
        ("cp:lastModifiedBy", creator),
        ("dc:identifier", identifier),
        ("dc:language", language),
    ]
    body = "".join(f"<{tag}>{esc(value)}</{tag}>" for tag, value in fields if value)
    return (
        f"{XML_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}<cp:revision>1</cp:revision>{_w3cdtf('created', created)}"
        f"{_w3cdtf('modified', modified)}</cp:coreProperties>"
    )


def _w3cdtf(term: str, moment: datetime | None) -> str:
    """A dcterms date element (ECMA-376 Part 2 §11), or nothing when the date is not known."""
    if moment is None:
        return ""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f'<dcterms:{term} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{term}>'


def app_xml(company: str) -> str:
    company_el = f"<Company>{esc(company)}</Company>" if company else ""
    return (
        f"{XML_DECL}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>exporter</Application>{company_el}</Properties>"
    )


#: ECMA-376 Part 1 §22.3.2.2: the format id user-defined custom properties carry.
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_xml(properties: Sequence[tuple[str, str]]) -> str:
    """docProps/custom.xml (ECMA-376 Part 1 §22.3): how the file was made, as text properties."""
    items = "".join(
        f'<property fmtid="{_CUSTOM_FMTID}" pid="{pid}" name="{attr("exporter:" + name)}">'
        f"<vt:lpwstr>{esc(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties, start=2)  # pids start at 2
    )
    return (
        f"{XML_DECL}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    )
