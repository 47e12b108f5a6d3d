"""EPUB content documents: XML escaping, block-to-XHTML rendering and the profile's CSS."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import assert_never
from urllib.parse import quote, unquote

from exporter.model import (
    RECORDS_JOIN,
    Addressee,
    Attachments,
    Block,
    Boilerplate,
    Break,
    Byline,
    Code,
    CodeBlock,
    Contents,
    DocNumber,
    Emphasis,
    Heading,
    Image,
    Inlines,
    Lead,
    Link,
    ListBlock,
    ListItem,
    Note,
    Paragraph,
    Quote,
    Records,
    Rule,
    Signature,
    Strike,
    Strong,
    Subtitle,
    Table,
    Text,
    Title,
    Verse,
    block_texts,
    heads_attachment,
    text_of,
    text_without_notes,
    title_like,
)
from exporter.options import STANDARD, Profile
from exporter.typesetting.styles import (
    FRONT,
    BlockStyle,
    Kind,
    block_style,
    chapter_like,
    front_gap,
    heading_kind,
    heading_style,
    line_height_pt,
    pitch_pt,
)
from exporter.writers._xml import attr as esc

#: Characters the stylesheet itself draws around notes (generated content): the body subset
#: must cover them too.
NOTE_OPEN = "〔"
NOTE_CLOSE = "〕"
CSS_TEXT = NOTE_OPEN + NOTE_CLOSE


@dataclass(slots=True)
class Refs:
    """What inline content points at: the embedded images and the link targets of a document."""

    #: Resource id -> the image's href from a content document (images the book embeds).
    images: dict[str, str] = field(default_factory=dict)
    #: Fragment key (see ``fragment_key``) -> "file#id"; None while the targets are not known
    #: yet (the first of two passes over a document whose links name fragments).
    targets: dict[str, str] | None = None
    #: Fragment links met; fragments that matched no target (their text is kept, unlinked).
    fragments: int = 0
    missing: list[str] = field(default_factory=list)

    def resolve(self, href: str) -> str | None:
        """The in-book address of ``#fragment``, or None when nothing written bears it."""
        self.fragments += 1
        if self.targets is None:
            return None
        found = self.targets.get(fragment_key(unquote(href[1:])))
        if found is None:
            self.missing.append(href)
        return found


def fragment_key(text: str) -> str:
    """What a fragment and a heading are matched by: GitHub's heading slug (lower case, no
    punctuation or symbols, spaces as hyphens), with hyphens and spaces then left out, since the
    model keeps a heading's ordinal apart from its text (## 第一章 总则 is 第一章 + 总则)."""
    return "".join(
        c
        for c in text.lower()
        if unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc"
    )


def inlines(content: Inlines, refs: Refs) -> str:
    """Inline content as XHTML (emphasis as <em>, notes inline in place as <span class="note">)."""
    if len(content) == 1 and isinstance(content[0], Text):
        return esc(content[0].text)
    out: list[str] = []
    for item in content:
        if isinstance(item, Text):
            out.append(esc(item.text))
        elif isinstance(item, Emphasis):
            out.append(f"<em>{inlines(item.content, refs)}</em>")
        elif isinstance(item, Note):
            out.append(f'<span class="note">{inlines(item.content, refs)}</span>')
        elif isinstance(item, Strong):
            out.append(f"<strong>{inlines(item.content, refs)}</strong>")
        elif isinstance(item, Strike):
            out.append(f"<del>{inlines(item.content, refs)}</del>")
        elif isinstance(item, Code):
            out.append(f"<code>{esc(item.text)}</code>")
        elif isinstance(item, Link):
            out.append(_link(item, refs))
        elif isinstance(item, Image):
            out.append(_image(item, refs))
        else:
            assert_never(item)
    return "".join(out)


def _image(image: Image, refs: Refs) -> str:
    """<img src alt> for an embedded image (HTML §4.8.4.4: alt is its text equivalent); an image
    the book does not hold keeps its alt text in its place."""
    src = refs.images.get(image.resource) if image.resource else None
    if src is None:
        return f'<span class="image-alt">{esc(image.alt)}</span>'
    # A literal tab or line break in an attribute reads back as a space (XML 1.0 §3.3.3).
    alt = esc(image.alt).replace("\t", "&#9;").replace("\n", "&#10;")
    return f'<img src="{esc(src)}" alt="{alt}"/>'


