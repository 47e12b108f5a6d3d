"""Laws and books in print: a law's 题注 as one block, in the model, PDF, DOCX and EPUB."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from conftest import REAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree

from exporter.model import (
    RECORDS_JOIN,
    Byline,
    Contents,
    Document,
    Paragraph,
    Records,
    Title,
    block_texts,
    plain,
    text_of,
)
from exporter.model.serialize import dumps, loads
from exporter.options import GONGWEN, MM, STANDARD, WriteOptions
from exporter.reader import read_file, read_text
from exporter.typesetting.books import chapters, is_book
from exporter.writers.docx import DocxWriter
from exporter.writers.epub import EpubWriter
from exporter.writers.pdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
CRIMINAL_LAW = ROOT / "benchmarks" / "evalset" / "law_prc_criminal_law_part1_part2ch1-2.txt"
OWN_LAW = Path(__file__).parent / "fixtures" / "books" / "law_records.txt"
EPOCH = 1583452800
PROFILES = {"standard": STANDARD, "gongwen": GONGWEN}
_PAGE_NUMBER = re.compile(r"^(—\d+—|\d+)$")


def write(writer: Any, doc: Document, options: WriteOptions) -> bytes:
    out = io.BytesIO()
    writer.write(doc, options, out)
    return out.getvalue()


def nonspace(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def records_of(doc: Document) -> list[Records]:
    return [b for b in doc.blocks if isinstance(b, Records)]


# -- reader ------------------------------------------------------------------------------------


def test_criminal_law_records_are_one_block_under_the_title() -> None:
    doc = read_file(CRIMINAL_LAW)
    assert isinstance(doc.blocks[0], Title) and isinstance(doc.blocks[1], Records)
    lines = [text_of(line) for line in doc.blocks[1].lines]
    source = CRIMINAL_LAW.read_text("utf-8").splitlines()
    # Every record, in order, one a line as the source gives them: the adoption, the 1997
    # revision and the amendments.
    expected = [s for s in source[1:40] if s.strip() and s[:4].isdigit()]
    assert lines == expected and len(lines) >= 14
    assert not any(isinstance(b, Byline) for b in doc.blocks)
    assert doc.meta.date == "1979-07-01"  # the adoption record still dates the law


def test_constitution_records() -> None:
    doc = read_file(REAL / "law_prc_constitution.txt")
    (records,) = records_of(doc)
    assert len(records.lines) == 7 and doc.blocks[1] is records


def test_own_fixture_parenthesised_records_over_lines() -> None:
    doc = read_file(OWN_LAW)
    assert [type(b).__name__ for b in doc.blocks[:3]] == ["Title", "Records", "Heading"]
    lines = [text_of(line) for line in records_of(doc)[0].lines]
    assert lines[0].startswith("（2001年4月28日") and lines[-1].endswith("修订）")
    assert len(lines) == 4


@pytest.mark.parametrize(
    "line",
    ["作者：张三", "2026-02-10 07:00:44", "2026年1月28日 发布", "广东省省长 孟凡利"],
)
def test_a_byline_is_not_a_record(line: str) -> None:
    doc = read_text(f"某某报道\n{line}\n\n　　正文。\n").document
    assert not records_of(doc)


def test_records_round_trip_in_json() -> None:
    doc = read_file(OWN_LAW)
    assert loads(dumps(doc)) == doc
    assert '"type": "records"' in dumps(doc)


# -- PDF ---------------------------------------------------------------------------------------


def _rows(page: Any) -> list[list[dict[str, Any]]]:
    """A page's lines (a pdfplumber page, or its chars as ``_novel`` keeps them)."""
    found = page if isinstance(page, list) else page.chars
    chars = sorted((c for c in found if c["text"].strip()), key=lambda c: (c["top"], c["x0"]))
    out: list[list[dict[str, Any]]] = []
    for c in chars:
        if out and abs(out[-1][0]["top"] - c["top"]) < 2.5:
            out[-1].append(c)
        else:
            out.append([c])
    return [sorted(r, key=lambda c: c["x0"]) for r in out]


