"""EPUB package files: container.xml, the package document (OPF), the nav document and the NCX."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from exporter.writers._xml import attr as esc
from exporter.writers.html.xhtml import Anchor, page

_A11Y_SUMMARY = (
    "文本型电子书：含目录与章节导航，按阅读顺序排列，无图像、音视频或闪烁内容。"
    "This publication is text only, with a table of contents and structural navigation."
)
_A11Y_SUMMARY_IMAGES = (
    "电子书含目录与章节导航，按阅读顺序排列；图像附有替代文字，无音视频或闪烁内容。"
    "This publication has a table of contents and structural navigation; its images carry "
    "text alternatives."
)


@dataclass(slots=True)
class Part:
    """One input of the book: its title, first content file and nav anchors."""

    title: str
    first_file: str
    anchors: list[Anchor]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def opf(
    *,
    title: str,
    lang: str,
    identifier: str,
    modified: datetime,
    date: str,
    authors: list[str],
    publisher: str,
    source: str,
    subject: str,
    chapters: list[str],
    fonts: list[str],
    images: list[tuple[str, str]],
    all_alt: bool,
    provenance: Sequence[tuple[str, str]] = (),
) -> str:
    """The package document (EPUB 3.3 §5): metadata, manifest and spine; ``images``: (name,
    media type) of each embedded image; ``all_alt``: every image has alt text."""
    md = _metadata(
        title=title, lang=lang, identifier=identifier, modified=modified, date=date,
        authors=authors, publisher=publisher, source=source, subject=subject,
    )  # fmt: skip
    md += _accessibility(bool(images), all_alt)
    # How the file was made (exporter's version, options, source file and encoding), as
    # name/content metas: the OPF 2 meta form, which EPUB 3.3 still allows (as legacy).
    md += [f'<meta name="exporter:{esc(k)}" content="{esc(v)}"/>' for k, v in provenance]
    manifest = _manifest(chapters, fonts, images)
    spine = [f'<itemref idref="c{i}"/>' for i in range(1, len(chapters) + 1)]
    nl = "\n    "
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="bookid" xml:lang="{esc(lang)}" dir="ltr">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n    '
        + nl.join(md)
        + "\n  </metadata>\n  <manifest>\n    "
        + nl.join(manifest)
        + '\n  </manifest>\n  <spine toc="ncx" page-progression-direction="ltr">\n    '
        + nl.join(spine)
        + "\n  </spine>\n</package>\n"
    )


def _metadata(
    *,
    title: str,
    lang: str,
    identifier: str,
    modified: datetime,
    date: str,
    authors: list[str],
    publisher: str,
    source: str,
    subject: str,
) -> list[str]:
    """The package's metadata elements (the accessibility metadata apart)."""
    md = [
        f'<dc:identifier id="bookid">{esc(identifier)}</dc:identifier>',
        f"<dc:title>{esc(title)}</dc:title>",
        f"<dc:language>{esc(lang)}</dc:language>",
        f'<meta property="dcterms:modified">{_iso(modified)}</meta>',
    ]
    if date:  # the document's own date only: an undated document has none (EPUB 3.3 §5.5: optional)
        md.append(f"<dc:date>{esc(date)}</dc:date>")
    for i, author in enumerate(authors, start=1):
        md.append(f'<dc:creator id="creator{i}">{esc(author)}</dc:creator>')
    if publisher:
        md.append(f"<dc:publisher>{esc(publisher)}</dc:publisher>")
    if source:
        md.append(f"<dc:source>{esc(source)}</dc:source>")
    if subject:
        md.append(f"<dc:subject>{esc(subject)}</dc:subject>")
    return md