def _link(link: Link, refs: Refs) -> str:
    """<a href>: web and mail addresses open outside the book (rel="external"), a #fragment
    inside it, pointing at the heading it names; a fragment nothing bears (EPUBCheck reports a
    broken fragment as an error, RSC-012) and any other target (a model built by hand) are not
    linked, their text kept."""
    text = inlines(link.content, refs)
    if link.href.startswith(("http://", "https://", "mailto:")):
        return f'<a href="{esc(_uri(link.href))}" rel="external">{text}</a>'
    if link.href.startswith("#") and len(link.href) > 1:
        target = refs.resolve(link.href)
        return f'<a href="{esc(target)}">{text}</a>' if target else text
    return text


#: Characters a URI holds as they are (RFC 3986 §2.2 reserved, §2.3 unreserved, and the
#: percent sign of an escape already made); after the first "#", a "#" is escaped too.
_URI_SAFE = "!$&'()*+,/:;=?@[]~%"


def _uri(href: str) -> str:
    """``href`` as a valid URI (EPUBCheck reports an illegal character, RSC-020): anything else
    percent-encoded as UTF-8 (RFC 3987 §3.1: an IRI's mapping to a URI)."""
    base, hash_, fragment = href.partition("#")
    out = quote(base, safe=_URI_SAFE, errors="replace")
    if hash_:
        out += "#" + quote(fragment, safe=_URI_SAFE, errors="replace")
    return out


def _item(item: ListItem, refs: Refs) -> str:
    marker = f'<span class="marker">{esc(item.marker)}</span>' if item.marker else ""
    inner = "".join(_nested(b, refs) for b in item.blocks)
    return f"<li>{marker}{inlines(item.content, refs)}{inner}</li>"


def _nested(block: Block, refs: Refs) -> str:
    """A block inside a list item (a nested list, a paragraph, a table)."""
    match block:
        case Paragraph() | Quote() | ListBlock() | Verse() | CodeBlock() | Contents():
            return _text(block, refs)
        case Table():
            return _table(block, refs)
        case _:
            return "".join(f"<p>{esc(t)}</p>" for t in block_texts(block) if t)


def _table(table: Table, refs: Refs) -> str:
    """<table>: header cells <th scope="col">, column alignment as a style on each cell."""

    def cell(tag: str, content: Inlines, k: int) -> str:
        align = table.align[k] if k < len(table.align) else ""
        style = f' style="text-align: {align}"' if align else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{scope}{style}>{inlines(content, refs)}</{tag}>"

    head = "".join(
        "<tr>" + "".join(cell("th", c, k) for k, c in enumerate(row)) + "</tr>"
        for row in table.header
    )
    body = "".join(
        "<tr>" + "".join(cell("td", c, k) for k, c in enumerate(row)) + "</tr>"
        for row in table.body
    )
    thead = f"<thead>{head}</thead>" if head else ""
    return f'<table class="table">{thead}<tbody>{body}</tbody></table>'


@dataclass(slots=True)
class Anchor:
    """A navigation target inside a content document: a title or a heading."""

    level: int  # 0 for a title, the heading level otherwise
    label: str
    file: str
    id: str


_Front = Title | Subtitle | DocNumber | Byline | Records | Addressee | Lead
_Text = Paragraph | Quote | ListBlock | Verse | CodeBlock | Contents


