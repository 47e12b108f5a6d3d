"""EPUB interoperability: what the writer makes reads back through ebooklib (test-time only)."""

from __future__ import annotations

import io

import pytest
from conftest import REAL, all_blocks_document
from ebook_check import check_epub

from exporter.model import Document, Metadata
from exporter.options import GONGWEN, WriteOptions
from exporter.reader import read_file
from exporter.writers.epub.writer import EpubWriter

ebooklib = pytest.importorskip("ebooklib", reason="ebooklib (test extra) is not installed")


def epub(doc: Document, options: WriteOptions) -> bytes:
    buf = io.BytesIO()
    EpubWriter().write(doc, options, buf)
    return buf.getvalue()


def test_check_catches_a_broken_toc() -> None:
    """The check can fail: a navigation entry renamed behind ebooklib's back is noticed."""
    import zipfile

    good = epub(all_blocks_document(), WriteOptions(embed_fonts=False))
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("nav.xhtml"):
                data = data.replace("一、总体要求".encode(), "一、改过的标题".encode(), 1)
            zf.writestr(info, data)
    with pytest.raises(AssertionError):
        check_epub(out.getvalue())


def test_all_blocks_reads_back_with_metadata_spine_and_toc() -> None:
    from ebooklib import epub as ebook

    data = epub(all_blocks_document(), WriteOptions(embed_fonts=False))
    check_epub(data)
    book = ebook.read_epub(io.BytesIO(data))
    assert book.get_metadata("DC", "title")[0][0] == "关于做好示范文档工作的通知"
    assert book.get_metadata("DC", "language")[0][0] == "zh-CN"
    assert [e[0].title if isinstance(e, tuple) else e.title for e in book.toc][:2] == [
        "关于做好示范文档工作的通知",
        "一、总体要求",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.txt"))[:6])
def test_real_texts_read_back(name: str) -> None:
    check_epub(epub(read_file(REAL / name), WriteOptions(profile=GONGWEN)))


def test_book_and_empty_metadata_read_back() -> None:
    docs = [
        all_blocks_document(),
        Document(Metadata(title="第二部分"), all_blocks_document().blocks),
    ]
    buf = io.BytesIO()
    EpubWriter().write_book(docs, WriteOptions(embed_fonts=False), buf, None)
    check_epub(buf.getvalue())
