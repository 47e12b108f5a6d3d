"""Block tokens -> model blocks: headings (levels made dense), paragraphs, quotes, lists, code,
rules, tables, raw HTML as literal text; the first-and-only ``#`` heading at the top is the title."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from exporter.model import (
    Block,
    CodeBlock,
    ColumnAlign,
    Heading,
    Inlines,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Table,
    TableRow,
    Text,
    Title,
    Verse,
)
from exporter.reader.markdown.inlines import InlineReader, join_lines
from exporter.reader.markdown.tree import Node

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


@dataclass
class Parsed:
    """What the tokens hold: the blocks and the front matter's text."""

    blocks: list[Block] = field(default_factory=list)
    front_matter: str = ""


class BlockReader:
    """Walks markdown-it's syntax tree; ``lines`` are the source lines (for a rule's own text)."""

    def __init__(self, inlines: InlineReader, lines: list[str]) -> None:
        self.inline = inlines
        self.lines = lines

    def document(self, root: Node) -> Parsed:
        parsed = Parsed()
        nodes = list(root.children)
        if nodes and nodes[0].type == "front_matter":
            parsed.front_matter = nodes.pop(0).content
        h1 = [n for n in nodes if n.type == "heading" and n.tag == "h1"]
        title = nodes[0] if nodes and len(h1) == 1 and nodes[0] is h1[0] else None
        # Heading levels are dense: the # depths used, in order, become levels 1, 2, 3 …
        depths = sorted({int(n.tag[1]) for n in nodes if n.type == "heading" and n is not title})
        levels = {depth: rank for rank, depth in enumerate(depths, 1)}
        for node in nodes:
            if node is title:
                parsed.blocks.append(Title(self._inline(node)))
            elif node.type == "heading":
                content = self._inline(node)
                parsed.blocks.append(Heading(levels[int(node.tag[1])], "", content))
            else:
                parsed.blocks.extend(self.blocks(node, top=True))
        return parsed

    def blocks(self, node: Node, *, top: bool = False, quote: bool = False) -> list[Block]:
        """The blocks of one node; inside a quote, paragraphs and headings are Quote blocks."""
        kind = node.type
        if kind in ("paragraph", "heading"):
            lines = self._lines(node)
            if quote:
                return [Quote(join_lines(lines))]
            if kind == "paragraph" and top and len(lines) > 1:  # hard breaks: the lines count
                return [Verse(tuple(lines))]
            content = join_lines(lines)
            return [Paragraph(content)] if content else []
        if kind == "blockquote":
            return [b for child in node.children for b in self.blocks(child, quote=True)]
        if kind in ("bullet_list", "ordered_list"):
            return [self._list(node)]
        if kind in ("fence", "code_block", "html_block"):  # raw HTML is shown, never run
            text = node.content.rstrip("\n")
            return [CodeBlock(text)] if text.strip() else []
        if kind == "hr":
            return [Rule(self._source_line(node) or node.markup)]
        if kind == "table":
            return [self._table(node)]
        # Anything else (a plug-in's block): its children, or its text.
        if node.children:
            return [b for child in node.children for b in self.blocks(child, quote=quote)]
        return [Paragraph((Text(node.content),))] if node.content.strip() else []

    def _list(self, node: Node) -> ListBlock:
        ordered = node.type == "ordered_list"
        start = int(str(node.attrs.get("start", 1))) if ordered else 1
        items: list[ListItem] = []
        for number, item in enumerate(node.children, start):
            children = list(item.children)
            content: Inlines = ()
            if children and children[0].type == "paragraph":
                content = join_lines(self._lines(children.pop(0)))
            marker = f"{item.info or number}{item.markup}" if ordered else item.markup
            inner = [b for child in children for b in self.blocks(child)]
            items.append(ListItem(marker, content, tuple(inner)))
        return ListBlock(ordered, tuple(items), start)

    def _table(self, node: Node) -> Table:
        header: list[TableRow] = []
        body: list[TableRow] = []
        align: list[ColumnAlign] = []
        for section in node.children:
            for row in section.children:
                cells = tuple(self._inline(cell) for cell in row.children)
                if section.type == "thead":
                    header.append(cells)
                    align = [_align(cell.attrs.get("style")) for cell in row.children]
                else:
                    body.append(cells)
        width = len(align) or max((len(r) for r in body), default=0)
        body = [r + ((),) * (width - len(r)) for r in body]  # GFM fills short rows
        unset: ColumnAlign = ""
        columns = tuple(align) if align else (unset,) * width
        return Table(columns, tuple(header), tuple(body))

    def _lines(self, node: Node) -> list[Inlines]:
        inline = node.children[0] if node.children else None
        if inline is None:
            return [()]
        return self.inline.lines(inline.token.children or [])

    def _inline(self, node: Node) -> Inlines:
        return join_lines(self._lines(node))

    def _source_line(self, node: Node) -> str:
        if node.map is None or node.map[0] >= len(self.lines):
            return ""
        return self.lines[node.map[0]].strip()


def _align(style: object) -> ColumnAlign:
    found = _ALIGN.search(str(style or ""))
    if found is None:
        return ""
    value = found.group(1)
    return "left" if value == "left" else "center" if value == "center" else "right"