@dataclass(slots=True)
class Renderer:
    """Renders blocks to XHTML fragments and records the nav anchors it creates."""

    file: str = ""
    anchors: list[Anchor] = field(default_factory=list)
    counter: int = 0
    shift: int = 0  # inside an attachment its headings nest one level under it in the nav
    profile: Profile = STANDARD
    in_body: bool = False  # a block outside a title group came earlier in this document
    refs: Refs = field(default_factory=Refs)

    def _anchor(self, level: int, label: str) -> str:
        self.counter += 1
        ident = f"t{self.counter}" if level == 0 else f"h{self.counter}"
        self.anchors.append(Anchor(level, label, self.file, ident))
        return ident

    def render(self, blocks: Sequence[Block]) -> list[str]:
        """One content document's blocks; a title group is one ``<header>``, whose class says
        whether the blank line after a title group follows it (see ``front_gap``)."""
        out: list[str] = []
        group: list[str] = []
        for k, block in enumerate(blocks):
            prev = blocks[k - 1] if k else None
            if group and not isinstance(block, FRONT):
                gap = front_gap(prev, block, self.in_body, self.profile)
                out.append(_header(group, gap > 0))
                group = []
            self.in_body = self.in_body or not isinstance(block, FRONT)
            (group if isinstance(block, FRONT) else out).append(self.block(block, prev))
        if group:  # the file ends here: what follows starts a new content document
            out.append(_header(group, False))
        return out

    def _heading(self, block: Heading) -> str:
        level, number, content, body = block.level, block.number, block.content, block.body
        lv = min(level, 4)
        label = (number + _label(content)).strip() or _label(body)[:24]
        ident = self._anchor(level + self.shift, label)
        num = f'<span class="number">{esc(number)}</span>' if number else ""
        head = num + inlines(content, self.refs)
        if body:
            # Run-in heading: ordinal and title in the heading face, the rest in the body.
            return (
                f'<p class="runin r{lv}" id="{ident}"><span class="h{lv}">{head}</span>'
                f"{inlines(body, self.refs)}</p>"
            )
        tag = f"h{min(level + 1, 6)}"
        cls = f"h{lv} chapter" if chapter_like(number) else f"h{lv}"
        return f'<{tag} class="{cls}" id="{ident}">{head}</{tag}>'

    def block(self, block: Block, prev: Block | None = None) -> str:
        match block:
            case Attachments(label, ()) if heads_attachment(block):
                # GB/T 9704 §8: an attachment is a part of its own (a file of its own, see _split).
                ident = self._anchor(1, label.strip())
                self.shift = 1
                return f'<p class="attachment-head" id="{ident}">{esc(label)}</p>'
            case Paragraph(content) if heads_attachment(prev) and title_like(content):
                if self.anchors:  # the nav entry reads 附件1 and the attachment's title
                    self.anchors[-1].label += " " + _label(content)
                return f'<h2 class="attachment-title">{inlines(content, self.refs)}</h2>'
            case Heading():
                return self._heading(block)
            case Title() | Subtitle() | DocNumber() | Byline() | Records() | Addressee() | Lead():
                return self._front(block)
            case Paragraph() | Quote() | ListBlock() | Verse() | CodeBlock() | Contents():
                return _text(block, self.refs)
            case Attachments(label, items):
                width = max(len(label), 1)
                lab = f'<span class="label">{esc(label)}</span>' if label else ""
                lis = "".join(_item(i, self.refs) for i in items)
                return (
                    f'<div class="attachments">{lab}'
                    f'<ol class="items" style="margin-left: {width}em">{lis}</ol></div>'
                )
            case Signature(signers, date):
                names = "".join(f'<p class="signer">{esc(s)}</p>' for s in signers)
                when = f'<p class="date">{esc(date)}</p>' if date else ""
                return f'<div class="signature">{names}{when}</div>'
            case Rule(text):
                # EPUB 3.3 (HTML): <hr/> is the thematic break. The source's separator line is
                # kept in a hidden span (the HTML hidden attribute, no stylesheet needed), and the
                # rule's short centred look rides on the element, so that books without a rule
                # keep the stylesheet they had.
                return (
                    '<div class="rule"><hr style="width: 4em; margin: 0 auto;"/>'
                    f'<span hidden="hidden">{esc(text)}</span></div>'
                )
            case Table():
                return _table(block, self.refs)
            case Boilerplate(lines):
                # Set apart and small (the style table's boilerplate row): a site's furniture,
                # kept so nothing is lost, not read as the document's text.
                rows = "".join(f"<p>{esc(line)}</p>" for line in lines)
                return f'<div class="boilerplate">{rows}</div>'
            case Break(kind):
                return f'<hr class="{kind}break"/>'
            case _:
                assert_never(block)

    def _front(self, block: _Front) -> str:
        """The title group's blocks, the addressee and a news lead."""
        match block:
            case Title(content):
                self.shift = 0
                ident = self._anchor(0, _label(content))
                return f'<h1 class="title" id="{ident}">{inlines(content, self.refs)}</h1>'
            case Subtitle(content):
                return f'<p class="subtitle">{inlines(content, self.refs)}</p>'
            case DocNumber(text):
                return f'<p class="docnumber">{esc(text)}</p>'
            case Byline(content):
                return f'<p class="byline">{inlines(content, self.refs)}</p>'
            case Records(lines):
                # One block, the records run on as in print; the full-width space between them
                # is whitespace, so no character is added to the text.
                joined = esc(RECORDS_JOIN).join(inlines(line, self.refs) for line in lines)
                return f'<p class="records">{joined}</p>'
            case Addressee(content):
                return f'<p class="addressee">{inlines(content, self.refs)}</p>'
            case Lead(dateline, content):
                date = f'<span class="dateline">{esc(dateline)}</span>' if dateline else ""
                return f'<p class="lead">{date}{inlines(content, self.refs)}</p>'
            case _:
                assert_never(block)