def _records_rows(pdf_bytes: bytes) -> list[list[dict[str, Any]]]:
    """The lines set in the Kai face right under the title (the records; the law's text is
    in Song and Hei), page numbers skipped."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        lines = [r for page in pdf.pages for r in _rows(page)]
    out: list[list[dict[str, Any]]] = []
    for r in lines[1:]:
        if _PAGE_NUMBER.match("".join(c["text"] for c in r)):
            continue
        if not all("Kai" in c["fontname"] for c in r):
            break
        out.append(r)
    return out


@pytest.mark.parametrize("profile", PROFILES)
def test_pdf_records_are_one_justified_block(profile: str) -> None:
    """The records' full lines reach both margins; only the last line is short."""
    p = PROFILES[profile]
    doc = read_file(CRIMINAL_LAW)
    data = write(PdfWriter(), doc, WriteOptions(profile=p, source_date_epoch=EPOCH))
    rows = _records_rows(data)
    left, right = p.margin_left_mm * MM, (p.margin_left_mm + p.text_width_mm) * MM
    text = "".join(c["text"] for r in rows for c in r)
    assert text == nonspace("".join(text_of(line) for line in records_of(doc)[0].lines))
    assert len(rows) >= 10  # a block over the measure, not one centred line a record
    for r in rows[:-1]:
        line = "".join(c["text"] for c in r)
        assert abs(r[0]["x0"] - left) < 1.0, line
        # The last glyph meets the right margin (a closing mark may hang past it on the grid).
        assert r[-1]["x1"] >= right - 0.05 and r[-1]["x1"] <= right + r[-1]["size"] / 2 + 0.05, line
    assert rows[-1][-1]["x1"] < right - 0.05 or len(rows) == 1


