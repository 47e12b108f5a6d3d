"""Plain text -> Document (temporary minimal version: title line and blank-line paragraphs)."""

from __future__ import annotations

from pathlib import Path

from .model import Document, Metadata, Paragraph, Title, plain


def read_text(text: str, *, name: str = "") -> Document:
    """Parse decoded text into a Document."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    paras = [ln for ln in lines if ln]
    if not paras:
        return Document(Metadata(title=name))
    blocks = [Title(plain(paras[0]))] + [Paragraph(plain(p)) for p in paras[1:]]
    return Document(Metadata(title=paras[0]), tuple(blocks))


def read_file(path: str | Path, *, encoding: str | None = None, errors: str = "strict") -> Document:
    """Read and parse a text file."""
    data = Path(path).read_bytes()
    return read_text(data.decode(encoding or "utf-8", errors), name=Path(path).stem)