def _header(parts: list[str], gap: bool) -> str:
    """A title group as one element; ``gap``: a blank line follows it."""
    return ('<header class="front">' if gap else "<header>") + "\n".join(parts) + "</header>"


def _text(block: _Text, refs: Refs) -> str:
    """Running text: paragraphs, quotes, lists, verse, code, contents."""
    match block:
        case Paragraph((Image(_, rid) as image,)) if rid in refs.images:
            # An image alone in its paragraph is a block of its own: centred, not indented.
            return f'<p class="figure">{_image(image, refs)}</p>'
        case Paragraph(content):
            return f"<p>{inlines(content, refs)}</p>"
        case Quote(content):
            return f"<blockquote><p>{inlines(content, refs)}</p></blockquote>"
        case ListBlock(ordered, items, start):
            tag = "ol" if ordered else "ul"
            first = f' start="{start}"' if ordered and start != 1 else ""
            return f'<{tag} class="list"{first}>{"".join(_item(i, refs) for i in items)}</{tag}>'
        case Verse(lines):
            rows = "".join(f'<p class="line">{inlines(line, refs)}</p>' for line in lines)
            return f'<div class="verse">{rows}</div>'
        case CodeBlock(text):
            return f"<pre><code>{esc(text)}</code></pre>"
        case Contents(lines):
            rows = "".join(f"<p>{inlines(line, refs)}</p>" for line in lines)
            return f'<div class="contents">{rows}</div>'
        case _:
            assert_never(block)


def _label(content: Inlines) -> str:
    """Nav label text of inline content: notes left out, whitespace runs folded."""
    return " ".join(text_without_notes(content).split())


def page(title: str, lang: str, body: Iterable[str], head_extra: str = "") -> str:
    """A complete XHTML content document (``title`` and ``lang`` must be escaped already)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n<title>{title}</title>\n{head_extra}'
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _kind(block: Block, prev: Block | None) -> Kind:
    """The style-table kind of a block's main text, as Renderer.block sets it."""
    match block:
        case Attachments(_, ()) if heads_attachment(block):
            return "attachment_head"
        case Paragraph(content) if heads_attachment(prev) and title_like(content):
            return "attachment_title"
        case Title():
            return "title"
        case Subtitle():
            return "subtitle"
        case DocNumber():
            return "docnumber"
        case Byline():
            return "byline"
        case Records():
            return "records"
        case Addressee():
            return "addressee"
        case Lead():
            return "lead"
        case Heading(level):
            return heading_kind(level)
        case Paragraph():
            return "paragraph"
        case Quote():
            return "quote"
        case ListBlock():
            return "list"
        case Verse():
            return "verse"
        case CodeBlock():
            return "code"
        case Contents():
            return "contents"
        case Attachments():
            return "attachments"
        case Signature():
            return "signature"
        case Rule():
            return "rule"
        case Boilerplate():
            return "boilerplate"
        case Table():
            return "paragraph"
        case Break():
            return "paragraph"
        case _:
            assert_never(block)


