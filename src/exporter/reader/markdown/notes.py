"""Markdown footnotes (pandoc's ``[^label]`` and ``^[inline]``) -> model Notes at their references."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it.token import Token

from exporter import diagnostics
from exporter.model import (
    Block,
    Inline,
    Inlines,
    Note,
    Paragraph,
    Quote,
    Text,
    Verse,
    block_texts,
)
from exporter.reader.markdown.inlines import join_lines
from exporter.reader.markdown.tree import Node, block_tree


class Footnotes:
    """The definitions of one document, taken out of its token stream, and the notes made of
    them at each reference (a definition referenced twice gives two notes, as in pandoc).

    ``env`` is the environment markdown-it parsed the document with (the plug-in keeps its
    labels and inline notes there). ``convert`` makes blocks of a definition's block node and
    ``inlines`` inlines of an inline note's tokens; the reader sets both once it has them.
    """

    def __init__(self, name: str, env: dict[str, Any]) -> None:
        data = env.get("footnotes", {})
        self.name = name
        self._refs: dict[str, int] = data.get("refs", {})
        self._inline: dict[int, dict[str, Any]] = data.get("list", {})
        self._definitions: dict[str, list[Token]] = {}
        self._expanding: set[str] = set()
        self.convert: Callable[[Node], list[Block]] = lambda node: []
        self.inlines: Callable[[Sequence[Token]], Inlines] = lambda tokens: ()

    def take_definitions(self, tokens: Sequence[Token]) -> list[Token]:
        """``tokens`` without the referenced definitions (kept for their notes). A definition
        nothing refers to, or a second one of a label, keeps its blocks where it stands, as
        text, with a ``footnote-unused`` warning: no character of the source is lost."""
        out: list[Token] = []
        # One entry per open definition: its label and where its tokens go (None: in place).
        stack: list[tuple[str, list[Token] | None]] = []
        for token in tokens:
            if token.type == "footnote_reference_open":
                label = str(token.meta["label"])
                used = self._refs.get(":" + label, -1) >= 0
                if used and label not in self._definitions:
                    self._definitions[label] = []
                    stack.append((label, self._definitions[label]))
                else:
                    why = "defined again" if used else "never referenced"
                    diagnostics.warn(
                        "footnote-unused",
                        f"{self.name}: footnote [^{label}] is {why}: its text is kept where "
                        "it stands, as body text",
                        label=label,
                    )
                    stack.append((label, None))
                continue
            if token.type == "footnote_reference_close":
                if stack:
                    stack.pop()
                continue
            target = next((kept for _, kept in reversed(stack) if kept is not None), None)
            (out if target is None else target).append(token)
        return out

    def note(self, token: Token) -> Inline:
        """The Note a ``footnote_ref`` token stands for."""
        meta = token.meta or {}
        label = meta.get("label")
        if label is None:  # an inline note, ^[...]
            entry = self._inline.get(int(meta.get("id", -1)), {})
            return Note(self.inlines(entry.get("tokens") or []))
        label = str(label)
        if label in self._expanding or label not in self._definitions:
            # A note that refers to itself (directly or through another): its mark as text.
            return Text(f"[^{label}]")
        self._expanding.add(label)
        try:
            tree = block_tree(self._definitions[label])
            blocks = [b for node in tree.children for b in self.convert(node)]
        finally:
            self._expanding.discard(label)
        return Note(join_lines([_inlines_of(block) for block in blocks]))


def _inlines_of(block: Block) -> Inlines:
    """A note holds inlines only: a paragraph's are kept, another block gives its text."""
    match block:
        case Paragraph(content) | Quote(content):
            return content
        case Verse(lines):
            return join_lines(lines)
        case _:
            return (Text(" ".join(t for t in block_texts(block) if t)),)
