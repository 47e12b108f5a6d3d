"""A plug-in writer for tests: writes the document's text as UTF-8, one block a line."""

from __future__ import annotations

from typing import BinaryIO

from exporter.model import Document, block_texts
from exporter.options import WriteOptions


class PlainWriter:
    name = "plain"
    extension = ".plain.txt"

    def write(self, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        lines = ["".join(block_texts(b)) for b in doc.blocks]
        dest.write(("\n".join(lines) + "\n").encode("utf-8"))


class Broken:
    name = "broken"
    extension = ".broken"