def _notes(content: Inlines) -> Iterator[str]:
    for item in content:
        if isinstance(item, Note):
            yield _plain(item.content)
        elif isinstance(item, Emphasis | Strong | Strike | Link):
            yield from _notes(item.content)


def _codes(content: Inlines) -> Iterator[str]:
    for item in content:
        if isinstance(item, Code):
            yield item.text
        elif isinstance(item, Emphasis | Strong | Strike | Link):
            yield from _codes(item.content)


def _plain(content: Inlines) -> str:
    return text_of(content)


def role_texts(block: Block, prev: Block | None, profile: Profile) -> Iterator[tuple[str, str]]:
    """(font role, text) pairs of a block, as the stylesheet sets them (for font subsets)."""
    st = block_style(_kind(block, prev), profile)
    for text in block_texts(block):
        yield st.role, text
    note = block_style("note", profile).role
    match block:
        case Lead(dateline, _):
            yield block_style("dateline", profile).role, dateline
        case Heading(_, _, _, body) if body:
            yield block_style("runin", profile).role, text_of(body)
        case Table(_, header, _):
            for row in header:  # header cells are set in the heading face (see _table_rules)
                for cell in row:
                    yield "heading1", text_of(cell)
        case _:
            pass
    if isinstance(block, CodeBlock):
        yield "code", block.text
    for content in inline_contents(block):
        for text in _notes(content):
            yield note, text
        for text in _codes(content):
            yield "code", text


def inline_contents(block: Block) -> Iterator[Inlines]:
    """Every run of inline content a block holds, nested blocks included, in reading order."""
    match block:
        case Title(c) | Subtitle(c) | Byline(c) | Addressee(c) | Paragraph(c) | Quote(c):
            yield c
        case Lead(_, c):
            yield c
        case Heading(_, _, c, body):
            yield c
            yield body
        case ListBlock(_, items) | Attachments(_, items):
            for item in items:
                yield item.content
                for inner in item.blocks:
                    yield from inline_contents(inner)
        case Verse(lines) | Contents(lines) | Records(lines):
            yield from lines
        case DocNumber() | CodeBlock() | Signature() | Rule() | Boilerplate() | Break():
            pass
        case Table(_, header, body):
            for row in (*header, *body):
                yield from row
        case _:
            assert_never(block)


# ---------------------------------------------------------------------------------------------
# CSS


