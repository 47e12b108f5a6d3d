"""Canonical document model: immutable dataclasses that every reader produces and every writer takes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import ClassVar, Literal, assert_never, get_args

from exporter.model.official import Official
from exporter.record import record

# ---------------------------------------------------------------------------------------------
# Inline content


@record
class Text:
    """A plain run of text."""

    text: str


@record
class Emphasis:
    """Emphasised content (着重号 or bold, by writer)."""

    content: tuple[Inline, ...]


@record
class Note:
    """A note attached at this point (footnote or endnote, by writer)."""

    content: tuple[Inline, ...]


@record
class Strong:
    """Strongly emphasised content (bold, **中文** in Markdown)."""

    content: tuple[Inline, ...]


@record
class Strike:
    """Struck-out content (GFM ~~删除线~~)."""

    content: tuple[Inline, ...]


@record
class Code:
    """Inline code (`pip install`); its text is set as written, in a monospaced face."""

    text: str


@record
class Link:
    """A link: ``href`` (an absolute http(s)/mailto URL or a #fragment) around its content."""

    href: str
    content: tuple[Inline, ...]


@record
class Image:
    """An image: its ``alt`` text and ``resource``, the id of one of the document's resources
    ("" when the image was not embedded: then only the alt text stands)."""

    alt: str
    resource: str = ""


Inline = Text | Emphasis | Note | Strong | Strike | Code | Link | Image
Inlines = tuple[Inline, ...]


def text_of(content: Inlines) -> str:
    """The plain text of inline content, notes included in place."""
    if len(content) == 1 and isinstance(content[0], Text):
        return content[0].text
    parts: list[str] = []
    for item in content:
        match item:
            case Text(text) | Code(text):
                parts.append(text)
            case Emphasis(inner) | Note(inner) | Strong(inner) | Strike(inner) | Link(_, inner):
                parts.append(text_of(inner))
            case Image(alt, _):
                parts.append(alt)
            case _:
                assert_never(item)
    return "".join(parts)


def text_without_notes(content: Inlines) -> str:
    """The plain text of inline content with its notes left out (a title as metadata)."""
    parts: list[str] = []
    for item in content:
        if isinstance(item, Emphasis | Strong | Strike | Link):
            parts.append(text_without_notes(item.content))
        elif not isinstance(item, Note):
            parts.append(text_of((item,)))
    return "".join(parts)


def plain(text: str) -> Inlines:
    """Inline content holding one plain run (empty content for an empty string)."""
    return (Text(text),) if text else ()


def heading_separator(number: str) -> str:
    """What a writer sets between a heading's ordinal and its text: an ideographic space after
    第X条/第X章/第X回/楔子 (they end in an ideograph), nothing after 一、 （一） 1. （1）."""
    if number and "\u4e00" <= number[-1] <= "\u9fff":
        return "\u3000"
    return ""


def marker_separator(marker: str) -> str:
    """What a writer sets after a list marker: a space after - * • 1), nothing after 1. or 一、."""
    return " " if marker and marker[-1] in "-*+•·)）" else ""


#: Unnumbered parts that stand where a chapter would (a prologue, a preface, an epilogue): the
#: reader makes them chapter-level headings and the writers set them as chapters. Longer words
#: first, so a pattern built from them tries 序言 before 序.
PROLOGUE_WORDS: tuple[str, ...] = (
    "楔子", "引子", "序章", "序言", "自序", "序", "跋", "尾声", "尾聲", "后记", "後記", "前言",
)  # fmt: skip
#: The kinds of 第X… that divide a book or a code (第二编, 第三章, 第一回, 第五卷, and 第一款 of
#: a 節 in the ROC Civil Code); 第X条 (an article) is not among them.
DIVISION_KINDS = "编編章节節款回卷部篇"


# ---------------------------------------------------------------------------------------------
# Blocks


@record
class Title:
    """The document's title as it stands in the text (a title broken over lines is joined)."""

    json_type: ClassVar[str] = "title"

    content: Inlines


@record
class Subtitle:
    """A subtitle or second title line (副标题, ——…在…会议上)."""

    json_type: ClassVar[str] = "subtitle"

    content: Inlines


@record
class DocNumber:
    """An official document number (发文字号), e.g. 国办发〔2022〕35号."""

    json_type: ClassVar[str] = "docnumber"

    text: str


@record
class Byline:
    """An author, reporter or source line (（记者 …）, 作者：…, 广东省省长 孟凡利)."""

    json_type: ClassVar[str] = "byline"

    content: Inlines


#: What print writers set between the records of a law's 题注: a full-width space, as official
#: texts print them run on in one block. It is whitespace, so it adds no character to the text.
RECORDS_JOIN = "\u3000"


@record
class Records:
    """A law's 题注: the adoption and amendment records under its title (1979年7月1日 第五届全国
    人民代表大会第二次会议通过, then each 修正/修订), one record a line as the source gives them.

    Writers set them as one block, run on and separated by :data:`RECORDS_JOIN`.
    """

    json_type: ClassVar[str] = "records"

    lines: tuple[Inlines, ...]


@record
class Addressee:
    """Whom the document is addressed to (主送机关, 各位代表：): flush left, GB/T 9704 §7.3.2."""

    json_type: ClassVar[str] = "addressee"

    content: Inlines


@record
class Lead:
    """A dateline-led first paragraph: ``dateline`` (新华社北京3月6日电, 本报讯, 3月6日) then ``content``.

    The dateline is kept apart so writers may set it in its own face; ``dateline + content`` is
    the paragraph's full text.
    """

    json_type: ClassVar[str] = "lead"

    dateline: str
    content: Inlines


@record
class Heading:
    """A heading with its ordinal (``number``: 一、 （一） 1. （1） 第三章 第十二条 第一回) kept apart.

    ``level`` is 1-based and dense within the document. A run-in heading (the ordinal and its
    first sentence open a paragraph, or a law article 第X条 followed by its text) carries the rest
    of the paragraph in ``body``; writers set ``number`` + ``content`` in the heading face and
    ``body`` in the body face, in one paragraph.
    """

    json_type: ClassVar[str] = "heading"

    level: int
    number: str
    content: Inlines
    body: Inlines = ()


@record
class Paragraph:
    """An ordinary body paragraph."""

    json_type: ClassVar[str] = "paragraph"

    content: Inlines


@record
class Quote:
    """A quotation set off from the body."""

    json_type: ClassVar[str] = "quote"

    content: Inlines


@record
class ListItem:
    """One item of a list or attachment note; ``marker`` is the source's own (1. 一、 - •), maybe
    empty; ``blocks`` what the item holds after its first paragraph (a nested list, more text)."""

    marker: str
    content: Inlines
    blocks: tuple[Block, ...] = ()


@record
class ListBlock:
    """A list of items (ordered when the markers count, from ``start``)."""

    json_type: ClassVar[str] = "list"

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


ColumnAlign = Literal["", "left", "center", "right"]
#: A table row: its cells, each holding inline content.
TableRow = tuple[Inlines, ...]


@record
class Table:
    """A table: ``header`` rows, ``body`` rows, and each column's alignment ("" unspecified)."""

    json_type: ClassVar[str] = "table"

    align: tuple[ColumnAlign, ...]
    header: tuple[TableRow, ...]
    body: tuple[TableRow, ...]


@record
class Verse:
    """Lines whose breaks are content (poetry, lyrics, couplets)."""

    json_type: ClassVar[str] = "verse"

    lines: tuple[Inlines, ...]


@record
class CodeBlock:
    """Preformatted text (code fences in technical documents); whitespace is content."""

    json_type: ClassVar[str] = "code"

    text: str


@record
class Contents:
    """A table of contents that the source itself carries at its head (one entry a line)."""

    json_type: ClassVar[str] = "contents"

    lines: tuple[Inlines, ...]


@record
class Attachments:
    """An attachment note (附件：1. … 2. …); ``label`` is the source's label, e.g. 附件："""

    json_type: ClassVar[str] = "attachments"

    label: str
    items: tuple[ListItem, ...]


@record
class Signature:
    """The sender's name(s) and the date at the end of a document (落款)."""

    json_type: ClassVar[str] = "signature"

    signers: tuple[str, ...]
    date: str


@record
class Rule:
    """A thematic break: a separator line alone in the text (=====, * * *, ※※※).

    ``text`` is the source line, kept so that every character reaches every output and the JSON
    round-trips; writers draw a rule or ornament and keep these characters out of sight.
    """

    json_type: ClassVar[str] = "rule"

    text: str


#: What print writers set between a boilerplate block's lines, which they run on in one small
#: paragraph (a space: 打印 关闭 字号 reads as a row of buttons, as on the page).
BOILERPLATE_JOIN = " "


@record
class Boilerplate:
    """A web page's furniture around the text (打印 关闭, 字号 大 中 小, 责任编辑：…, 分享到…).

    Kept, one source line a string, so nothing is lost; writers set it small and apart, so it
    does not read as the document's own text.
    """

    json_type: ClassVar[str] = "boilerplate"

    lines: tuple[str, ...]


@record
class Break:
    """A page or section break."""

    json_type: ClassVar[str] = "break"

    kind: Literal["page", "section"] = "page"


Block = (
    Title
    | Subtitle
    | DocNumber
    | Byline
    | Records
    | Addressee
    | Lead
    | Heading
    | Paragraph
    | Quote
    | ListBlock
    | Verse
    | CodeBlock
    | Contents
    | Attachments
    | Signature
    | Rule
    | Boilerplate
    | Table
    | Break
)


#: Every block class, in the order the JSON schema lists them; ``json_type`` is each one's JSON ``type``.
BLOCK_CLASSES: tuple[type[Block], ...] = get_args(Block)


# ---------------------------------------------------------------------------------------------
# Document


@record
class Metadata:
    """What is known about the document: from its text, a front-matter block or the command line.

    ``date`` is ISO 8601 (YYYY-MM-DD) when known; ``language`` a BCP 47 tag (zh-CN, zh-TW);
    ``encoding`` the source encoding the reader detected or was told; ``official`` the 公文
    fields (版头, 附注, 版记: see exporter.model.official).
    """

    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    source: str = ""
    place: str = ""
    document_number: str = ""
    language: str = "zh-CN"
    identifier: str = ""
    encoding: str = ""
    publisher: str = ""
    subject: str = ""
    official: Official = Official()


@record
class Resource:
    """Bytes the document holds (an image), with their media type; images name it by ``id``."""

    id: str
    media_type: str
    data: bytes


@record
class Document:
    """A whole document: metadata, the blocks of its body in source order, and its resources."""

    meta: Metadata
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    resources: tuple[Resource, ...] = ()

    def resource(self, rid: str) -> Resource | None:
        """The resource named ``rid``, if the document holds it."""
        return next((r for r in self.resources if r.id == rid), None)


def block_texts(block: Block) -> Iterator[str]:
    """Every text fragment of a block, in reading order (used for checks and coverage)."""
    match block:
        case (
            Title(content)
            | Subtitle(content)
            | Byline(content)
            | Addressee(content)
            | Paragraph(content)
            | Quote(content)
        ):
            yield text_of(content)
        case DocNumber(text) | CodeBlock(text) | Rule(text):
            yield text
        case Lead(dateline, content):
            yield dateline
            yield text_of(content)
        case Heading(_, number, content, body):
            yield number
            yield text_of(content)
            yield text_of(body)
        case ListBlock(_, items):
            for item in items:
                yield item.marker
                yield text_of(item.content)
                for inner in item.blocks:
                    yield from block_texts(inner)
        case Table(_, header, body):
            for row in (*header, *body):
                for cell in row:
                    yield text_of(cell)
        case Attachments(label, items):
            yield label
            for item in items:
                yield item.marker
                yield text_of(item.content)
        case Verse(lines) | Contents(lines) | Records(lines):
            for line in lines:
                yield text_of(line)
        case Signature(signers, date):
            yield from signers
            yield date
        case Boilerplate(lines):
            yield from lines
        case Break():
            return
        case _:
            assert_never(block)


def document_text(doc: Document) -> str:
    """All the text of a document's blocks, concatenated in reading order, with its 公文 fields
    where the writers print them (the 版头 before the body, the 版记 after it)."""
    if doc.meta.official:
        from exporter.model.framing import flattened

        doc = flattened(doc)
    return "".join(t for block in doc.blocks for t in block_texts(block))


def heads_attachment(block: Block | None) -> bool:
    """Whether ``block`` is 附件1 on its own line (no colon, no items), which heads an
    attachment (GB/T 9704-2012 §8: a new page); 附件：1. … after the body is a note."""
    return (
        isinstance(block, Attachments)
        and not block.items
        and not block.label.rstrip().endswith((":", "："))
    )


def title_like(content: Inlines) -> bool:
    """Whether a paragraph reads as a title: short, without closing punctuation."""
    text = text_of(content).strip()
    return 0 < len(text) <= 60 and text[-1] not in "。！？；：，、…:;,.!?"
