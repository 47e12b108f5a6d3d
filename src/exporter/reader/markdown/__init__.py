"""Markdown reader: CommonMark (markdown-it) with GFM tables and strikethrough -> a Document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from exporter import diagnostics
from exporter.errors import InputError
from exporter.model import Document, Metadata, Title, block_texts, document_text, text_without_notes
from exporter.reader.markdown.engine import parser
from exporter.reader.markdown.frontmatter import front_matter_values
from exporter.reader.markdown.images import Images
from exporter.reader.markdown.inlines import InlineReader
from exporter.reader.markdown.notes import Footnotes
from exporter.reader.markdown.parse import BlockReader
from exporter.reader.markdown.tree import block_tree
from exporter.reader.meta import apply_meta, check_meta
from exporter.reader.read import ReadResult, title_from_name, usable_front_matter
from exporter.reader.structure.language import detect_language

__all__ = ["parser", "read_markdown"]

# As the text reader (exporter.reader.normalize): C0 controls but TAB, LF and CR, DEL, C1
# controls, the noncharacters XML rejects and lone surrogates; an ANSI sequence goes whole.
# Line ends and trailing spaces stay: two spaces before a line end are a hard break (CommonMark §6.7).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_ANSI = re.compile("\x1b\\[[0-9;?]*[A-Za-z]")


def _clean(text: str, name: str) -> tuple[str, list[str]]:
    removed = _ANSI.findall(text) if "\x1b" in text else []
    text = _ANSI.sub("", text) if removed else text
    removed += _CONTROL.findall(text)
    if removed:
        text = _CONTROL.sub("", text)
        count = sum(len(r) for r in removed)
        diagnostics.warn(
            "control-chars", f"{name}: removed {count} control character(s)", count=count
        )
    return text, removed


def read_markdown(
    text: str,
    *,
    name: str = "<markdown>",
    base_dir: Path | None = None,
    meta: dict[str, str] | None = None,
    encoding: str = "",
) -> ReadResult:
    """Parse Markdown into a Document. Images are read from ``base_dir`` (None: none are read);
    ``meta`` (``-M`` values) wins over the front matter, which wins over the text."""
    clean, removed = _clean(text, name)
    md = parser()
    env: dict[str, Any] = {}
    tokens = md.parse(clean, env)
    notes = Footnotes(name, env)
    tokens = notes.take_definitions(tokens)
    images = Images(name, base_dir)
    inlines = InlineReader(name, images.embed, notes.note)
    reader = BlockReader(inlines, clean.splitlines())
    notes.convert, notes.inlines = reader.blocks, inlines.inlines
    parsed = reader.document(block_tree(tokens))
    if not any(t.strip() for block in parsed.blocks for t in block_texts(block)):
        raise InputError(f"{name}: no text (the file is empty or holds only markup)")
    doc_text = document_text(Document(Metadata(), tuple(parsed.blocks)))
    title = next(  # a note on the title stays out of the metadata
        (text_without_notes(b.content) for b in parsed.blocks if isinstance(b, Title)), ""
    )
    md_meta = Metadata(
        title=title or title_from_name(name),
        language=detect_language(doc_text),
        encoding=encoding,
    )
    front = front_matter_values(parsed.front_matter, name) if parsed.front_matter else {}
    md_meta = apply_meta(md_meta, usable_front_matter(front, name))
    if meta:
        check_meta(meta, "meta")
        md_meta = apply_meta(md_meta, meta)
    doc = Document(md_meta, tuple(parsed.blocks), tuple(images.resources))
    dropped = (parsed.front_matter,) if parsed.front_matter else ()
    return ReadResult(doc, dropped, text, sum(len(r) for r in removed), tuple(removed))
