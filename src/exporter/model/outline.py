"""A readable outline of a Document: title, headings by level, and what lies between them."""

from __future__ import annotations

from collections import Counter

from exporter.model import Document, Heading, Subtitle, Title, text_of
from exporter.model.serialize import block_to_json, official_to_json


def outline(doc: Document) -> str:
    """Title, metadata, headings indented by level, and counts of the other blocks between them."""
    m = doc.meta
    out = [f"title: {m.title}"]
    for label, value in (
        ("subtitle", m.subtitle),
        ("authors", "、".join(m.authors)),
        ("date", m.date),
        ("source", m.source),
        ("number", m.document_number),
        ("language", m.language),
        ("encoding", m.encoding),
    ):
        if value:
            out.append(f"{label}: {value}")
    for name, value in official_to_json(m.official).items():  # the 公文 fields that are set
        shown = "、".join(value) if isinstance(value, list) else value
        out.append(f"{name}: {str(shown).lower() if isinstance(shown, bool) else shown}")
    out.append("")
    pending: Counter[str] = Counter()

    def flush(depth: int) -> None:
        if pending:
            parts = ", ".join(f"{n} {k}" for k, n in pending.items())
            out.append("  " * depth + f"[{parts}]")
            pending.clear()

    depth = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            flush(depth)
            head = (block.number + " " + text_of(block.content)).strip()
            run_in = " …" if block.body else ""
            out.append("  " * (block.level - 1) + f"{block.level}. {head}{run_in}")
            depth = block.level
        elif isinstance(block, Title | Subtitle):
            flush(depth)
            out.append(f"{block_to_json(block)['type']}: {text_of(block.content)}")
        else:
            pending[block_to_json(block)["type"]] += 1
    flush(depth)
    total = Counter(block_to_json(b)["type"] for b in doc.blocks)
    out.append("")
    out.append("blocks: " + ", ".join(f"{k} {n}" for k, n in sorted(total.items())))
    return "\n".join(out) + "\n"