def test_pdf_single_record_is_centred() -> None:
    doc = Document(
        read_text("x").document.meta,
        (
            Title(plain("某某法")),
            Records((plain("（2020年10月17日第十三届全国人大常委会通过）"),)),
            Paragraph(plain("正文。")),
        ),
    )
    data = write(PdfWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    (row,) = _records_rows(data)
    left, right = (
        STANDARD.margin_left_mm * MM,
        (STANDARD.margin_left_mm + STANDARD.text_width_mm) * MM,
    )
    assert abs((row[0]["x0"] - left) - (right - row[-1]["x1"])) < 1.0


def test_pdf_text_layer_has_the_join_as_space_only() -> None:
    """The full-width space between records is whitespace: the text layer's characters, space
    aside, are the records' own (nothing added, nothing dropped)."""
    from pypdf import PdfReader

    doc = read_file(OWN_LAW)
    data = write(PdfWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    layer = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    model = "".join(t for b in doc.blocks for t in block_texts(b))
    assert nonspace(model) in nonspace(layer)
    assert RECORDS_JOIN.isspace()


# -- DOCX and EPUB -----------------------------------------------------------------------------


def test_docx_records_are_one_styled_paragraph() -> None:
    doc = read_file(CRIMINAL_LAW)
    lines = [text_of(line) for line in records_of(doc)[0].lines]
    data = write(DocxWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    paras = [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Records"]
    assert len(paras) == 1
    assert paras[0].text == RECORDS_JOIN.join(lines)
    styles = docx.Document(io.BytesIO(data)).styles
    style = styles["Records"]
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    face = "string(.//w:rFonts/@w:eastAsia)"
    # In Kai: the byline's face (the subtitle role's).
    assert style.element.xpath(face) == styles["Byline"].element.xpath(face) != ""


def test_epub_records_are_one_styled_block() -> None:
    doc = read_file(OWN_LAW)
    data = write(EpubWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        pages = [n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
        trees = [etree.fromstring(z.read(n)) for n in pages]
        css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    found = [p for t in trees for p in t.xpath("//h:p[@class='records']", namespaces=ns)]
    assert len(found) == 1
    lines = [text_of(line) for line in records_of(doc)[0].lines]
    assert "".join(found[0].itertext()) == RECORDS_JOIN.join(lines)
    assert "p.records" in css


# -- chapter openings --------------------------------------------------------------------------

NOVEL = REAL / "novel_laocan_youji.txt"


@functools.cache
def _novel(profile: str = "standard", chapter_pages: bool = True) -> tuple[Document, bytes, Pages]:
    """The novel, its PDF and each page's glyphs (pdfplumber), made once for the tests that
    read them (pdfplumber takes about 0.1 s a page)."""
    doc = read_file(NOVEL)
    options = WriteOptions(
        profile=STANDARD if profile == "standard" else GONGWEN,
        source_date_epoch=EPOCH,
        chapter_pages=chapter_pages,
    )
    data = write(PdfWriter(), doc, options)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return doc, data, [list(p.chars) for p in pdf.pages]


Pages = list[list[dict[str, Any]]]


def _first_lines(pages: Pages) -> list[str]:
    """Each page's first line of text in the type area (from glyph positions)."""
    top = STANDARD.margin_top_mm * MM - 1
    return [
        "".join(c["text"] for c in ([r for r in _rows(p) if r[0]["top"] > top] or [[]])[0])
        for p in pages
    ]


def _chapter_lines(doc: Document) -> list[str]:
    return [nonspace(h.number + text_of(h.content)) for h in chapters(doc)]


def test_every_chapter_of_a_novel_opens_a_page() -> None:
    doc, _, pages = _novel()
    assert is_book(doc)
    firsts = _first_lines(pages)
    heads = _chapter_lines(doc)
    assert len(heads) == 20
    opened = [h for h in heads if any(f.startswith(h) for f in firsts)]
    assert opened == heads
    # Space above the heading: its page's first line stands lower than a full page's.
    top = STANDARD.margin_top_mm * MM - 1
    tops = {}
    for p in pages:
        first = next(r for r in _rows(p) if r[0]["top"] > top)
        tops["".join(c["text"] for c in first)] = first[0]["top"]
    plain_top = min(tops.values())
    assert all(tops[f] > plain_top + 2 * STANDARD.body_size_pt for f in firsts if f in heads)


def test_chapter_pages_off_runs_chapters_on() -> None:
    doc, _, pages = _novel(chapter_pages=False)
    firsts = _first_lines(pages)
    assert sum(any(f.startswith(h) for f in firsts) for h in _chapter_lines(doc)) < 5


@pytest.mark.parametrize(
    "name", ["law_prc_constitution.txt", "news_xinhua_poverty_symposium_2020.txt"]
)
def test_laws_and_short_documents_are_not_books(name: str) -> None:
    assert not is_book(read_file(REAL / name))
    assert not is_book(read_file(CRIMINAL_LAW))


def test_a_short_text_with_chapters_is_not_a_book() -> None:
    text = "某书\n\n第一章 起\n\n　　短短一段。\n\n第二章 承\n\n　　又一段。\n\n第三章 合\n\n　　完。\n"
    doc = read_text(text).document
    assert len(chapters(doc)) == 3 and not is_book(doc)


def test_gongwen_never_opens_chapter_pages() -> None:
    doc, _, pages = _novel("gongwen")
    firsts = _first_lines(pages)
    assert sum(any(f.startswith(h) for f in firsts) for h in _chapter_lines(doc)) < 5


def test_chapter_pages_option_from_cli_config_and_api() -> None:
    from exporter.api import write_options
    from exporter.options.build import build_settings

    assert write_options(chapter_pages=False).chapter_pages is False
    assert write_options().chapter_pages is True
    assert build_settings({"chapter_pages": False}, {}).write.chapter_pages is False
    assert build_settings({"chapter_pages": False}, {"chapter_pages": True}).write.chapter_pages


def test_no_chapter_pages_flag(tmp_path: Path) -> None:
    from helpers import run_cli

    pages = []
    for flag in ("--chapter-pages", "--no-chapter-pages"):
        out = tmp_path / f"{flag}.pdf"
        proc = run_cli("convert", str(NOVEL), "-t", "pdf", "-o", str(out), "-q", flag)
        assert proc.returncode == 0, proc.stderr.decode()
        with pdfplumber.open(out) as pdf:
            pages.append(len(pdf.pages))
    assert pages[0] > pages[1]  # twenty chapters opening pages take more of them


# -- contents with page numbers ----------------------------------------------------------------


def test_contents_entries_give_the_page_their_chapter_starts_on() -> None:
    doc, data, glyphs = _novel()
    (contents,) = [b for b in doc.blocks if isinstance(b, Contents)]
    pages = [_rows(p) for p in glyphs]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        annots = pdf.pages[0].annots
    # Where each chapter heading is printed (its page, 1-based), found from the glyphs.
    printed: dict[str, int] = {}
    for n, rows in enumerate(pages[1:], start=2):
        for r in rows:
            line = "".join(c["text"] for c in r)
            for h in _chapter_lines(doc):
                if line.startswith(h):
                    printed.setdefault(h[:5], n)
    assert len(printed) == 20
    lines = ["".join(c["text"] for c in r) for r in pages[0]]
    entries = [nonspace(text_of(x)) for x in contents.lines]
    numbered = []
    for entry in entries:
        (row,) = [x for x in lines if x.startswith(entry)]
        number = row[len(entry) :]
        assert number.isdigit(), row
        numbered.append(int(number))
    # Entry k names chapter k (第十一回's entry spells a character of its title otherwise).
    assert numbered == [printed[h[:5]] for h in _chapter_lines(doc)]
    assert numbered == sorted(numbered) and len(set(numbered)) == 20
    # Each entry links to its chapter: a link annotation over it whose destination is the
    # page the entry names.
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page_ids = [p.page_obj.pageid for p in pdf.pages]
        dests = [
            page_ids.index(a["data"]["Dest"][0].objid) + 1
            for a in sorted(annots, key=lambda a: -a["data"]["Rect"][1])
            if "Dest" in a["data"]
        ]
    assert dests == numbered


def test_contents_numbers_are_right_aligned_at_the_margin() -> None:
    doc = read_file(NOVEL)
    data = write(PdfWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    right = (STANDARD.margin_left_mm + STANDARD.text_width_mm) * MM
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rows = _rows(pdf.pages[0])
    numbered = [r for r in rows if r[-1]["text"].isdigit() and r[0]["text"] == "第"]
    assert len(numbered) == 20
    assert all(abs(r[-1]["x1"] - right) < 0.5 for r in numbered)


# -- running heads -----------------------------------------------------------------------------


def _heads(pdf: bytes | Pages, profile: Any) -> list[str]:
    """Each page's text above the type area (from glyph positions): its running head."""
    top = profile.margin_top_mm * MM
    if isinstance(pdf, bytes):
        with pdfplumber.open(io.BytesIO(pdf)) as opened:
            pdf = [list(p.chars) for p in opened.pages]
    return [
        "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]) if c["bottom"] < top)
        for chars in pdf
    ]


def test_running_heads_on_a_book() -> None:
    doc, _, pages = _novel()
    heads = _heads(pages, STANDARD)
    assert max(len(h) for h in heads) < 40  # nothing of the type area counted
    firsts = _first_lines(pages)
    chapter_titles = _chapter_lines(doc)
    assert heads[0] == ""  # the title page with the contents
    current = ""
    for n, (head, first) in enumerate(zip(heads, firsts, strict=True), start=1):
        opens = next((h for h in chapter_titles if first.startswith(h)), None)
        if opens:
            assert head == "", n  # a chapter's first page has none
            current = opens
            continue
        if not current:
            continue
        # Even pages the book's title, odd pages the chapter's (the one the page runs in).
        assert nonspace(head) == ("老残游记" if n % 2 == 0 else current), n
    assert sum(1 for h in heads if h) > len(heads) // 2


def test_no_running_heads_in_gongwen_or_short_documents() -> None:
    assert not any(_heads(_novel("gongwen")[2], GONGWEN))
    doc = read_file(REAL / "law_prc_constitution.txt")
    data = write(PdfWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    assert not any(_heads(data, STANDARD))


# -- --toc and the DOCX TOC field --------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_toc_adds_a_contents_page_with_the_pages_of_the_headings() -> None:
    doc = read_file(REAL / "law_prc_constitution.txt")
    assert not any(isinstance(b, Contents) for b in doc.blocks)
    opts = WriteOptions(profile=STANDARD, source_date_epoch=EPOCH, toc=True)
    data = write(PdfWriter(), doc, opts)
    without = write(PdfWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    assert data != without
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [["".join(c["text"] for c in r) for r in _rows(p)] for p in pdf.pages]
    listed = [line for line in pages[0] if line.startswith(("序言", "第")) and line[-1].isdigit()]
    assert len(listed) >= 5
    for line in listed:
        entry = line.rstrip("0123456789")
        page = int(line[len(entry) :])
        # The heading stands on that page (and the entry is not its own heading: page 1 is
        # the contents).
        assert page > 1 and any(x.startswith(entry) for x in pages[page - 1]), line


def test_toc_is_off_by_default_and_a_document_with_contents_keeps_its_own() -> None:
    doc = read_file(NOVEL)
    from exporter.typesetting.toc import with_contents

    assert with_contents(doc) is doc
    short = read_text("标题\n\n　　只有一段。\n").document
    assert with_contents(short) is short


def _docx_body(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_docx_contents_list_is_a_toc_field_around_the_sources_lines() -> None:
    doc = read_file(NOVEL)
    (contents,) = [b for b in doc.blocks if isinstance(b, Contents)]
    data = write(DocxWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    root = _docx_body(data)
    instr = root.findall(f".//{W}instrText")
    assert [i.text for i in instr] == [' TOC \\o "1-3" \\h \\z \\u ']
    paras = [
        p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Contents']") is not None
    ]
    assert len(paras) == len(contents.lines)
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paras]
    assert texts == [text_of(x) for x in contents.lines]  # the field's result: the source's list
    kinds = [c.get(f"{W}fldCharType") for c in root.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert paras[0].find(f".//{W}fldChar").get(f"{W}fldCharType") == "begin"
    assert paras[-1].findall(f".//{W}fldChar")[-1].get(f"{W}fldCharType") == "end"


def test_docx_toc_option_adds_the_field() -> None:
    doc = read_file(REAL / "law_prc_constitution.txt")
    plain_docx = write(DocxWriter(), doc, WriteOptions(profile=STANDARD, source_date_epoch=EPOCH))
    assert not _docx_body(plain_docx).findall(f".//{W}instrText")
    opts = WriteOptions(profile=STANDARD, source_date_epoch=EPOCH, toc=True)
    root = _docx_body(write(DocxWriter(), doc, opts))
    assert [i.text for i in root.findall(f".//{W}instrText")] == [' TOC \\o "1-3" \\h \\z \\u ']
    # Word's TOC \o lists paragraphs by outline level: the headings' styles carry one.
    styles = docx.Document(io.BytesIO(write(DocxWriter(), doc, opts))).styles
    assert styles["Heading 1"].element.find(f".//{W}outlineLvl") is not None