def _accessibility(images: bool, all_alt: bool) -> list[str]:
    """EPUB Accessibility 1.1 discovery metadata (schema.org vocabulary). With images the
    content is also visual; text alone suffices when every image has alt text."""
    if not images:
        modes = ["textual"]
        sufficient = ["textual"]
        features = []
        summary = _A11Y_SUMMARY
    else:
        modes = ["textual", "visual"]
        sufficient = (["textual"] if all_alt else []) + ["textual,visual"]
        features = ["alternativeText"] if all_alt else []
        summary = _A11Y_SUMMARY_IMAGES
    features += ["structuralNavigation", "tableOfContents", "readingOrder",
                 "displayTransformability"]  # fmt: skip
    return [
        *(f'<meta property="schema:accessMode">{m}</meta>' for m in modes),
        *(f'<meta property="schema:accessModeSufficient">{m}</meta>' for m in sufficient),
        *(f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{esc(summary)}</meta>',
    ]


def _manifest(chapters: list[str], fonts: list[str], images: list[tuple[str, str]]) -> list[str]:
    """Manifest items: nav, NCX, stylesheet, content documents, fonts, images."""
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    for i, name in enumerate(chapters, start=1):
        manifest.append(f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>')
    for i, name in enumerate(fonts, start=1):
        manifest.append(f'<item id="f{i}" href="{name}" media-type="font/ttf"/>')
    for i, (name, media_type) in enumerate(images, start=1):
        manifest.append(f'<item id="img{i}" href="{esc(name)}" media-type="{media_type}"/>')
    return manifest


@dataclass(slots=True)
class _Node:
    level: int
    label: str
    href: str
    children: list[_Node] = field(default_factory=list)


def _tree(parts: list[Part], book: bool) -> list[_Node]:
    """Nav entries nested by level: a heading goes under the nearest earlier heading of lower level.

    A single document lists its title first and its level-1 headings beside it; in a book each
    part is one entry (its title) holding that part's headings.
    """
    roots: list[_Node] = []
    for part in parts:
        anchors = part.anchors
        if book:
            lead = anchors[0] if anchors and anchors[0].level == 0 else None
            href = f"{lead.file}#{lead.id}" if lead else part.first_file
            holder = _Node(0, part.title, href)
            roots.append(holder)
            top = holder.children
            if lead:
                anchors = anchors[1:]
        else:
            top = roots
            if not any(a.level == 0 for a in anchors):
                top.append(_Node(0, part.title, part.first_file))
        stack: list[_Node] = []
        for anchor in anchors:
            node = _Node(anchor.level, anchor.label or part.title, f"{anchor.file}#{anchor.id}")
            if anchor.level == 0:
                stack = []
            while stack and stack[-1].level >= anchor.level:
                stack.pop()
            (stack[-1].children if stack else top).append(node)
            if anchor.level > 0:
                stack.append(node)
    return roots


def nav(title: str, lang: str, parts: list[Part], book: bool) -> str:
    def ol(nodes: list[_Node]) -> str:
        items = []
        for n in nodes:
            sub = ol(n.children) if n.children else ""
            items.append(f'<li><a href="{esc(n.href)}">{esc(n.label)}</a>{sub}</li>')
        return "<ol>" + "".join(items) + "</ol>"

    roots = _tree(parts, book)
    first = parts[0].first_file
    body = [
        '<nav epub:type="toc" id="toc" role="doc-toc">',
        f"<h1>{esc(title)}</h1>",
        ol(roots),
        "</nav>",
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden">',
        "<h2>Landmarks</h2>",
        f'<ol><li><a epub:type="bodymatter" href="{first}">正文</a></li></ol>',
        "</nav>",
    ]
    return page(esc(title), esc(lang), body)


def ncx(title: str, lang: str, identifier: str, parts: list[Part], book: bool) -> str:
    roots = _tree(parts, book)
    order = 0
    out: list[str] = []

    def depth(nodes: list[_Node]) -> int:
        return 1 + max((depth(n.children) for n in nodes), default=0) if nodes else 0

    def points(nodes: list[_Node], indent: str) -> None:
        nonlocal order
        for n in nodes:
            order += 1
            out.append(
                f'{indent}<navPoint id="np{order}" playOrder="{order}">'
                f"<navLabel><text>{esc(n.label)}</text></navLabel>"
                f'<content src="{esc(n.href)}"/>'
            )
            points(n.children, indent + "  ")
            out.append(f"{indent}</navPoint>")

    points(roots, "    ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" '
        f'xml:lang="{esc(lang)}">\n  <head>\n'
        f'    <meta name="dtb:uid" content="{esc(identifier)}"/>\n'
        f'    <meta name="dtb:depth" content="{max(depth(roots), 1)}"/>\n'
        '    <meta name="dtb:totalPageCount" content="0"/>\n'
        '    <meta name="dtb:maxPageNumber" content="0"/>\n'
        f"  </head>\n  <docTitle><text>{esc(title)}</text></docTitle>\n  <navMap>\n"
        + "\n".join(out)
        + "\n  </navMap>\n</ncx>\n"
    )