def _quote_family(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _generic(bundled_key: str) -> str:
    if bundled_key == "mono":
        return "monospace"
    return "sans-serif" if bundled_key.startswith("hei") else "serif"


# CSS has no balanced line breaking that EPUB 3.3 reading systems are required to support: a
# balanced block is centred.
_ALIGN = {"justify": "justify", "left": "left", "centre": "center", "right": "right",
          "balanced": "center"}  # fmt: skip


class _Css:
    """CSS declarations for one profile: faces by role, and the style table's rows as rules."""

    def __init__(self, profile: Profile, family_of: Callable[[str], list[str]]) -> None:
        self.p = profile
        self.family_of = family_of
        #: One line of the body, in ems (spaces in the table are counted in lines).
        self.line = pitch_pt(profile) / profile.body_size_pt

    def fam(self, role: str) -> str:
        spec = self.p.roles[role]
        names = [_quote_family(f) for f in spec.families]
        names[:0] = [_quote_family(f) for f in self.family_of(role)]
        names.append(_generic(spec.bundled))
        return ", ".join(names)

    def size(self, role: str) -> str:
        return f"{self.p.roles[role].size_pt / self.p.body_size_pt:.4g}em"

    def weight(self, role: str) -> str:
        return "bold" if self.p.roles[role].bold else "normal"

    def face(self, st: BlockStyle) -> str:
        """Family, weight and size of a table row (size relative to the parent: the body); a
        size other than the body's gets the table's line height (a unitless line-height, which
        the body sets, would scale with the size)."""
        size = self.size(st.role) if st.size is None else f"{st.size:.4g}em"
        size_pt = st.size_pt(self.p)
        leading = line_height_pt(size_pt, self.p) / size_pt
        line = f" line-height: {leading:.4g};" if size_pt != self.p.body_size_pt else ""
        return (
            f"font-family: {self.fam(st.role)}; font-weight: {self.weight(st.role)}; "
            f"font-size: {size};{line}"
        )

    def box(self, st: BlockStyle) -> str:
        """Indents, alignment and spacing of a table row. The table counts characters of the
        body and lines of the pitch, an em in CSS is the element's own size: a row set at
        another size has its lengths divided by it."""
        k = self.p.body_size_pt / st.size_pt(self.p)

        def em(value: float) -> str:
            return f"{value * k:.4g}em"

        return (
            f"text-indent: {em(st.indent)}; text-align: {_ALIGN[st.align]}; "
            f"margin: {em(st.before * self.line)} {em(st.right)} {em(st.after * self.line)} "
            f"{em(st.left)};"
        )

    def rule(self, selector: str, kind: Kind, *, face: bool = True, box: bool = True) -> str:
        return self.style_rule(selector, block_style(kind, self.p), face=face, box=box)

    def style_rule(
        self, selector: str, st: BlockStyle, *, face: bool = True, box: bool = True
    ) -> str:
        parts = ([self.face(st)] if face else []) + ([self.box(st)] if box else [])
        return f"{selector} {{ {' '.join(parts)} }}"


def font_family(profile: Profile, family_of: Callable[[str], list[str]], role: str) -> str:
    """A role's CSS font-family list: the embedded families first, then the profile's names."""
    return _Css(profile, family_of).fam(role)


def stylesheet(profile: Profile, family_of: Callable[[str], list[str]], faces_css: str) -> str:
    """The book's CSS for a profile; ``family_of(role)``: embedded families to try first."""
    c = _Css(profile, family_of)
    gongwen = profile.chars_per_line is not None
    rules = [faces_css, *_front_rules(c), *_heading_rules(c), *_block_rules(c)]
    rules += _end_rules(gongwen)
    return "\n".join(r for r in rules if r) + "\n"


def _front_rules(c: _Css) -> list[str]:
    """Body, title group, addressee and lead."""
    # The blank line after a title group (typesetting.styles.front_gap) as padding, which
    # does not collapse with the title's own space after or the next block's space before.
    gap = front_gap(Title(()), Paragraph(()), False, c.p) * c.line
    return [
        f"body {{ font-family: {c.fam('body')}; line-height: {c.line:.3g}; }}",
        c.rule("p", "paragraph", face=False),
        "header { margin: 0; padding: 0; }",
        f"header.front {{ padding-bottom: {gap:.4g}em; }}",
        c.rule("h1.title", "title"),
        c.rule("p.subtitle", "subtitle"),
        c.rule("p.docnumber", "docnumber"),
        c.rule("p.byline", "byline"),
        c.rule("p.records", "records"),
        c.rule("p.addressee", "addressee"),
        c.rule("p.lead", "lead"),
        c.rule("span.dateline", "dateline", box=False),
    ]


def _heading_rules(c: _Css) -> list[str]:
    """Headings of levels 1-4 (h2-h6), chapter headings and run-in headings, all from the
    table's heading_style."""
    rules = ["h1, h2, h3, h4, h5, h6 { margin: 0; }"]
    for lv in range(1, 5):
        sel = f"h{lv + 1}.h{lv}" + (", h6.h4" if lv == 4 else "")
        chapter = ", ".join(f"{one}.chapter" for one in sel.split(", "))
        rules += [
            c.style_rule(sel, heading_style(Heading(lv, "", ()), c.p)),
            c.style_rule(chapter, heading_style(Heading(lv, "第一章", ()), c.p), face=False),
        ]
    for lv in range(1, 5):
        runin = heading_style(Heading(lv, "", (), (Text(""),)), c.p)
        rules += [
            c.style_rule(f"p.runin.r{lv}", runin, face=False),
            c.style_rule(f"p.runin > span.h{lv}", runin, box=False),
        ]
    return rules


def _block_rules(c: _Css) -> list[str]:
    """Inline marks, notes, quotes, lists, verse, code, attachments."""
    profile = c.p
    indent = f"{profile.indent_chars}em"
    return [
        "em { font-style: normal; -webkit-text-emphasis: filled dot; "
        "text-emphasis: filled dot; -webkit-text-emphasis-position: under right; "
        "text-emphasis-position: under right; }",
        c.rule("span.note", "note", box=False),
        f"span.note::before {{ content: {_quote_family(NOTE_OPEN)}; }}",
        f"span.note::after {{ content: {_quote_family(NOTE_CLOSE)}; }}",
        "blockquote { margin: 0; }",
        c.rule("blockquote > p", "quote"),
        "ol.list, ul.list, ol.items { list-style: none; margin-top: 0; margin-bottom: 0; "
        "padding: 0; }",
        "ol.list, ul.list { margin-left: 0; }",
        "li > ol.list, li > ul.list { margin-left: 2em; }",  # a nested list sits further in
        c.rule("ol.list > li, ul.list > li", "list"),
        "div.verse, div.contents { margin: 0; }",
        c.rule("div.verse p.line", "verse"),
        c.rule("div.contents p", "contents"),
        # The code role's monospaced face for Latin, then the body face for Han text.
        f"pre {{ white-space: pre-wrap; {c.box(block_style('code', profile))} "
        f"font-family: {c.fam('code')}, {c.fam('body')}; "
        f"font-size: {block_style('code', profile).size:.4g}em; }}",
        f"div.attachments {{ margin-top: 1em; padding-left: {indent}; }}",
        "div.attachments span.label { float: left; }",
        c.rule("p.attachment-head", "attachment_head"),
        c.rule("h2.attachment-title", "attachment_title"),
        "div.signature { margin-top: 1em; }",
        c.rule("div.boilerplate p", "boilerplate"),
        *_table_rules(c),
        # Inline code: the code role's monospaced face for Latin, the body face for Han text.
        f"code {{ font-family: {c.fam('code')}, {c.fam('body')}; }}",
        "del { text-decoration: line-through; }",
        # An image never overflows the page (CSS Images 3 §5.1: the height follows the width).
        "img { max-width: 100%; height: auto; }",
        "p.figure { text-indent: 0; text-align: center; }",
    ]


def _table_rules(c: _Css) -> list[str]:
    """Ruled tables with padded cells; header cells in the heading face (Hei: the bold of
    Chinese setting, as strong text in the PDF), its weight from the profile."""
    return [
        "table.table { border-collapse: collapse; margin: 0.5em 0; }",
        "table.table th, table.table td { border: 1px solid; padding: 0.2em 0.5em; "
        "text-indent: 0; vertical-align: top; }",
        f"table.table th {{ font-family: {c.fam('heading1')}; "
        f"font-weight: {c.weight('heading1')}; }}",
    ]


def _end_rules(gongwen: bool) -> list[str]:
    """Signature, breaks and nav."""
    rules: list[str] = []
    if gongwen:
        # GB/T 9704 §7.3.5.2: the sender right-indented 2 characters, the date on the next line
        # with its first character 2 characters right of the sender's; a longer date keeps the
        # 2-character right indent and pushes the sender left. A shrink-wrapped table does both.
        rules += [
            "div.signature { display: table; margin-left: auto; margin-right: 2em; }",
            "div.signature p { text-align: left; text-indent: 0; }",
            "div.signature p.date { padding-left: 2em; }",
        ]
    else:
        rules.append("div.signature p { text-align: right; text-indent: 0; }")
    rules += [
        "hr.pagebreak { border: none; margin: 0; page-break-after: always; break-after: page; }",
        "hr.sectionbreak { border: none; margin: 1em 0; }",
        "nav ol { list-style: none; }",
    ]
    return rules
